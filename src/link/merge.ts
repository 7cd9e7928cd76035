/**
 * `merge` service: for each county with current imports, link persons, build
 * unified households and pairings, compute non-overlap reasons and write the
 * results. A county whose inputs (records, winning files, review decisions)
 * are unchanged since its last merge is skipped (incremental); merging the
 * same data twice gives identical rows.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db/dialect.ts';
import type { NonOverlapReason } from '../db/schema.ts';
import { reconcile } from './households.ts';
import { DEFAULT_THRESHOLDS, linkPersons, type LinkThresholds } from './link-persons.ts';
import { lipOnlyReasons, prmOnlyReasons } from './reasons.ts';
import { DEFAULT_STANDARDS, type LinkStandards } from './standards.ts';
import { listStandards } from '../rules/store.ts';
import { standardsInForce } from '../rules/standards.ts';
import {
  deleteCounty,
  lastInputHash,
  listCounties,
  loadDecisions,
  loadLipFamilies,
  loadPrmHouseholds,
  loadRecords,
  saveReviewCandidates,
  withResultTransaction,
} from './store.ts';

/** Bump when the algorithm changes so incremental merges recompute. */
export const LINK_VERSION = 'link-v1';

export interface MergeOptions {
  countyCode?: string;
  startedBy?: string | null;
  /** Recompute even when inputs are unchanged. */
  force?: boolean;
  thresholds?: LinkThresholds;
  standards?: LinkStandards;
  onProgress?: (county: string, done: number, total: number) => void;
}

export interface CountyMergeSummary {
  county_code: string;
  status: 'done' | 'skipped_unchanged';
  prm_records: number;
  lip_records: number;
  persons: number;
  households: { II: number; III: number; IV: number; total: number };
  pairings: number;
  methods: Record<string, number>;
  review_pending: number;
  ms: number;
}

export interface MergeSummary {
  run_id: string;
  counties: CountyMergeSummary[];
  ms: number;
}

export async function mergeAll(db: Db, opts: MergeOptions = {}): Promise<MergeSummary> {
  const t0 = Date.now();
  const runId = `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const counties = opts.countyCode ? [opts.countyCode] : await listCounties(db);
  const out: CountyMergeSummary[] = [];
  // County k+1 is loaded and linked (CPU in this process) while county k's
  // results are written (work in the database): at most one write in flight.
  let writing: Promise<void> = Promise.resolve();
  let failure: { e: unknown } | null = null;
  for (let i = 0; i < counties.length && !failure; i++) {
    const write = await prepareCounty(db, counties[i], runId, opts);
    await writing;
    if (failure) break;
    writing = write().then(
      (s) => {
        out.push(s);
        opts.onProgress?.(counties[i], i + 1, counties.length);
      },
      (e: unknown) => {
        failure = { e };
      },
    );
  }
  await writing;
  if (failure) throw (failure as { e: unknown }).e;
  return { run_id: runId, counties: out, ms: Date.now() - t0 };
}

export async function mergeCounty(db: Db, county: string, runId: string, opts: MergeOptions = {}): Promise<CountyMergeSummary> {
  return (await prepareCounty(db, county, runId, opts))();
}

/**
 * Loads and links one county in memory; the returned step writes its results
 * in one transaction. mergeAll prepares the next county while the previous
 * one's results are being written (at most one write in flight).
 */
async function prepareCounty(db: Db, county: string, runId: string, opts: MergeOptions): Promise<() => Promise<CountyMergeSummary>> {
  const t0 = Date.now();
  const th = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const std = opts.standards ?? (await countyStandards(db, county));
  const [prm, lip, decisions] = await Promise.all([loadRecords(db, county, 'prm'), loadRecords(db, county, 'lip'), loadDecisions(db, county)]);
  const records = [...prm, ...lip];

  // Input hash: every record's content hash and file, every decision, thresholds, standards, version.
  const h = createHash('sha1');
  h.update(`${LINK_VERSION}|${JSON.stringify(th)}|${JSON.stringify(std)}\n`);
  for (const r of records) h.update(`${r.system}|${r.key}|${r.hash}|${r.fileId}|${r.rowNo}\n`);
  for (const d of decisions) if (d.status !== 'pending') h.update(`${d.prmKey}|${d.lipKey}|${d.status}\n`);
  const inputHash = h.digest('hex');
  if (!opts.force && (await lastInputHash(db, county)) === inputHash) return async () => {
    const prev = await summaryFromDb(db, county);
    await db
      .insertInto('merge_run')
      .values({
        county_code: county,
        run_id: runId,
        started_at: new Date(t0),
        finished_at: new Date(),
        status: 'skipped_unchanged',
        input_hash: inputHash,
        prm_records: prm.length,
        lip_records: lip.length,
        persons: prev.persons,
        households: prev.households.total,
        pairings: prev.pairings,
        stats: JSON.stringify({ skipped: true }),
        started_by: opts.startedBy ?? null,
      })
      .execute();
    return { ...prev, county_code: county, status: 'skipped_unchanged', prm_records: prm.length, lip_records: lip.length, ms: Date.now() - t0 };
  };

  const tLink = Date.now();
  const linked = linkPersons(records, decisions, th);
  const rec = reconcile(county, records, linked.links);
  const linkMs = Date.now() - tLink;

  // Non-overlap reasons per unified household (categories II and III).
  const [prmFacts, lipFacts] = await Promise.all([loadPrmHouseholds(db, county), loadLipFamilies(db, county)]);
  const prmBy = new Map(prmFacts.map((f) => [f.household_no, f]));
  const lipBy = new Map(lipFacts.map((f) => [f.family_no, f]));
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
  const householdRows = rec.households.map((hh) => {
    const reasons: NonOverlapReason[] = [];
    if (hh.category === 'II') {
      for (const no of hh.prmNos) {
        const f = prmBy.get(no);
        if (!f) continue;
        const a = f.attrs;
        reasons.push(
          ...prmOnlyReasons(
            {
              householdType: f.household_type,
              members: f.members,
              netIncome: num(a.netIncome),
              netIncomePc: num(a.netIncomePc),
              transferDibao: num(a.transferDibao),
              transferTekun: num(a.transferTekun),
              riskCleared: typeof a.riskCleared === 'boolean' ? a.riskCleared : null,
              labourMissing: f.labour_missing,
            },
            std,
          ),
        );
      }
    } else if (hh.category === 'III') {
      for (const no of hh.lipNos) {
        const f = lipBy.get(no);
        if (!f) continue;
        const a = f.attrs;
        reasons.push(
          ...lipOnlyReasons(
            {
              hukou: typeof a.hukou === 'string' ? a.hukou : null,
              members: f.members,
              disposableIncome: num(a.disposableIncome),
              incomeMonthlyPc: num(a.incomeMonthlyPc),
              deposits: num(a.deposits),
              vehicles: num(a.vehicles),
              houses: num(a.houses),
              assistanceStatus: f.assistance_status,
              labourMissing: f.labour_missing,
            },
            std,
          ),
        );
      }
    }
    const first = hh.prmNos.length ? prmBy.get(hh.prmNos[0]) : lipBy.get(hh.lipNos[0]);
    return {
      county_code: county,
      household_id: hh.householdId,
      category: hh.category,
      region_code: hh.regionCode,
      township: first?.township ?? null,
      village: first?.village ?? null,
      prm_households: hh.prmNos.length,
      lip_families: hh.lipNos.length,
      persons: hh.persons,
      persons_prm_only: hh.personsPrmOnly,
      persons_lip_only: hh.personsLipOnly,
      persons_both: hh.personsBoth,
      head_name: first?.head_name ?? null,
      reasons,
      run_id: runId,
    };
  });

  const methods: Record<string, number> = {};
  for (const l of linked.links) methods[l.method] = (methods[l.method] ?? 0) + 1;
  const counts = { II: 0, III: 0, IV: 0, total: rec.households.length };
  for (const hh of rec.households) counts[hh.category]++;

  return async () => {
  const tWrite = Date.now();
  const timings: Record<string, number> = {};
  let tStep = Date.now();
  const lap = (k: string): void => {
    timings[k] = Date.now() - tStep;
    tStep = Date.now();
  };
  await withResultTransaction(db, async (tx, write) => {
    await deleteCounty(tx, county);
    lap('delete');
    await write(
      'person',
      rec.persons.map((p) => ({
        county_code: county,
        person_id: p.personId,
        id_number: p.idNumber,
        name: p.name,
        birth_date: p.birthDate,
        sex: p.sex,
        region_code: p.regionCode,
        in_prm: p.inPrm,
        in_lip: p.inLip,
        category: p.category,
        household_id: p.householdId,
      })),
    );
    lap('person');
    await write(
      'person_record',
      records.map((r, i) => ({
        county_code: county,
        system: r.system,
        record_key: r.key,
        person_id: rec.personIds[i],
        group_no: r.groupNo,
        region_code: r.regionCode,
        file_id: r.fileId,
        row_no: r.rowNo,
        method: linked.links[i].method,
        score: linked.links[i].score,
        agreements: linked.links[i].agreements,
        record_hash: r.hash,
      })),
    );
    lap('person_record');
    await write('unified_household', householdRows);
    lap('unified_household');
    await write(
      'household_pairing',
      rec.pairings.map((p) => ({
        county_code: county,
        pairing_key: p.pairingKey,
        household_id: p.householdId,
        prm_household_no: p.prmNo,
        lip_family_no: p.lipNo,
        prm_file_id: p.prmFileId,
        lip_file_id: p.lipFileId,
        region_code: p.regionCode,
        members: p.members,
        shared_persons: p.sharedPersons,
      })),
    );
    lap('household_pairing');
    await saveReviewCandidates(
      tx,
      county,
      linked.reviews.map((r) => ({
        county_code: county,
        review_id: `R${createHash('sha1').update(`${county}|${r.prmKey}|${r.lipKey}`).digest('hex').slice(0, 20)}`,
        prm_record_key: r.prmKey,
        lip_record_key: r.lipKey,
        region_code: r.regionCode,
        score: r.score,
        agreements: r.agreements,
      })),
    );
    lap('link_review');
    await tx
      .insertInto('merge_run')
      .values({
        county_code: county,
        run_id: runId,
        started_at: new Date(t0),
        finished_at: new Date(),
        status: 'done',
        input_hash: inputHash,
        prm_records: prm.length,
        lip_records: lip.length,
        persons: rec.persons.length,
        households: rec.households.length,
        pairings: rec.pairings.filter((p) => p.prmNo && p.lipNo).length,
        stats: JSON.stringify({ methods, link: linked.stats, em: linked.params, categories: counts, link_ms: linkMs, write_ms: Date.now() - tWrite, load_ms: tLink - t0, facts_ms: tWrite - tLink - linkMs, timings }),
        started_by: opts.startedBy ?? null,
      })
      .execute();
  });
  return {
    county_code: county,
    status: 'done',
    prm_records: prm.length,
    lip_records: lip.length,
    persons: rec.persons.length,
    households: counts,
    pairings: rec.pairings.filter((p) => p.prmNo && p.lipNo).length,
    methods,
    review_pending: linked.reviews.length,
    ms: Date.now() - t0,
  };
  };
}

/** Standards in force today for the county from the rules module's table; RULES.md defaults if none. */
async function countyStandards(db: Db, county: string): Promise<LinkStandards> {
  try {
    const set = standardsInForce(await listStandards(db, { regionCode: `${county}000000` }), `${county}000000`, new Date().toISOString().slice(0, 10));
    return {
      dibaoAnnual: set.dibao_annual.amount,
      monitoringLine: set.monitoring_line.amount,
      edgeMultiple: set.edge_multiple.amount,
      depositMonths: set.deposit_months.amount,
      source: `${set.dibao_annual.source}（${set.dibao_annual.regionPrefix || '全国'} ${set.dibao_annual.validFrom}）`,
    };
  } catch {
    return DEFAULT_STANDARDS;
  }
}

async function summaryFromDb(db: Db, county: string): Promise<Omit<CountyMergeSummary, 'county_code' | 'status' | 'prm_records' | 'lip_records' | 'ms'>> {
  const cats = await db.selectFrom('unified_household').select(['category', (eb) => eb.fn.countAll<number>().as('n')]).where('county_code', '=', county).groupBy('category').execute();
  const households = { II: 0, III: 0, IV: 0, total: 0 };
  for (const c of cats) {
    households[c.category] = Number(c.n);
    households.total += Number(c.n);
  }
  const m = await db.selectFrom('person_record').select(['method', (eb) => eb.fn.countAll<number>().as('n')]).where('county_code', '=', county).groupBy('method').execute();
  const methods: Record<string, number> = {};
  for (const r of m) methods[r.method] = Number(r.n);
  const persons = await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('county_code', '=', county).executeTakeFirstOrThrow();
  const pairings = await db
    .selectFrom('household_pairing')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', county)
    .where('prm_household_no', 'is not', null)
    .where('lip_family_no', 'is not', null)
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('link_review')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('county_code', '=', county)
    .where('status', '=', 'pending')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return { persons: Number(persons.n), households, pairings: Number(pairings.n), methods, review_pending: Number(pending.n) };
}
