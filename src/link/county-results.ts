/**
 * One county's merge results, computed in memory (no database): link the
 * persons, reconcile the households, compute the non-overlap reasons and
 * shape the rows of the result tables. merge.ts runs it in-process or, for
 * large counties, in a worker thread (link-worker.ts) while the previous
 * county's rows are written.
 */
import { hash } from 'node:crypto';
import { copyText } from '../db/copy-text.ts';
import type { NonOverlapReason } from '../db/schema.ts';
import { reconcile } from './households.ts';
import { linkPersons, type LinkResult, type LinkThresholds } from './link-persons.ts';
import { lipOnlyReasons, prmOnlyReasons } from './reasons.ts';
import type { LinkStandards } from './standards.ts';
import type { LipFamilyFacts, PrmHouseholdFacts, ReviewRow } from './store.ts';
import type { LinkRecord, ReviewDecision } from './types.ts';

export type LinkTable = 'person' | 'person_record' | 'unified_household' | 'household_pairing';

export interface CountyInput {
  county: string;
  runId: string;
  records: LinkRecord[];
  decisions: ReviewDecision[];
  prmFacts: PrmHouseholdFacts[];
  lipFacts: LipFamilyFacts[];
  th: LinkThresholds;
  std: LinkStandards;
}

/** Rows of one result table: objects keyed by column, or (from a worker) COPY text in chunks. */
export type TableData = LazyRows | { table: LinkTable; cols: readonly string[]; chunks: Uint8Array[] };
/** `n` rows made on demand, one chunk at a time (holding every row object at once cost memory and GC time). */
export interface LazyRows {
  table: LinkTable;
  n: number;
  row: (i: number) => object;
}

/** Rows [from, to) of a lazy table. */
export const rowsOf = (t: LazyRows, from = 0, to = t.n): object[] => Array.from({ length: to - from }, (_, k) => t.row(from + k));

export interface CountyResults {
  /** In write order. */
  tables: TableData[];
  reviews: ReviewRow[];
  persons: number;
  households: { II: number; III: number; IV: number; total: number };
  /** Pairings with both a PRM household and a LIP family. */
  pairings: number;
  methods: Record<string, number>;
  linkStats: LinkResult['stats'];
  params: LinkResult['params'];
  linkMs: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);

export function countyResults(input: CountyInput): CountyResults {
  const { county, runId, records, std } = input;
  const tLink = Date.now();
  const linked = linkPersons(records, input.decisions, input.th);
  const rec = reconcile(county, records, linked.links);
  const linkMs = Date.now() - tLink;

  // Non-overlap reasons per unified household (categories II and III).
  const prmBy = new Map(input.prmFacts.map((f) => [f.household_no, f]));
  const lipBy = new Map(input.lipFacts.map((f) => [f.family_no, f]));
  const householdRow = (hh: (typeof rec.households)[number]) => {
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
  };

  const methods: Record<string, number> = {};
  for (const l of linked.links) methods[l.method] = (methods[l.method] ?? 0) + 1;
  const households = { II: 0, III: 0, IV: 0, total: rec.households.length };
  for (const hh of rec.households) households[hh.category]++;

  const tables: TableData[] = [
    {
      table: 'person',
      n: rec.persons.length,
      row: (k) => {
        const p = rec.persons[k];
        return {
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
        };
      },
    },
    {
      table: 'person_record',
      n: records.length,
      row: (i) => {
        const r = records[i];
        return {
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
        };
      },
    },
    { table: 'unified_household', n: rec.households.length, row: (k) => householdRow(rec.households[k]) },
    {
      table: 'household_pairing',
      n: rec.pairings.length,
      row: (k) => {
        const p = rec.pairings[k];
        return {
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
        };
      },
    },
  ];
  return {
    tables,
    reviews: linked.reviews.map((r) => ({
      county_code: county,
      review_id: `R${hash('sha1', `${county}|${r.prmKey}|${r.lipKey}`, 'hex').slice(0, 20)}`,
      prm_record_key: r.prmKey,
      lip_record_key: r.lipKey,
      region_code: r.regionCode,
      score: r.score,
      agreements: r.agreements,
    })),
    persons: rec.persons.length,
    households,
    pairings: rec.pairings.filter((p) => p.prmNo && p.lipNo).length,
    methods,
    linkStats: linked.stats,
    params: linked.params,
    linkMs,
  };
}

/** Rows per COPY statement (bounds the text held at once). */
export const COPY_CHUNK = 50_000;
const utf8 = new TextEncoder();
/** Rows turned into text this many at a time: a whole chunk's row objects outlived the young generation and cost full collections. */
const ROW_BATCH = 256;

/** COPY text of rows [from, to) of a lazy table. */
export function lazyCopyText(t: LazyRows, cols: readonly string[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i += ROW_BATCH) parts.push(copyText(cols, rowsOf(t, i, Math.min(to, i + ROW_BATCH))));
  return parts.join('');
}

/**
 * The same results with every table as COPY text chunks in UTF-8: objects
 * cross threads slowly, bytes can be transferred (no copy), and they are
 * half the size of the (two-byte, Chinese) strings while they wait.
 */
export function asCopyText(r: CountyResults): CountyResults {
  return {
    ...r,
    tables: r.tables.map((t) => {
      if (!('row' in t) || t.n === 0) return t;
      const cols = Object.keys(t.row(0));
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < t.n; i += COPY_CHUNK) chunks.push(utf8.encode(lazyCopyText(t, cols, i, Math.min(t.n, i + COPY_CHUNK))));
      return { table: t.table, cols, chunks };
    }),
  };
}
