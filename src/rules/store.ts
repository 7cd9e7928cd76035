/**
 * Database edge of the rules module: the `standard` table (versioned, seeded
 * with DEFAULT_STANDARDS on first use) and `loadSnapshots`, which builds
 * HouseholdSnapshots from the linkage tables (unified_household,
 * household_pairing) plus the PRM/LIP/feed rows of current import files.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../db/dialect.ts';
import type { LipFamilyAttrs, LipMemberAttrs, LipMemberTable, PrmHouseholdAttrs, PrmMemberAttrs, PrmMemberTable } from '../db/schema.ts';
import { BinkuError } from '../domain/errors.ts';
import { buildSnapshot, type LipFamilyRecord, type MemberRecord, type PrmHouseholdRecord } from '../harmonize/snapshot.ts';
import type { HouseholdSnapshot, SignalEvent } from './snapshot.ts';
import { DEFAULT_STANDARDS, isStandardKind, standardsInForce, validateStandard, type Standard } from './standards.ts';

const iso = (d: Date | string | null): string | null => {
  if (d === null) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  // date columns arrive as local-midnight Date objects on both drivers
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
};

const countyOf = (prefix: string): string => (prefix.length >= 6 ? prefix.slice(0, 6) : '');

/** A PRM or LIP member row as the harmonizer reads it (both tables share these columns). */
function memberRecord<A>(m: Selectable<PrmMemberTable> | Selectable<LipMemberTable>): MemberRecord<A> {
  return {
    fileId: m.file_id,
    rowNo: m.row_no,
    name: m.name,
    idNumber: m.id_number,
    sex: m.sex,
    birthDate: iso(m.birth_date),
    relation: m.relation,
    attrs: m.attrs as A,
  };
}

/** Appends `value` to the list under `key` (insertion order kept). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Inserts the defaults when the table is empty (idempotent). */
export async function seedDefaultStandards(db: Db): Promise<number> {
  const n = await db.selectFrom('standard').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(n.n) > 0) return 0;
  await db
    .insertInto('standard')
    .values(
      DEFAULT_STANDARDS.map((s) => ({
        county_code: countyOf(s.regionPrefix),
        kind: s.kind,
        region_prefix: s.regionPrefix,
        valid_from: s.validFrom,
        version: s.version,
        valid_to: s.validTo,
        amount: s.amount,
        source: s.source,
        created_by: 'seed',
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  return DEFAULT_STANDARDS.length;
}

/** Every standard row (seeding defaults first), optionally only those that apply to `regionCode`. */
export async function listStandards(db: Db, opts: { regionCode?: string } = {}): Promise<Standard[]> {
  await seedDefaultStandards(db);
  const rows = await db.selectFrom('standard').selectAll().orderBy('kind').orderBy('region_prefix').orderBy('valid_from').orderBy('version').execute();
  const out: Standard[] = [];
  for (const r of rows) {
    if (!isStandardKind(r.kind)) continue;
    if (opts.regionCode !== undefined && !opts.regionCode.startsWith(r.region_prefix)) continue;
    out.push({ kind: r.kind, regionPrefix: r.region_prefix, amount: Number(r.amount), validFrom: iso(r.valid_from)!, validTo: iso(r.valid_to), source: r.source, version: r.version });
  }
  return out;
}

export interface SaveResult {
  inserted: number;
  unchanged: number;
}

/**
 * Saves standard rows. A row identical to the latest version of its (kind,
 * prefix, valid_from), or to the stored row of the same version, is unchanged;
 * any other becomes a new version (latest + 1), so history is never
 * overwritten. All or nothing: one invalid row rejects all.
 */
export async function saveStandards(db: Db, rows: readonly Standard[], createdBy: string | null): Promise<SaveResult> {
  const problems = rows.flatMap((r, i) => validateStandard(r).map((p) => `第 ${i + 1} 行: ${p}`));
  if (problems.length) throw new BinkuError('BK_RULES_STANDARD_INVALID', `标准数据无效: ${problems.slice(0, 5).join('；')}`, { status: 400, details: { problems } });
  await seedDefaultStandards(db);
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    let unchanged = 0;
    for (const r of rows) {
      const versions = await trx
        .selectFrom('standard')
        .selectAll()
        .where('county_code', '=', countyOf(r.regionPrefix))
        .where('kind', '=', r.kind)
        .where('region_prefix', '=', r.regionPrefix)
        .where('valid_from', '=', r.validFrom)
        .orderBy('version', 'desc')
        .execute();
      const same = (v: (typeof versions)[number]): boolean => Number(v.amount) === r.amount && iso(v.valid_to) === r.validTo && v.source === r.source;
      // Unchanged: the same version exists with the same values (re-importing an export),
      // or the latest version already says this.
      if (versions.some((v) => v.version === r.version && same(v)) || (versions[0] && same(versions[0]))) {
        unchanged += 1;
        continue;
      }
      const cur = versions[0];
      await trx
        .insertInto('standard')
        .values({
          county_code: countyOf(r.regionPrefix),
          kind: r.kind,
          region_prefix: r.regionPrefix,
          valid_from: r.validFrom,
          version: cur ? cur.version + 1 : 1,
          valid_to: r.validTo,
          amount: r.amount,
          source: r.source,
          created_by: createdBy,
        })
        .execute();
      inserted += 1;
    }
    return { inserted, unchanged };
  });
}

export interface LoadOptions {
  countyCode?: string;
  householdId?: string;
  /** Only households whose region code starts with this (caller's scope). */
  regionPrefix?: string;
  /** Snapshot date; default: the latest department event or PRM income-year end (30 Sep) in the data, not after today. */
  asOf?: string;
}

/**
 * Builds snapshots for unified households (all of a county, or one). Only rows of
 * import files with status 'current' are used; PRM rows of superseded files of the
 * same households give the income history for 风险消除.
 */
export async function loadSnapshots(db: Db, opts: LoadOptions, standards?: Standard[]): Promise<HouseholdSnapshot[]> {
  let q = db.selectFrom('unified_household').select(['county_code', 'household_id', 'region_code']);
  if (opts.countyCode) q = q.where('county_code', '=', opts.countyCode);
  if (opts.householdId) q = q.where('household_id', '=', opts.householdId);
  if (opts.regionPrefix) q = q.where('region_code', 'like', `${opts.regionPrefix}%`);
  const hhs = await q.orderBy('county_code').orderBy('household_id').execute();
  if (hhs.length === 0) return [];
  const std = standards ?? (await listStandards(db));
  const counties = [...new Set(hhs.map((h) => h.county_code))];
  const out: HouseholdSnapshot[] = [];
  for (const county of counties) {
    const ids = new Set(hhs.filter((h) => h.county_code === county).map((h) => h.household_id));
    const one = opts.householdId !== undefined;
    let pq = db.selectFrom('household_pairing').selectAll().where('county_code', '=', county);
    if (one) pq = pq.where('household_id', '=', opts.householdId!);
    const pairings = (await pq.execute()).filter((p) => ids.has(p.household_id));
    const prmNos = [...new Set(pairings.map((p) => p.prm_household_no).filter((x): x is string => !!x))];
    const lipNos = [...new Set(pairings.map((p) => p.lip_family_no).filter((x): x is string => !!x))];

    const files = await db.selectFrom('import_file').select(['file_id', 'system', 'status']).where('county_code', '=', county).execute();
    const fileStatus = new Map(files.map((f) => [f.file_id, f.status]));
    const inList = <T>(xs: T[]): T[] => (xs.length ? xs : ([null] as unknown as T[]));

    // One household: filter by its numbers. A whole county: read the county's rows
    // (no IN list — PostgreSQL caps bind parameters at 65535).
    const currentFiles = (system: string) => inList(files.filter((f) => f.status === 'current' && f.system === system).map((f) => f.file_id));
    const lipCurrent = currentFiles('lip');
    const feedCurrent = currentFiles('feed');
    const prmH =
      one && prmNos.length === 0
        ? []
        : await db
            .selectFrom('prm_household')
            .selectAll()
            .where('county_code', '=', county)
            .$if(one, (qb) => qb.where('household_no', 'in', inList(prmNos)))
            .execute();
    const prmM =
      one && prmNos.length === 0
        ? []
        : await db
            .selectFrom('prm_member')
            .selectAll()
            .where('county_code', '=', county)
            .$if(one, (qb) => qb.where('household_no', 'in', inList(prmNos)))
            .execute();
    const lipH =
      one && lipNos.length === 0
        ? []
        : await db
            .selectFrom('lip_family')
            .selectAll()
            .where('county_code', '=', county)
            .where('file_id', 'in', lipCurrent)
            .$if(one, (qb) => qb.where('family_no', 'in', inList(lipNos)))
            .execute();
    const lipM =
      one && lipNos.length === 0
        ? []
        : await db
            .selectFrom('lip_member')
            .selectAll()
            .where('county_code', '=', county)
            .where('file_id', 'in', lipCurrent)
            .$if(one, (qb) => qb.where('family_no', 'in', inList(lipNos)))
            .execute();
    const memberIds = [...new Set([...prmM, ...lipM].map((m) => m.id_number).filter((x): x is string => !!x))];
    const sigRows = await db
      .selectFrom('signal')
      .selectAll()
      .where('county_code', '=', county)
      .where('id_number', 'is not', null)
      .where('file_id', 'in', feedCurrent)
      .$if(one, (qb) => qb.where('id_number', 'in', inList(memberIds)))
      .execute();
    const signalsById = new Map<string, SignalEvent[]>();
    for (const r of sigRows) {
      const e: SignalEvent = { source: r.source, eventType: r.event_type, date: iso(r.event_date), amount: r.amount === null ? null : Number(r.amount), note: r.note, idNumber: r.id_number, file: r.file_id };
      pushTo(signalsById, r.id_number!, e);
    }

    const membersOf = new Map<string, typeof prmM>();
    for (const m of prmM) pushTo(membersOf, `${m.file_id}|${m.household_no}`, m);
    const lipMembersOf = new Map<string, typeof lipM>();
    for (const m of lipM) pushTo(lipMembersOf, `${m.file_id}|${m.family_no}`, m);

    const prmRecord = (h: (typeof prmH)[number]): PrmHouseholdRecord => ({
      fileId: h.file_id,
      householdNo: h.household_no,
      regionCode: h.region_code,
      township: h.township,
      village: h.village,
      householdType: h.household_type,
      monitoringCategory: h.monitoring_category,
      incomeYear: h.income_year,
      attrs: h.attrs as PrmHouseholdAttrs,
      current: fileStatus.get(h.file_id) === 'current',
      members: (membersOf.get(`${h.file_id}|${h.household_no}`) ?? []).map((m) => memberRecord<PrmMemberAttrs>(m)),
    });
    const lipRecord = (f: (typeof lipH)[number]): LipFamilyRecord => ({
      fileId: f.file_id,
      familyNo: f.family_no,
      regionCode: f.region_code,
      township: f.township,
      village: f.village,
      personCategory: f.person_category,
      assistanceStatus: f.assistance_status,
      incomeYear: f.income_year,
      attrs: f.attrs as LipFamilyAttrs,
      members: (lipMembersOf.get(`${f.file_id}|${f.family_no}`) ?? []).map((m) => memberRecord<LipMemberAttrs>(m)),
    });
    const prmByNo = new Map<string, PrmHouseholdRecord[]>();
    for (const h of prmH) {
      if (!fileStatus.has(h.file_id)) continue;
      pushTo(prmByNo, h.household_no, prmRecord(h));
    }
    const lipByNo = new Map<string, LipFamilyRecord>();
    for (const f of lipH) lipByNo.set(f.family_no, lipRecord(f));

    // Default snapshot date (county-wide, so one household and the whole county agree):
    // the latest department event or PRM income-year end (30 Sep), never after today.
    let asOf = opts.asOf;
    if (!asOf) {
      const today = new Date().toISOString().slice(0, 10);
      const ev = await db
        .selectFrom('signal')
        .select((eb) => eb.fn.max('event_date').as('d'))
        .where('county_code', '=', county)
        .where('event_date', '<=', today)
        .where('file_id', 'in', feedCurrent)
        .executeTakeFirst();
      const yr = await db.selectFrom('prm_household').select((eb) => eb.fn.max('income_year').as('y')).where('county_code', '=', county).executeTakeFirst();
      const dates = [iso((ev?.d as Date | string | null | undefined) ?? null), yr?.y ? `${yr.y}-09-30` : null].filter((d): d is string => !!d && d <= today);
      asOf = dates.length ? dates.reduce((x, y) => (x > y ? x : y)) : today;
    }

    const byHousehold = new Map<string, typeof pairings>();
    for (const p of pairings) pushTo(byHousehold, p.household_id, p);
    for (const hh of hhs.filter((h) => h.county_code === county)) {
      const ps = byHousehold.get(hh.household_id) ?? [];
      const prm = [...new Set(ps.map((p) => p.prm_household_no).filter((x): x is string => !!x))].flatMap((no) => prmByNo.get(no) ?? []);
      const lip = [...new Set(ps.map((p) => p.lip_family_no).filter((x): x is string => !!x))].map((no) => lipByNo.get(no)).filter((x): x is LipFamilyRecord => !!x);
      if (!prm.some((r) => r.current !== false) && lip.length === 0) continue;
      const ids = new Set([...prm.filter((r) => r.current !== false).flatMap((r) => r.members), ...lip.flatMap((f) => f.members)].map((m) => m.idNumber).filter((x): x is string => !!x));
      const signals = [...ids].flatMap((id) => signalsById.get(id) ?? []);
      const set = standardsInForce(std, hh.region_code, asOf);
      out.push(
        buildSnapshot(
          { householdId: hh.household_id, countyCode: county, asOf, prm, lip, signals },
          { basicPensionMonthly: set.basic_pension_monthly.amount, conflictShare: set.conflict_share.amount },
        ),
      );
    }
  }
  return out;
}

/** Region code of a unified household, or undefined when there is none. */
export async function findHouseholdRegion(db: Db, householdId: string): Promise<{ countyCode: string; regionCode: string } | undefined> {
  const r = await db.selectFrom('unified_household').select(['county_code', 'region_code']).where('household_id', '=', householdId).executeTakeFirst();
  return r ? { countyCode: r.county_code, regionCode: r.region_code } : undefined;
}
