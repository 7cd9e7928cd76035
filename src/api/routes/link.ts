/**
 * 并库比对 routes: run a merge, coverage report, unified households (list and
 * detail with PRM and LIP records side by side), the clerical review queue
 * and its decisions, and the households CSV export. IDs and names are masked.
 */
import type { FastifyPluginAsync } from 'fastify';
import { assertInScope, requirePermission } from '../auth-context.ts';
import { BinkuError } from '../../domain/errors.ts';
import { maskIdNumber, maskName } from '../../domain/id-number.ts';
import { writeAudit } from '../../audit/store.ts';
import { PAGE_QUERY_PROPS, pageArgs, pageOf } from '../plugins/pagination.ts';
import { mergeAll } from '../../link/merge.ts';
import { listCounties } from '../../link/store.ts';
import { coverageReport } from '../../link/coverage.ts';
import { exportHouseholdsCsv } from '../../link/export.ts';
import { decideReview, findReview, getHousehold, listHouseholds, listReviews, type HouseholdListRow, type MemberRecord } from '../../link/query.ts';

const anyObject = { type: 'object', additionalProperties: true } as const;
const nullableString = { type: ['string', 'null'] } as const;
const categoryProp = { type: 'string', enum: ['II', 'III', 'IV'] } as const;
const counts = { type: 'object', properties: { II: { type: 'integer' }, III: { type: 'integer' }, IV: { type: 'integer' }, total: { type: 'integer' } } } as const;

const RECORD_SCHEMA = {
  $id: 'LinkRecord',
  type: 'object',
  properties: {
    system: { type: 'string', enum: ['prm', 'lip'] },
    recordKey: { type: 'string' },
    personId: { type: 'string' },
    groupNo: { type: 'string' },
    fileId: { type: 'string', description: '记录所在导入文件（用于 POST /api/unmask）' },
    rowNo: { type: 'integer', description: '记录在导入文件中的行号（用于 POST /api/unmask）' },
    name: nullableString,
    idNumber: nullableString,
    idStatus: { type: 'string' },
    sex: nullableString,
    birthDate: nullableString,
    relation: nullableString,
    regionCode: { type: 'string' },
    method: { type: 'string' },
    score: { type: ['number', 'null'] },
    agreements: anyObject,
    personCategory: categoryProp,
    attrs: anyObject,
  },
} as const;

const HOUSEHOLD_SUMMARY = {
  $id: 'UnifiedHouseholdSummary',
  type: 'object',
  properties: {
    householdId: { type: 'string' },
    countyCode: { type: 'string' },
    category: categoryProp,
    regionCode: { type: 'string' },
    township: nullableString,
    village: nullableString,
    headName: nullableString,
    prmHouseholds: { type: 'integer' },
    lipFamilies: { type: 'integer' },
    persons: { type: 'integer' },
    personsPrmOnly: { type: 'integer' },
    personsLipOnly: { type: 'integer' },
    personsBoth: { type: 'integer' },
    prmHouseholdNos: { type: 'array', items: { type: 'string' } },
    lipFamilyNos: { type: 'array', items: { type: 'string' } },
    reasons: { type: 'array', items: anyObject },
  },
} as const;

const AREA = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: nullableString,
    prm_households: { type: 'integer' },
    prm_in_lip: { type: 'integer' },
    lip_households: { type: 'integer' },
    lip_in_prm: { type: 'integer' },
    prm_in_lip_share: { type: 'number' },
    lip_in_prm_share: { type: 'number' },
  },
} as const;

const COVERAGE_SCHEMA = {
  $id: 'CoverageReport',
  type: 'object',
  properties: {
    households: counts,
    persons: counts,
    prm_households: { type: 'integer' },
    lip_households: { type: 'integer' },
    prm_in_lip_share: { type: 'number' },
    lip_in_prm_share: { type: 'number' },
    monitored_prm_households: { type: 'integer' },
    monitored_prm_in_lip_share: { type: 'number' },
    by_township: { type: 'array', items: AREA },
    by_village: { type: 'array', items: AREA },
    reasons: { type: 'object', properties: { II: { type: 'object', additionalProperties: { type: 'integer' } }, III: { type: 'object', additionalProperties: { type: 'integer' } } } },
    reason_labels: { type: 'object', additionalProperties: { type: 'string' } },
    last_merge_at: nullableString,
  },
  required: ['households', 'persons', 'prm_households', 'lip_households', 'prm_in_lip_share', 'lip_in_prm_share'],
} as const;

function recordOut(r: MemberRecord | null) {
  if (!r) return null;
  return {
    system: r.system,
    recordKey: r.record_key.replace(/#(\d{17}[\dX])/, (_m, id: string) => `#${maskIdNumber(id)}`).replace(/#n:(.+)$/, (_m, n: string) => `#n:${maskName(n)}`),
    personId: r.person_id,
    groupNo: r.group_no,
    fileId: r.file_id,
    rowNo: Number(r.row_no),
    name: maskName(r.name),
    idNumber: maskIdNumber(r.id_number ?? r.id_raw),
    idStatus: r.id_status,
    sex: r.sex,
    birthDate: r.birth_date,
    relation: r.relation,
    regionCode: r.region_code,
    method: r.method,
    score: r.score === null ? null : Number(r.score),
    agreements: (r.agreements ?? {}) as object,
    personCategory: r.person_category,
    attrs: { ...((r.attrs ?? {}) as object), phone: undefined },
  };
}

/** One unified household as the API shows it (UnifiedHouseholdSummary#): head name masked, numbers sorted. */
function householdSummaryOut(h: Omit<HouseholdListRow, 'prm_nos' | 'lip_nos'>, prmNos: string[], lipNos: string[]): Record<string, unknown> {
  return {
    householdId: h.household_id,
    countyCode: h.county_code,
    category: h.category,
    regionCode: h.region_code,
    township: h.township,
    village: h.village,
    headName: maskName(h.head_name),
    prmHouseholds: h.prm_households,
    lipFamilies: h.lip_families,
    persons: h.persons,
    personsPrmOnly: h.persons_prm_only,
    personsLipOnly: h.persons_lip_only,
    personsBoth: h.persons_both,
    prmHouseholdNos: [...prmNos].sort(),
    lipFamilyNos: [...lipNos].sort(),
    reasons: (h.reasons ?? []) as object[],
  };
}

export const linkRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(RECORD_SCHEMA);
  app.addSchema(HOUSEHOLD_SUMMARY);
  app.addSchema(COVERAGE_SCHEMA);

  app.post<{ Body: { countyCode?: string; force?: boolean } }>(
    '/api/merge',
    {
      schema: {
        tags: ['link'],
        summary: '并库比对（按县）',
        description: '对本辖区内有当前导入数据的县执行并库比对；数据未变化的县沿用上次结果。',
        body: { type: ['object', 'null'], properties: { countyCode: { type: 'string', pattern: '^\\d{6}$' }, force: { type: 'boolean' } } },
        response: {
          200: {
            type: 'object',
            properties: {
              run_id: { type: 'string' },
              ms: { type: 'integer' },
              counties: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    county_code: { type: 'string' },
                    status: { type: 'string' },
                    prm_records: { type: 'integer' },
                    lip_records: { type: 'integer' },
                    persons: { type: 'integer' },
                    households: counts,
                    pairings: { type: 'integer' },
                    methods: { type: 'object', additionalProperties: { type: 'integer' } },
                    review_pending: { type: 'integer' },
                    ms: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'merge');
      const body = req.body ?? {};
      // A merge is county-wide: township/village users cannot run it.
      if (a.regionPrefix.length > 6) throw new BinkuError('BK_LINK_MERGE_SCOPE', '并库比对以县为单位，需县级及以上权限', { status: 403, en: 'merge needs county-level scope' });
      let counties = (await listCounties(app.db)).filter((c) => c.startsWith(a.regionPrefix));
      if (body.countyCode) {
        assertInScope(req, body.countyCode);
        counties = counties.filter((c) => c === body.countyCode);
      }
      const runs = [];
      let runId = '';
      let ms = 0;
      for (const c of counties) {
        const s = await mergeAll(app.db, { countyCode: c, force: body.force, startedBy: a.username });
        runs.push(...s.counties);
        runId = runId || s.run_id;
        ms += s.ms;
      }
      await writeAudit(app.db, { action: 'merge', userId: a.userId, username: a.username, role: a.role, targetType: 'county', targetId: counties.join(','), ip: req.ip, outcome: 'ok', details: { counties: counties.length } });
      return { run_id: runId, ms, counties: runs };
    },
  );

  app.get(
    '/api/reports/coverage',
    { schema: { tags: ['link'], summary: '覆盖情况报表（各类别户数、人数、相互覆盖率、非重合原因）', response: { 200: { $ref: 'CoverageReport#' } } } },
    async (req) => {
      const a = requirePermission(req, 'read_aggregates');
      return coverageReport(app.db, { regionPrefix: a.regionPrefix });
    },
  );

  app.get<{ Querystring: { category?: 'II' | 'III' | 'IV'; township?: string; q?: string; page?: number; pageSize?: number } }>(
    '/api/households',
    {
      schema: {
        tags: ['link'],
        summary: '统一家庭列表',
        querystring: {
          type: 'object',
          properties: { category: categoryProp, township: { type: 'string', maxLength: 40 }, q: { type: 'string', maxLength: 40 }, ...PAGE_QUERY_PROPS },
        },
        response: { 200: pageOf({ $ref: 'UnifiedHouseholdSummary#' }) },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'read_records');
      const { page, pageSize, offset } = pageArgs(req.query);
      const r = await listHouseholds(app.db, { regionPrefix: a.regionPrefix, category: req.query.category, township: req.query.township, q: req.query.q, offset, limit: pageSize });
      return {
        total: r.total,
        page,
        pageSize,
        items: r.items.map((h) => householdSummaryOut(h, h.prm_nos ?? [], h.lip_nos ?? [])),
      };
    },
  );

  app.get<{ Params: { householdId: string } }>(
    '/api/households/:householdId',
    {
      schema: {
        tags: ['link'],
        summary: '统一家庭详情：防返贫与低收入两侧记录并列（脱敏）',
        params: { type: 'object', properties: { householdId: { type: 'string', maxLength: 64 } }, required: ['householdId'] },
        response: {
          200: {
            type: 'object',
            properties: {
              household: { $ref: 'UnifiedHouseholdSummary#' },
              pairings: { type: 'array', items: { type: 'object', properties: { prmHouseholdNo: nullableString, lipFamilyNo: nullableString, members: { type: 'integer' }, sharedPersons: { type: 'integer' } } } },
              prm: { type: 'array', items: { type: 'object', properties: { household_no: { type: 'string' }, township: nullableString, village: nullableString, household_type: nullableString, monitoring_category: nullableString, recorded_size: { type: ['integer', 'null'] }, income_year: { type: ['integer', 'null'] }, attrs: anyObject, members: { type: 'array', items: { $ref: 'LinkRecord#' } } } } },
              lip: { type: 'array', items: { type: 'object', properties: { family_no: { type: 'string' }, township: nullableString, village: nullableString, person_category: nullableString, assistance_status: nullableString, recorded_size: { type: ['integer', 'null'] }, income_year: { type: ['integer', 'null'] }, attrs: anyObject, members: { type: 'array', items: { $ref: 'LinkRecord#' } } } } },
              persons: { type: 'array', items: { type: 'object', properties: { personId: { type: 'string' }, category: categoryProp, name: nullableString, prm: { type: 'array', items: { type: 'string' } }, lip: { type: 'array', items: { type: 'string' } } } } },
            },
          },
        },
      },
    },
    async (req) => {
      requirePermission(req, 'read_records');
      const d = await getHousehold(app.db, req.params.householdId);
      assertInScope(req, d.household.region_code);
      const h = d.household;
      const members = d.members.map((m) => ({ raw: m, out: recordOut(m) }));
      const persons = new Map<string, { personId: string; category: string; name: string | null; prm: string[]; lip: string[] }>();
      for (const m of d.members) {
        let p = persons.get(m.person_id);
        if (!p) persons.set(m.person_id, (p = { personId: m.person_id, category: m.person_category, name: maskName(m.name), prm: [], lip: [] }));
        p[m.system].push(m.group_no);
      }
      const stripPhone = (a: unknown) => ({ ...((a ?? {}) as object), phone: undefined });
      return {
        household: householdSummaryOut(h, d.prmHouseholds.map((x) => x.household_no), d.lipFamilies.map((x) => x.family_no)),
        pairings: d.pairings.map((p) => ({ prmHouseholdNo: p.prm_household_no, lipFamilyNo: p.lip_family_no, members: p.members, sharedPersons: p.shared_persons })),
        prm: d.prmHouseholds.map((x) => ({ ...x, attrs: stripPhone(x.attrs), members: members.filter((m) => m.raw.system === 'prm' && m.raw.group_no === x.household_no).map((m) => m.out) })),
        lip: d.lipFamilies.map((x) => ({
          ...x,
          attrs: { ...stripPhone(x.attrs), applicantName: maskName((x.attrs as { applicantName?: string }).applicantName), applicantIdNumber: maskIdNumber((x.attrs as { applicantIdNumber?: string }).applicantIdNumber) },
          members: members.filter((m) => m.raw.system === 'lip' && m.raw.group_no === x.family_no).map((m) => m.out),
        })),
        persons: [...persons.values()],
      };
    },
  );

  app.get<{ Querystring: { status?: 'pending' | 'accepted' | 'rejected'; page?: number; pageSize?: number } }>(
    '/api/reviews',
    {
      schema: {
        tags: ['link'],
        summary: '人工复核队列：候选配对两侧记录并列（脱敏）及字段一致情况',
        querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'accepted', 'rejected'] }, ...PAGE_QUERY_PROPS } },
        response: {
          200: pageOf({
            type: 'object',
            properties: {
              reviewId: { type: 'string' },
              countyCode: { type: 'string' },
              regionCode: { type: 'string' },
              status: { type: 'string' },
              score: { type: 'number' },
              agreements: anyObject,
              decidedBy: nullableString,
              decidedAt: nullableString,
              reason: nullableString,
              prm: { anyOf: [{ $ref: 'LinkRecord#' }, { type: 'null' }] },
              lip: { anyOf: [{ $ref: 'LinkRecord#' }, { type: 'null' }] },
            },
          }),
        },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'review');
      const { page, pageSize, offset } = pageArgs(req.query);
      const r = await listReviews(app.db, { regionPrefix: a.regionPrefix, status: req.query.status, offset, limit: pageSize });
      return {
        total: r.total,
        page,
        pageSize,
        items: r.items.map((x) => ({
          reviewId: x.review.review_id,
          countyCode: x.review.county_code,
          regionCode: x.review.region_code,
          status: x.review.status,
          score: Number(x.review.score),
          agreements: x.review.agreements as object,
          decidedBy: x.review.decided_by,
          decidedAt: x.review.decided_at ? new Date(x.review.decided_at).toISOString() : null,
          reason: x.review.reason,
          prm: recordOut(x.prm),
          lip: recordOut(x.lip),
        })),
      };
    },
  );

  app.post<{ Params: { reviewId: string }; Body: { decision: 'accept' | 'reject'; reason?: string } }>(
    '/api/reviews/:reviewId',
    {
      schema: {
        tags: ['link'],
        summary: '复核决定（确认同一人 / 不是同一人）；下次并库比对时生效并一直保留',
        params: { type: 'object', properties: { reviewId: { type: 'string', maxLength: 64 } }, required: ['reviewId'] },
        body: { type: 'object', properties: { decision: { type: 'string', enum: ['accept', 'reject'] }, reason: { type: 'string', maxLength: 500 } }, required: ['decision'] },
        response: { 200: { type: 'object', properties: { reviewId: { type: 'string' }, status: { type: 'string' }, decidedBy: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'review');
      const r = await findReview(app.db, req.params.reviewId);
      if (!r) throw new BinkuError('BK_LINK_REVIEW_NOT_FOUND', '复核记录不存在', { status: 404, en: 'review not found' });
      assertInScope(req, r.region_code);
      await decideReview(app.db, r.review_id, req.body.decision, a.username, req.body.reason ?? null);
      await writeAudit(app.db, {
        action: 'decision',
        countyCode: r.county_code,
        userId: a.userId,
        username: a.username,
        role: a.role,
        targetType: 'link_review',
        targetId: r.review_id,
        reason: req.body.reason ?? null,
        ip: req.ip,
        outcome: 'ok',
        details: { decision: req.body.decision },
      });
      return {
        reviewId: r.review_id,
        status: req.body.decision === 'accept' ? 'accepted' : 'rejected',
        decidedBy: a.username,
        message: '已保存复核决定，下次并库比对时生效',
      };
    },
  );

  app.get(
    '/api/export/households.csv',
    { schema: { tags: ['link'], summary: '导出并库家庭配对 CSV（household_id,category,prm_household_no,lip_family_no,county_code,members）', produces: ['text/csv'] } },
    async (req, reply) => {
      const a = requirePermission(req, 'read_records');
      const csv = await exportHouseholdsCsv(app.db, { regionPrefix: a.regionPrefix });
      await writeAudit(app.db, { action: 'export', userId: a.userId, username: a.username, role: a.role, targetType: 'households.csv', ip: req.ip, outcome: 'ok', details: { rows: csv.split('\n').length - 2 } });
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="households.csv"').send(csv);
    },
  );
};
