/**
 * Household-level fields repeated on every member row (户类型, 家庭人口数,
 * incomes …) may disagree between rows. This collects them per household with
 * little memory (a differing value creates a small tally only when it occurs)
 * and resolves each field by the rule in README「导入规则」:
 *   1. the value on the 户主 row (PRM) / 本人 (申请人) row (LIP), if not empty;
 *   2. otherwise the most frequent non-empty value (ties: the earliest row).
 * Every disagreement is reported; recorded size vs counted members too.
 *
 * Exports list a household's rows together, so in `grouped` mode a household
 * is ready (see `takeReady`) as soon as a row of another household follows,
 * and its state is dropped — memory stays flat instead of growing with the
 * number of households. A household that reappears after it ended throws
 * `HouseholdOutOfOrder`; the importer then reruns the file in `map` mode,
 * which keeps every household until the end.
 */
import type { RowProblem } from '../db/schema.ts';
import type { CellValue } from '../formats/records.ts';

export interface HouseholdField {
  key: string;
  /** Where the field is in a row's values (NormalizedRow.values, valueSlot). */
  slot: number;
  /** Header name as in the file (for problem reports). */
  column: string;
  /** false = resolved by the same rule but disagreements are normal (e.g. LIP 人员类别 per member). */
  report?: boolean;
}

interface Tally {
  value: CellValue;
  count: number;
  row: number;
}

interface Agg {
  members: number;
  firstRow: number;
  base: CellValue[];
  baseRow: Int32Array;
  baseCount: Uint16Array;
  head: CellValue[] | null;
  diffs: Map<number, Map<string, Tally>> | null;
}

export interface ResolvedHousehold {
  no: string;
  firstRow: number;
  members: number;
  values: Record<string, CellValue>;
  conflicts: RowProblem[];
}

/** A household's rows are not contiguous (grouped mode only). */
export class HouseholdOutOfOrder extends Error {
  constructor(readonly no: string, readonly rowNo: number) {
    super(`household ${no} reappears at row ${rowNo} after its rows ended`);
  }
}

const keyOf = (v: CellValue): string => (Array.isArray(v) ? v.join('、') : String(v));
/** Same tally key; lists (copied per row) compared item by item before joining them. */
function sameKey(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (i === a.length) return true;
  }
  return keyOf(a) === keyOf(b);
}
const isEmpty = (v: CellValue | undefined): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

export class HouseholdAggregator {
  private readonly map = new Map<string, Agg>();
  private readonly fields: readonly HouseholdField[];
  private readonly slots: readonly number[];
  /** Resolved values start as a copy of this (every key, null): keys added one by one would make a slow dictionary object. */
  private readonly emptyValues: Record<string, CellValue>;
  private readonly headLabel: string;
  private readonly file: string | undefined;
  private readonly grouped: boolean;
  /** Grouped mode: the household whose rows are being read, and those already ended. */
  private current: string | null = null;
  private currentAgg: Agg | null = null;
  private readonly ended = new Set<string>();
  private readonly ready: string[] = [];

  constructor(fields: readonly HouseholdField[], headLabel: string, file?: string, mode: 'grouped' | 'map' = 'map') {
    this.fields = fields;
    this.slots = fields.map((f) => f.slot);
    this.emptyValues = Object.fromEntries(fields.map((f) => [f.key, null]));
    this.headLabel = headLabel;
    this.file = file;
    this.grouped = mode === 'grouped';
  }

  get size(): number {
    return this.map.size;
  }

  /** Adds one member row (its values by slot); `isHead` = the 户主/本人 row. */
  add(no: string, rowNo: number, values: readonly CellValue[], isHead: boolean): void {
    const slots = this.slots;
    const n = slots.length;
    let a: Agg | null | undefined;
    if (this.grouped) {
      if (no !== this.current) {
        if (this.ended.has(no)) throw new HouseholdOutOfOrder(no, rowNo);
        if (this.current !== null) {
          this.ended.add(this.current);
          this.ready.push(this.current);
        }
        this.current = no;
        this.currentAgg = null;
      }
      a = this.currentAgg;
    }
    a ??= this.map.get(no);
    if (!a) {
      a = { members: 0, firstRow: rowNo, base: new Array<CellValue>(n).fill(null), baseRow: new Int32Array(n), baseCount: new Uint16Array(n), head: null, diffs: null };
      this.map.set(no, a);
    }
    if (this.grouped) this.currentAgg = a;
    a.members++;
    if (isHead && a.head === null) a.head = slots.map((i) => values[i] ?? null);
    const { base, baseCount } = a;
    for (let i = 0; i < n; i++) {
      const v = values[slots[i]];
      if (isEmpty(v)) continue;
      const tallies = a.diffs === null ? undefined : a.diffs.get(i);
      if (tallies) {
        const k = keyOf(v!);
        const t = tallies.get(k);
        if (t) t.count++;
        else tallies.set(k, { value: v!, count: 1, row: rowNo });
        continue;
      }
      if (baseCount[i] === 0) {
        base[i] = v!;
        a.baseRow[i] = rowNo;
        baseCount[i] = 1;
      } else if (base[i] === v || sameKey(base[i], v!)) {
        baseCount[i]++;
      } else {
        a.diffs ??= new Map();
        a.diffs.set(
          i,
          new Map([
            [keyOf(a.base[i]), { value: a.base[i], count: a.baseCount[i], row: a.baseRow[i] }],
            [keyOf(v!), { value: v!, count: 1, row: rowNo }],
          ]),
        );
      }
    }
  }

  /** Grouped mode: households whose rows have ended, resolved and dropped from memory. */
  *takeReady(): Generator<ResolvedHousehold> {
    for (const no of this.ready) {
      const a = this.map.get(no)!;
      this.map.delete(no);
      yield this.resolveOne(no, a);
    }
    this.ready.length = 0;
  }

  /** The households still held (all in map mode), each field resolved; conflicts as row problems. */
  *resolve(): Generator<ResolvedHousehold> {
    for (const [no, a] of this.map) yield this.resolveOne(no, a);
  }

  private resolveOne(no: string, a: Agg): ResolvedHousehold {
    const values: Record<string, CellValue> = { ...this.emptyValues };
    const conflicts: RowProblem[] = [];
    for (let i = 0; i < this.fields.length; i++) {
      const f = this.fields[i];
      const tallies = a.diffs?.get(i);
      if (!tallies) {
        if (a.baseCount[i] > 0) values[f.key] = a.base[i];
        continue;
      }
      const list = [...tallies.values()].sort((x, y) => y.count - x.count || x.row - y.row);
      const headV = a.head?.[i];
      const useHead = !isEmpty(headV ?? null);
      const chosen = useHead ? headV! : list[0].value;
      values[f.key] = chosen;
      if (f.report === false) continue;
      const seen = list
        .slice()
        .sort((x, y) => x.row - y.row)
        .map((t) => `${keyOf(t.value)}（${t.count}行，首见第${t.row}行）`)
        .join('；');
      const second = list.slice().sort((x, y) => x.row - y.row)[1];
      conflicts.push({
        file: this.file,
        row: second.row,
        column: f.column,
        value: keyOf(second.value),
        code: 'BK_IMPORT_HOUSEHOLD_CONFLICT',
        message: `同户成员行的「${f.column}」不一致: ${seen}；按规则取${useHead ? `${this.headLabel}行的值` : '出现最多的值'}「${keyOf(chosen)}」`,
        severity: 'warning',
      });
    }
    return { no, firstRow: a.firstRow, members: a.members, values, conflicts };
  }
}

/** Recorded household size vs members counted in the file (null when no size recorded or equal). */
export function sizeMismatch(h: ResolvedHousehold, column: string, file?: string): RowProblem | null {
  const rec = h.values.recordedSize;
  if (typeof rec !== 'number' || rec === h.members) return null;
  return {
    file,
    row: h.firstRow,
    column,
    value: String(rec),
    code: 'BK_IMPORT_SIZE_MISMATCH',
    message: `记录的家庭人口数为 ${rec}，但文件中该户有 ${h.members} 名成员`,
    severity: 'warning',
  };
}
