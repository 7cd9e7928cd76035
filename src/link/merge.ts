/**
 * `merge` service: for each county with current imports, link persons, build
 * unified households and pairings, compute non-overlap reasons and write the
 * results. A county whose inputs (records, winning files, review decisions)
 * are unchanged since its last merge is skipped (incremental); merging the
 * same data twice gives identical rows.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rawDriverOf, type Db } from '../db/dialect.ts';
import { countyResults, type CountyInput } from './county-results.ts';
import { DEFAULT_THRESHOLDS, type LinkThresholds } from './link-persons.ts';
import { startLinkWorker, type LinkWorker } from './link-worker.ts';
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
export const LINK_VERSION = 'link-v2'; // v2: no (birth year + surname pinyin) blocking rule

export interface MergeOptions {
  countyCode?: string;
  startedBy?: string | null;
  /** Recompute even when inputs are unchanged. */
  force?: boolean;
  thresholds?: LinkThresholds;
  standards?: LinkStandards;
  onProgress?: (county: string, done: number, total: number) => void;
  /** Link in a worker thread (default: for counties of at least WORKER_MIN_RECORDS records, when COPY is available). */
  worker?: boolean;
}

/** Counties this large are linked in a worker thread (its start-up, ≈ 0.3 s, would dominate smaller ones). */
export const WORKER_MIN_RECORDS = 50_000;

/** The merge's one linkage worker, started on first need. */
class Workers {
  private w: LinkWorker | null = null;
  constructor(private readonly allowed: boolean | undefined) {}
  for(records: number): LinkWorker | null {
    if (this.allowed === false || (this.allowed === undefined && records < WORKER_MIN_RECORDS)) return null;
    this.w ??= startLinkWorker();
    return this.w;
  }
  async close(): Promise<void> {
    await this.w?.close();
  }
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
  // A pipeline: county k+2 is loaded while k+1 is linked (in a worker thread for
  // large counties, so the COPY keeps flowing) and k's results are written; at
  // most one write in flight.
  const workers = new Workers(rawDriverOf(db) ? opts.worker : false);
  let writing: Promise<void> = Promise.resolve();
  let failure: { e: unknown } | null = null;
  let next = counties.length > 0 ? loadCounty(db, counties[0], opts) : null;
  try {
    for (let i = 0; i < counties.length && !failure; i++) {
      const loaded = await (next as Promise<LoadedCounty>);
      next = i + 1 < counties.length ? loadCounty(db, counties[i + 1], opts) : null;
      next?.catch(() => {}); // a failed load is reported when it is awaited
      const write = await prepareCounty(db, loaded, runId, opts, workers);
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
  } finally {
    await writing.catch(() => {});
    await workers.close();
  }
  if (failure) throw (failure as { e: unknown }).e;
  return { run_id: runId, counties: out, ms: Date.now() - t0 };
}

export async function mergeCounty(db: Db, county: string, runId: string, opts: MergeOptions = {}): Promise<CountyMergeSummary> {
  const workers = new Workers(rawDriverOf(db) ? opts.worker : false);
  try {
    return await (await prepareCounty(db, await loadCounty(db, county, opts), runId, opts, workers))();
  } finally {
    await workers.close();
  }
}

interface LoadedCounty {
  county: string;
  t0: number;
  loadMs: number;
  inputHash: string;
  prmCount: number;
  lipCount: number;
  /** Null when the inputs are unchanged since the last merge (nothing to link). */
  input: CountyInput | null;
}

/** Reads one county's records, decisions and household facts; decides whether it is unchanged. */
async function loadCounty(db: Db, county: string, opts: MergeOptions): Promise<LoadedCounty> {
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
  const base = { county, t0, inputHash, prmCount: prm.length, lipCount: lip.length };
  if (!opts.force && (await lastInputHash(db, county)) === inputHash) return { ...base, loadMs: Date.now() - t0, input: null };
  const [prmFacts, lipFacts] = await Promise.all([loadPrmHouseholds(db, county), loadLipFamilies(db, county)]);
  return { ...base, loadMs: Date.now() - t0, input: { county, runId: '', records, decisions, prmFacts, lipFacts, th, std } };
}

/**
 * Links one loaded county in memory (in the worker thread for large ones); the
 * returned step writes its results in one transaction.
 */
async function prepareCounty(db: Db, loaded: LoadedCounty, runId: string, opts: MergeOptions, workers: Workers): Promise<() => Promise<CountyMergeSummary>> {
  const { county, t0, inputHash, prmCount, lipCount } = loaded;
  const runRow = (status: 'done' | 'skipped_unchanged', counts: { persons: number; households: number; pairings: number }, stats: object) => ({
    county_code: county,
    run_id: runId,
    started_at: new Date(t0),
    finished_at: new Date(),
    status,
    input_hash: inputHash,
    prm_records: prmCount,
    lip_records: lipCount,
    ...counts,
    stats: JSON.stringify(stats),
    started_by: opts.startedBy ?? null,
  });
  if (!loaded.input) return async () => {
    const prev = await summaryFromDb(db, county);
    await db
      .insertInto('merge_run')
      .values(runRow('skipped_unchanged', { persons: prev.persons, households: prev.households.total, pairings: prev.pairings }, { skipped: true }))
      .execute();
    return { ...prev, county_code: county, status: 'skipped_unchanged', prm_records: prmCount, lip_records: lipCount, ms: Date.now() - t0 };
  };

  const tLink = Date.now();
  const input = { ...loaded.input, runId };
  loaded.input = null; // the records are not needed after linking
  const worker = workers.for(input.records.length);
  const res = worker ? await worker.run(input) : countyResults(input);

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
      for (const t of res.tables) {
        await write(t);
        lap(t.table);
      }
      await saveReviewCandidates(tx, county, res.reviews);
      lap('link_review');
      await tx
        .insertInto('merge_run')
        .values(
          runRow(
            'done',
            { persons: res.persons, households: res.households.total, pairings: res.pairings },
            {
              methods: res.methods,
              link: res.linkStats,
              em: res.params,
              categories: res.households,
              link_ms: res.linkMs,
              write_ms: Date.now() - tWrite,
              load_ms: loaded.loadMs,
              prepare_ms: tWrite - tLink, // linking and hand-over, then waiting for the previous write
              timings,
            },
          ),
        )
        .execute();
    });
    return {
      county_code: county,
      status: 'done',
      prm_records: prmCount,
      lip_records: lipCount,
      persons: res.persons,
      households: res.households,
      pairings: res.pairings,
      methods: res.methods,
      review_pending: res.reviews.length,
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
