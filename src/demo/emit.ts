/**
 * Writes the demo county's exports row by row (with the planted traps) and
 * assembles truth.json. Output goes to a sink in chunks, so big counties are
 * streamed rather than held as one string.
 */
import iconv from 'iconv-lite';
import { checkDigit, parseIdNumber } from '../domain/id-number.ts';
import { CITY_NAME, COUNTY_CODE, COUNTY_NAME, buildCounty } from './geography.ts';
import { FEED_COLUMNS, LIP_COLUMNS, PRM_COLUMNS } from './columns.ts';
import {
  DISABILITY_KIND, DISABILITY_LEVEL, buildPopulation, lipEmployment, lipHealth, lipLabour, prmHealth, prmLabour, randomDate,
  type LipFamily, type Mix, type Person, type Population, type PrmHousehold, type Role, type TrueHousehold,
} from './model.ts';
import { homophoneVariant } from './names.ts';
import { Rng } from '../domain/rng.ts';
import { deriveLinkage, type DemoTruth, type LinkBy, type LipRef, type PrmRef, type Trap, type TrapRow, type TruthFile } from './truth.ts';

export interface DemoOptions {
  /** Number of true households in the county (PRM-only, LIP-only, both, and neither). */
  households: number;
  seed: number;
  mix?: Mix;
}

/** Receives output bytes in order; `path` is relative to the output folder. */
export type Sink = (path: string, chunk: Buffer) => void;

type Encoding = TruthFile['encoding'];
type DateStyle = 'iso' | 'slash' | 'compact' | 'cn' | 'dot';

// ---------------------------------------------------------------------------
// Cell formatting

export function formatDate(iso: string, style: DateStyle): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  switch (style) {
    case 'iso': return iso;
    case 'slash': return `${y}/${Number(m)}/${Number(d)}`;
    case 'compact': return `${y}${m}${d}`;
    case 'cn': return `${y}年${Number(m)}月${Number(d)}日`;
    case 'dot': return `${y}.${Number(m)}.${Number(d)}`;
  }
}

/** Plain amount: integer when whole, else two decimals. */
export function money(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Number.isInteger(r) ? String(r) : r.toFixed(2);
}

const toFullWidth = (s: string): string => s.replace(/[0-9A-Za-z.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const PRM_RELATION: Record<Role, string> = {
  head: '户主', spouse: '配偶', son: '之子', daughter: '之女', dil: '儿媳', sil: '女婿', grandson: '之孙子', granddaughter: '之孙女',
  father: '之父', mother: '之母', sibling: '兄弟姐妹', other: '其他',
};

/**
 * RFC 4180 record writer. csv-stringify/sync was measured ~70× slower on these
 * rows (45k rows × 41 columns: 6.9 s vs 0.1 s), too slow for the "10,000
 * households in a few seconds" target; the only rule needed here is quoting a
 * field that holds a comma, quote or line break. Tests parse every file back
 * with csv-parse.
 */
function csvLine(row: readonly string[]): string {
  let out = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (i > 0) out += ',';
    out += /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
  }
  return `${out}\r\n`;
}

class CsvOut {
  private rows: string[][] = [];
  private first = true;
  /** Physical line number of the last row written. */
  line = 0;
  constructor(readonly path: string, readonly encoding: Encoding, private sink: Sink) {}
  push(row: string[]): number {
    this.rows.push(row);
    this.line++;
    if (this.rows.length >= 2000) this.flush();
    return this.line;
  }
  flush(): void {
    if (this.rows.length === 0 && !this.first) return;
    let text = '';
    for (const r of this.rows) text += csvLine(r);
    this.rows = [];
    if (this.first && this.encoding === 'utf-8-bom') text = `\ufeff${text}`;
    this.first = false;
    this.sink(this.path, this.encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
  }
}

// ---------------------------------------------------------------------------
// Trap planning

type IdTrap = 'old15' | 'fullwidth' | 'lowercase_x' | 'apostrophe' | 'spaces' | 'bad_check' | 'missing';
interface PersonTrap {
  kind: IdTrap | 'name_homophone';
  side: 'prm' | 'lip';
}

const TRAP_TEXT: Record<string, string> = {
  name_homophone: '两系统姓名同音不同字（如 张丽 / 张莉）',
  id_old15: '一侧为15位旧身份证号（应升位为18位）',
  id_fullwidth: '身份证号为全角数字',
  id_lowercase_x: '身份证号末位为小写 x',
  id_apostrophe: '身份证号带 Excel 单引号前缀',
  id_spaces: '身份证号中含空格',
  id_bad_check: '身份证号校验位错误（按姓名+出生日期+性别+村比对）',
  id_missing: '一侧身份证号缺失（空/不详/无），仅能人工审核关联',
  id_disability20: '残联数据为20位残疾人证号（身份证号+2位）',
  date_format: '日期格式混用（2024/3/5、20240305、2024年3月5日、2024.3.5）',
  amount_format: '金额带千分位逗号、“元”或全角数字',
  title_rows: '表头上方有标题行/填报单位行',
  total_row: '数据末尾有合计行',
  household_field_conflict: '同户成员行的户级字段取值不一致',
  household_size_mismatch: '家庭人口数与成员行数不一致',
  gbk_encoding: '文件为 GBK/GB18030 编码（其余为 UTF-8）',
  married_out_daughter: '出嫁女：户籍仍在娘家（PRM），在夫家低保家庭（LIP），两户因此连通',
};

function idCell(rng: Rng, id: string, trap: IdTrap | null): string {
  switch (trap) {
    case null: return id;
    case 'old15': return id.slice(0, 6) + id.slice(8, 17);
    case 'fullwidth': return toFullWidth(id);
    case 'lowercase_x': return id.toLowerCase();
    case 'apostrophe': return `'${id}`;
    case 'spaces': return rng.chance(0.5) ? `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}` : ` ${id} `;
    case 'bad_check': {
      const good = id[17];
      const others = '0123456789X'.split('').filter((c) => c !== good && c !== checkDigit(id.slice(0, 17)));
      return id.slice(0, 17) + rng.pick(others);
    }
    case 'missing': return rng.pick(['', '不详', '无']);
  }
}

function linkBy(status: string): LinkBy {
  return status === 'missing' || status === 'invalid' ? 'review' : status === 'bad_check' ? 'fields' : 'id';
}

/** Target count: a share of the eligible slots, at least `min` (when enough are eligible). */
const target = (eligible: number, share: number, min: number) => Math.min(eligible, Math.max(min, Math.round(eligible * share)));

function planPersonTraps(rng: Rng, pop: Population): Map<string, PersonTrap> {
  const plan = new Map<string, PersonTrap>(); // person key → trap
  const inPrm = new Map<Person, PrmHousehold>();
  const inLip = new Map<Person, LipFamily>();
  for (const h of pop.prmHouseholds) for (const m of h.members) inPrm.set(m.p, h);
  for (const f of pop.lipFamilies) for (const m of f.members) inLip.set(m.p, f);
  const applicants = new Set(pop.lipFamilies.map((f) => f.applicant));
  const marriedOut = new Set([...inLip.entries()].filter(([p, f]) => inPrm.has(p) && inPrm.get(p)!.home !== f.home).map(([p]) => p));
  const both = pop.persons.filter((p) => inPrm.has(p) && inLip.has(p) && !marriedOut.has(p));
  const any = pop.persons.filter((p) => (inPrm.has(p) || inLip.has(p)) && !marriedOut.has(p));
  const side = (p: Person): 'prm' | 'lip' => (inPrm.has(p) && inLip.has(p) ? (rng.chance(0.5) ? 'prm' : 'lip') : inPrm.has(p) ? 'prm' : 'lip');
  const free = (ps: Person[]) => ps.filter((p) => !plan.has(p.key));
  const plant = (kind: PersonTrap['kind'], pool: Person[], share: number, min: number, forceSide?: (p: Person) => 'prm' | 'lip') => {
    const cands = rng.shuffle(free(pool));
    const n = target(cands.length, share, min);
    for (const p of cands.slice(0, n)) plan.set(p.key, { kind, side: forceSide ? forceSide(p) : side(p) });
  };
  plant('name_homophone', both.filter((p) => homophoneVariant(new Rng(0), p.name, p.surnameLength) !== null), 0.02, 3);
  plant('old15', any.filter((p) => p.birthYear < 2000), 0.01, 3);
  plant('fullwidth', any, 0.005, 3);
  plant('lowercase_x', any.filter((p) => p.id.endsWith('X')), 0.12, 3);
  plant('apostrophe', any.filter((p) => inPrm.has(p)), 0.01, 3, () => 'prm');
  plant('spaces', any, 0.006, 3);
  plant('bad_check', any, 0.005, 3);
  // Missing ID: never a LIP applicant (the applicant column repeats the ID), and when the
  // person is in both systems only where the pairing keeps ≥ 2 other shared persons, so the
  // households still pair automatically. One per pairing.
  const usedPair = new Set<string>();
  const missingPool = any.filter((p) => {
    if (applicants.has(p)) return false;
    if (!(inPrm.has(p) && inLip.has(p))) return true;
    const h = inPrm.get(p)!;
    const f = inLip.get(p)!;
    const shared = f.members.filter((m) => inPrm.get(m.p) === h && !plan.has(m.p.key)).length;
    return shared >= 3;
  });
  const cands = rng.shuffle(free(missingPool));
  const n = target(cands.length, 0.004, 3);
  let placed = 0;
  for (const p of cands) {
    if (placed >= n) break;
    const pk = inPrm.has(p) && inLip.has(p) ? `${inPrm.get(p)!.no}|${inLip.get(p)!.no}` : '';
    if (pk && usedPair.has(pk)) continue;
    if (pk) usedPair.add(pk);
    // Only the LIP side can lose an ID of an applicant; here the person is not one.
    plan.set(p.key, { kind: 'missing', side: side(p) });
    placed++;
  }
  return plan;
}

// ---------------------------------------------------------------------------

class TrapBook {
  private traps = new Map<string, Trap>();
  add(kind: string, row: TrapRow): void {
    let t = this.traps.get(kind);
    if (!t) this.traps.set(kind, (t = { kind, description: TRAP_TEXT[kind] ?? kind, count: 0, rows: [] }));
    t.rows.push(row);
    t.count++;
  }
  list(): Trap[] {
    return [...this.traps.values()];
  }
}

const AMOUNT_STYLES = ['comma', 'yuan', 'fullwidth'] as const;
function styledAmount(rng: Rng, plain: string): string {
  const style = rng.pick(AMOUNT_STYLES);
  if (style === 'comma') return plain.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+$)/g, ','));
  if (style === 'yuan') return `${plain}元`;
  return toFullWidth(plain);
}
const ALT_DATES: DateStyle[] = ['slash', 'compact', 'cn', 'dot'];

/** Builds everything; streams files to `sink`, returns the truth. */
export function emitDemo(opts: DemoOptions, sink: Sink): DemoTruth {
  if (!Number.isInteger(opts.households) || opts.households < 1) throw new RangeError('households must be a positive integer');
  const root = new Rng(opts.seed);
  const townships = buildCounty(root.fork(1));
  const pop = buildPopulation(root.fork(2), townships, { households: opts.households, mix: opts.mix });
  const trapRng = root.fork(3);
  const plan = planPersonTraps(trapRng, pop);
  const book = new TrapBook();
  const files: TruthFile[] = [];
  const prmRefs = new Map<string, PrmRef>();
  const lipRefs = new Map<string, LipRef>();
  const hhRng = root.fork(4);
  const prmRowsOf = new Map<string, number[]>();
  const prmRecorded = new Map<string, number>();
  const lipRowsOf = new Map<string, number[]>();
  const lipRecorded = new Map<string, number>();

  // Household-level trap choices.
  const multiPrm = pop.prmHouseholds.filter((h) => h.members.length >= 2);
  const prmConflict = new Set(hhRng.shuffle(multiPrm).slice(0, target(multiPrm.length, 0.02, 3)));
  const prmSize = new Set(hhRng.shuffle(pop.prmHouseholds.filter((h) => !prmConflict.has(h))).slice(0, target(pop.prmHouseholds.length, 0.03, 3)));
  const multiLip = pop.lipFamilies.filter((f) => f.members.length >= 2);
  const lipConflict = new Set(hhRng.shuffle(multiLip).slice(0, target(multiLip.length, 0.01, 3)));
  const lipSize = new Set(hhRng.shuffle(pop.lipFamilies.filter((f) => !lipConflict.has(f))).slice(0, target(pop.lipFamilies.length, 0.02, 3)));

  const personCells = (p: Person, sideName: 'prm' | 'lip'): { name: string; id: string; trap: PersonTrap | null } => {
    const t = plan.get(p.key);
    if (!t || t.side !== sideName) return { name: p.name, id: p.id, trap: null };
    if (t.kind === 'name_homophone') return { name: homophoneVariant(trapRng, p.name, p.surnameLength) ?? p.name, id: p.id, trap: t };
    return { name: p.name, id: idCell(trapRng, p.id, t.kind), trap: t };
  };

  // ---- PRM (UTF-8 with BOM, title + 填报单位 rows, 合计 row) ----
  {
    const path = 'prm.csv';
    const out = new CsvOut(path, 'utf-8-bom', sink);
    const blank = () => PRM_COLUMNS.map(() => '');
    const title = blank();
    title[0] = `${CITY_NAME}${COUNTY_NAME}防止返贫监测对象明细表`;
    out.push(title);
    const unit = blank();
    unit[0] = `填报单位：${COUNTY_NAME}乡村振兴局`;
    unit[10] = '导出日期：2024年10月15日';
    out.push(unit);
    book.add('title_rows', { file: path, row: 1, column: '', raw: title[0] });
    book.add('title_rows', { file: path, row: 2, column: '', raw: unit[0] });
    const header = out.push([...PRM_COLUMNS]);
    const prmIdx = new Map<string, number>(PRM_COLUMNS.map((c, i) => [c, i]));
    const col = (c: (typeof PRM_COLUMNS)[number]) => prmIdx.get(c)!;
    let seq = 0;
    let persons = 0;
    for (const h of pop.prmHouseholds) {
      const home = h.home;
      const ms = h.members;
      const n = ms.length;
      const recorded = prmSize.has(h) ? (n === 1 || hhRng.chance(0.6) ? n + 1 : n - 1) : n;
      const k = ms.length / home.members.length;
      const wage = ms.reduce((s, m) => s + m.p.wage, 0);
      const gross = Math.round(home.farmGross * (k === 1 ? 1 : k));
      const cost = Math.round(home.farmCost * (k === 1 ? 1 : k));
      const dibao = home.lips.filter((f) => f.klass === '低保对象' && f.status !== '停保' && f.members.some((m) => ms.some((x) => x.p === m.p))).reduce((s, f) => s + f.benefitMonthly * 12, 0);
      const tekun = home.lips.filter((f) => f.klass === '特困人员' && f.status !== '停保').reduce((s, f) => s + f.benefitMonthly * 12, 0);
      const pension = ms.reduce((s, m) => s + m.p.pension, 0);
      const support = ms.some((m) => m.p.age >= 60) ? home.support : 0;
      const other = hhRng.int(0, 8) * 100; // 生态补偿、耕地地力补贴 …
      const transfer = dibao + tekun + pension + support + other;
      const net = wage + gross - cost + home.property + transfer;
      const perCap = net / Math.max(1, recorded);
      const schoolOk = !ms.some((m) => m.p.age >= 7 && m.p.age <= 15 && m.p.school === '非在校生');
      const base: Record<string, string> = {
        县: COUNTY_NAME, '乡(镇)': h.village.township.name, 行政村: h.village.name, 行政区划代码: h.village.code, 户编号: h.no,
        户类型: h.type, 监测对象类别: h.monitorClass, 家庭人口数: String(recorded), 识别监测时间: h.identified, 主要风险类型: h.risk,
        风险是否已消除: h.riskCleared, 风险消除时间: h.riskClearedDate, 收入年度: '2024', 工资性收入: money(wage),
        生产经营性收入: money(gross), 生产经营性支出: money(cost), 财产性收入: money(home.property), 转移性收入: money(transfer),
        '其中:低保金': money(dibao), '其中:特困供养金': money(tekun), '其中:养老金或离退休金': money(pension), '其中:赡养费': money(support),
        家庭年纯收入: money(net), 家庭年人均纯收入: perCap.toFixed(2), 住房安全有保障: home.housingSafe ? '是' : '否',
        饮水安全有保障: home.waterSafe ? '是' : '否', 义务教育有保障: schoolOk ? '是' : '否', 基本医疗有保障: '是', 帮扶措施: h.measures,
      };
      const conflictRow = prmConflict.has(h) ? hhRng.int(1, n - 1) : -1;
      const conflictCol = hhRng.pick(['户类型', '工资性收入', '家庭年纯收入', '住房安全有保障'] as const);
      const rows: number[] = [];
      ms.forEach((m, i) => {
        const p = m.p;
        const cells = personCells(p, 'prm');
        const row = PRM_COLUMNS.map((c) => base[c] ?? '');
        row[col('序号')] = String(++seq);
        row[col('姓名')] = cells.name;
        row[col('证件号码')] = cells.id;
        row[col('与户主关系')] = PRM_RELATION[m.role];
        row[col('健康状况')] = prmHealth(p.health);
        row[col('残疾等级')] = DISABILITY_LEVEL[p.disability];
        row[col('劳动技能')] = prmLabour(p);
        row[col('在校生状况')] = p.school;
        row[col('务工状况')] = p.age >= 16 && p.school === '非在校生' ? p.work : '未务工';
        row[col('务工时间(月)')] = String(p.workMonths);
        row[col('是否参加城乡居民基本医疗保险')] = p.key.endsWith('37') ? '否' : '是';
        row[col('联系电话')] = p.phone;
        const line = header + 1 + persons++;
        if (i === conflictRow) {
          const c = col(conflictCol);
          const was = row[c];
          row[c] = conflictCol === '户类型' ? (was === '脱贫户' ? '脱贫户且监测户' : '脱贫户') : conflictCol === '住房安全有保障' ? (was === '是' ? '否' : '是') : money(Number(was) + hhRng.int(1, 30) * 100);
          book.add('household_field_conflict', { file: path, row: line, column: conflictCol, person: p.key, raw: row[c], expected: was });
        } else if (hhRng.chance(0.01)) {
          const amountCols = ['工资性收入', '生产经营性收入', '转移性收入', '家庭年纯收入'] as const;
          const c = hhRng.pick(amountCols);
          const plain = row[col(c)];
          if (Number(plain) >= 1000) {
            row[col(c)] = styledAmount(hhRng, plain);
            book.add('amount_format', { file: path, row: line, column: c, person: p.key, raw: row[col(c)], expected: plain });
          }
        }
        if (h.identified && hhRng.chance(0.03)) {
          const style = hhRng.pick(ALT_DATES);
          row[col('识别监测时间')] = formatDate(h.identified, style);
          book.add('date_format', { file: path, row: line, column: '识别监测时间', person: p.key, raw: row[col('识别监测时间')], expected: h.identified });
        }
        out.push(row);
        rows.push(line);
        const status = cells.id === p.id ? 'valid' : parseIdNumber(cells.id).status; // an untouched true ID is valid by construction (tested)
        prmRefs.set(p.key, { file: path, row: line, household_no: h.no, relation: PRM_RELATION[m.role], name_cell: cells.name, id_cell: cells.id, id_status: status, link_by: linkBy(status) });
        if (cells.trap) book.add(cells.trap.kind === 'name_homophone' ? 'name_homophone' : `id_${cells.trap.kind}`, { file: path, row: line, column: cells.trap.kind === 'name_homophone' ? '姓名' : '证件号码', person: p.key, raw: cells.trap.kind === 'name_homophone' ? cells.name : cells.id, expected: cells.trap.kind === 'name_homophone' ? p.name : p.id });
      });
      if (recorded !== n) book.add('household_size_mismatch', { file: path, row: rows[0], column: '家庭人口数', raw: String(recorded), expected: String(n) });
      prmRowsOf.set(h.no, rows);
      prmRecorded.set(h.no, recorded);
    }
    const total = PRM_COLUMNS.map(() => '');
    total[0] = '合计';
    total[1] = `共${pop.prmHouseholds.length}户${persons}人`;
    const totalLine = out.push(total);
    book.add('total_row', { file: path, row: totalLine, column: '', raw: '合计' });
    out.flush();
    files.push({ path, system: 'prm', encoding: 'utf-8-bom', header_row: header, first_data_row: header + 1, last_data_row: header + persons, data_rows: persons, title_rows: [1, 2], trailer_rows: [{ row: totalLine, kind: '合计' }], date_format: 'iso' });
  }

  // ---- LIP (GB18030, header on the first line) ----
  {
    const path = 'lip.csv';
    const out = new CsvOut(path, 'gb18030', sink);
    const header = out.push([...LIP_COLUMNS]);
    book.add('gbk_encoding', { file: path, row: 0, column: '', raw: 'gb18030' });
    const lipIdx = new Map<string, number>(LIP_COLUMNS.map((c, i) => [c, i]));
    const col = (c: (typeof LIP_COLUMNS)[number]) => lipIdx.get(c)!;
    let persons = 0;
    for (const f of pop.lipFamilies) {
      const home = f.home;
      const n = f.members.length;
      const recorded = lipSize.has(f) ? (n === 1 || hhRng.chance(0.5) ? n + 1 : n - 1) : n;
      const income = f.wage + f.business + f.propertyNet + f.transferNet;
      const k = n / home.members.length;
      const base: Record<string, string> = {
        行政区划代码: f.village.code, '乡镇(街道)': f.village.township.name, '村(社区)': f.village.name, 家庭编号: f.no,
        申请人姓名: f.applicant.name, 申请人身份证号: f.applicant.id, 户籍性质: home.urban ? '非农业' : '农业', 救助状态: f.status,
        纳入时间: f.admitted, 退出时间: f.exited, '保障金额(元/月)': money(f.benefitMonthly), 共同生活家庭人口数: String(recorded),
        收入统计年度: String(f.incomeYear), 家庭年可支配收入: money(income), 工资性收入: money(f.wage), 经营净收入: money(f.business),
        财产净收入: money(f.propertyNet), 转移净收入: money(f.transferNet), 家庭月人均收入: (income / 12 / Math.max(1, recorded)).toFixed(2),
        '存款及理财(元)': money(home.deposits * (k >= 1 ? 1 : Math.max(0.3, k))), '机动车辆(辆)': String(home.cars), '房产(套)': String(home.houses),
        '医疗自付支出(元/年)': money(f.members.some((m) => m.p.health !== 'healthy') ? home.medicalOop : Math.round(home.medicalOop * 0.2)),
        '教育支出(元/年)': money(f.members.some((m) => m.p.school !== '非在校生') ? home.education : 0),
      };
      const conflictRow = lipConflict.has(f) ? hhRng.int(1, n - 1) : -1;
      const conflictCol = hhRng.pick(['保障金额(元/月)', '家庭年可支配收入', '救助状态'] as const);
      const rows: number[] = [];
      f.members.forEach((m, i) => {
        const p = m.p;
        const cells = personCells(p, 'lip');
        const row = LIP_COLUMNS.map((c) => base[c] ?? '');
        row[col('成员姓名')] = cells.name;
        row[col('成员身份证号')] = cells.id;
        row[col('与申请人关系')] = m.rel;
        row[col('人员类别')] = f.singleCovered ? (f.singleCovered === p ? '低保对象' : '低保边缘家庭成员') : f.klass;
        row[col('健康状况')] = lipHealth(p.health);
        row[col('残疾等级')] = DISABILITY_LEVEL[p.disability];
        row[col('劳动能力')] = lipLabour(p);
        row[col('就业状况')] = lipEmployment(p, home.urban);
        row[col('联系电话')] = p.phone;
        const line = header + 1 + persons++;
        if (i === conflictRow) {
          const c = col(conflictCol);
          const was = row[c];
          row[c] = conflictCol === '救助状态' ? (was === '在保' ? '暂停' : '在保') : money(Number(was) + hhRng.int(1, 20) * 10);
          book.add('household_field_conflict', { file: path, row: line, column: conflictCol, person: p.key, raw: row[c], expected: was });
        } else if (hhRng.chance(0.01)) {
          const c = hhRng.pick(['家庭年可支配收入', '工资性收入', '存款及理财(元)'] as const);
          const plain = row[col(c)];
          if (Number(plain) >= 1000) {
            row[col(c)] = styledAmount(hhRng, plain);
            book.add('amount_format', { file: path, row: line, column: c, person: p.key, raw: row[col(c)], expected: plain });
          }
        }
        if (hhRng.chance(0.03)) {
          row[col('纳入时间')] = formatDate(f.admitted, hhRng.pick(ALT_DATES));
          book.add('date_format', { file: path, row: line, column: '纳入时间', person: p.key, raw: row[col('纳入时间')], expected: f.admitted });
        }
        out.push(row);
        rows.push(line);
        const status = cells.id === p.id ? 'valid' : parseIdNumber(cells.id).status; // an untouched true ID is valid by construction (tested)
        lipRefs.set(p.key, { file: path, row: line, family_no: f.no, relation: m.rel, name_cell: cells.name, id_cell: cells.id, id_status: status, link_by: linkBy(status) });
        if (cells.trap) book.add(cells.trap.kind === 'name_homophone' ? 'name_homophone' : `id_${cells.trap.kind}`, { file: path, row: line, column: cells.trap.kind === 'name_homophone' ? '成员姓名' : '成员身份证号', person: p.key, raw: cells.trap.kind === 'name_homophone' ? cells.name : cells.id, expected: cells.trap.kind === 'name_homophone' ? p.name : p.id });
      });
      if (recorded !== n) book.add('household_size_mismatch', { file: path, row: rows[0], column: '共同生活家庭人口数', raw: String(recorded), expected: String(n) });
      lipRowsOf.set(f.no, rows);
      lipRecorded.set(f.no, recorded);
    }
    out.flush();
    files.push({ path, system: 'lip', encoding: 'gb18030', header_row: header, first_data_row: header + 1, last_data_row: header + persons, data_rows: persons, title_rows: [], trailer_rows: [], date_format: 'iso' });
  }

  // Married-out daughters: PRM row in the parents' household, LIP row in the husband's family.
  const prmByNo = new Map(pop.prmHouseholds.map((h) => [h.no, h]));
  for (const f of pop.lipFamilies) for (const m of f.members) {
    const pr = prmRefs.get(m.p.key);
    const prmHh = pr ? prmByNo.get(pr.household_no) : undefined;
    if (pr && prmHh && prmHh.home !== f.home) {
      book.add('married_out_daughter', { file: pr.file, row: pr.row, column: '户编号', person: m.p.key, raw: pr.household_no });
      const lr = lipRefs.get(m.p.key)!;
      book.add('married_out_daughter', { file: lr.file, row: lr.row, column: '家庭编号', person: m.p.key, raw: lr.family_no });
    }
  }

  const feedEvents = emitFeeds(root.fork(5), pop, sink, files, book);

  // ---- Truth ----
  const prmUnits = pop.prmHouseholds.map((h) => ({ no: h.no, persons: h.members.map((m) => m.p.key) }));
  const lipUnits = pop.lipFamilies.map((f) => ({ no: f.no, persons: f.members.map((m) => m.p.key) }));
  const linkage = deriveLinkage(prmUnits, lipUnits);
  const homeOf = homes(pop);
  return {
    version: 1,
    seed: opts.seed,
    households: opts.households,
    generated_at_ref: '2024-10-15',
    county: {
      code: COUNTY_CODE,
      name: COUNTY_NAME,
      city: CITY_NAME,
      townships: townships.map((t) => ({ code: t.code, name: t.name, villages: t.villages.map((v) => ({ code: v.code, name: v.name, urban: v.urban })) })),
    },
    files,
    persons: pop.persons.map((p) => ({
      key: p.key,
      name: p.name,
      sex: p.male ? 'M' : 'F',
      birth_date: p.birth,
      id_number: p.id,
      village_code: homeOf.get(p)!.village.code,
      prm: prmRefs.has(p.key) ? [prmRefs.get(p.key)!] : [],
      lip: lipRefs.has(p.key) ? [lipRefs.get(p.key)!] : [],
    })),
    prm_households: pop.prmHouseholds.map((h) => ({ household_no: h.no, village_code: h.village.code, rows: prmRowsOf.get(h.no)!, persons: h.members.map((m) => m.p.key), recorded_size: prmRecorded.get(h.no)! })),
    lip_families: pop.lipFamilies.map((f) => ({ family_no: f.no, village_code: f.village.code, rows: lipRowsOf.get(f.no)!, persons: f.members.map((m) => m.p.key), recorded_size: lipRecorded.get(f.no)!, urban: f.home.urban })),
    pairings: linkage.pairings,
    unified_households: linkage.unified,
    counts: linkage.counts,
    traps: book.list(),
    feed_events: feedEvents,
  };
}

// ---------------------------------------------------------------------------
// Department feeds (部门数据推送): one file per department, each with its own habits.

interface FeedSpec {
  source: string;
  encoding: Encoding;
  date: DateStyle;
  title?: string;
}
const FEEDS: FeedSpec[] = [
  { source: '医保', encoding: 'utf-8-bom', date: 'iso' },
  { source: '残联', encoding: 'utf-8', date: 'slash' },
  { source: '公安', encoding: 'gb18030', date: 'compact' },
  { source: '人社', encoding: 'utf-8', date: 'cn' },
  { source: '应急', encoding: 'utf-8', date: 'dot', title: `${COUNTY_NAME}2024年自然灾害及意外事故受灾人员名单` },
  { source: '不动产', encoding: 'utf-8', date: 'iso' },
  { source: '教育', encoding: 'utf-8', date: 'slash' },
  { source: '住建', encoding: 'utf-8', date: 'iso' },
  { source: '市场监管', encoding: 'utf-8', date: 'iso' },
  { source: '水利', encoding: 'utf-8', date: 'cn' },
];

interface FeedEvent {
  p: Person;
  source: string;
  type: string;
  date: string;
  amount: number | null;
  note: string;
}

/** Each person's home household: the PRM (户籍) one first, so a married-out daughter belongs to her parents' village. */
function homes(pop: Population): Map<Person, TrueHousehold> {
  const homeOf = new Map<Person, TrueHousehold>();
  for (const h of pop.households) if (h.prm) for (const m of h.prm.members) homeOf.set(m.p, h);
  for (const h of pop.households) for (const m of h.members) if (!homeOf.has(m.p)) homeOf.set(m.p, h);
  return homeOf;
}

const HOSPITALS = ['武都区第一人民医院', '陇南市第一人民医院', '武都区中医院', '兰州大学第二医院', '甘肃省人民医院', '乡镇卫生院'];

function feedEventsFor(rng: Rng, pop: Population): FeedEvent[] {
  const ev: FeedEvent[] = [];
  const d = () => randomDate(rng, '2024-01-01', '2024-09-30');
  const homeOf = homes(pop);
  const ruralVillages = pop.townships.flatMap((t) => t.villages).filter((v) => !v.urban);
  const flooded = new Set(rng.shuffle(ruralVillages).slice(0, Math.min(3, ruralVillages.length)).map((v) => v.code));
  const floodDay = randomDate(rng, '2024-07-08', '2024-07-20');
  for (const p of pop.persons) {
    const h = homeOf.get(p)!;
    const isHead = h.members[0].p === p;
    const poor = h.scope === 'both' || h.scope === 'lip';
    // 医保
    const hospP = p.health === 'serious' ? 0.6 : p.health === 'chronic' || p.health === 'disabled' ? 0.15 : p.age >= 60 ? 0.04 : 0.015;
    if (rng.chance(hospP)) {
      const times = rng.chance(0.2) ? 2 : 1;
      for (let i = 0; i < times; i++) ev.push({ p, source: '医保', type: '住院自付费用', date: d(), amount: Math.round(rng.logNormal(p.health === 'serious' ? 15000 : 4000, 0.8) * 100) / 100, note: `${rng.pick(HOSPITALS)}住院` });
    }
    if (p.health === 'chronic' && rng.chance(0.1)) ev.push({ p, source: '医保', type: '门诊慢特病认定', date: d(), amount: null, note: rng.pick(['高血压', '糖尿病', '慢性阻塞性肺疾病', '类风湿关节炎']) });
    // 残联
    if (p.disability > 0 && rng.chance(0.25)) ev.push({ p, source: '残联', type: '新办残疾证', date: d(), amount: null, note: `${DISABILITY_KIND[p.disabilityKind]}残疾${DISABILITY_LEVEL[p.disability]}` });
    else if (p.disability > 0 && rng.chance(0.05)) ev.push({ p, source: '残联', type: '残疾等级变更', date: d(), amount: null, note: `变更为${DISABILITY_KIND[p.disabilityKind]}残疾${DISABILITY_LEVEL[p.disability]}` });
    // 公安
    if (p.age >= 75 && rng.chance(0.04)) ev.push({ p, source: '公安', type: '死亡注销', date: d(), amount: null, note: '死亡注销户口' });
    else if (p.age >= 18 && p.age <= 35 && rng.chance(0.01)) ev.push({ p, source: '公安', type: '户籍迁出', date: d(), amount: null, note: rng.pick(['迁往兰州市', '迁往西安市', '婚嫁迁出', '迁往成都市']) });
    if (p.age >= 20 && p.age <= 55 && rng.chance(poor ? 0.01 : 0.02)) ev.push({ p, source: '公安', type: '机动车登记', date: d(), amount: null, note: rng.pick(['小型轿车', '小型普通客车', '轻型货车']) });
    // 人社
    if (p.age >= 18 && p.age < 60 && p.school === '非在校生') {
      if (rng.chance(0.01)) ev.push({ p, source: '人社', type: '失业登记', date: d(), amount: null, note: '登记失业' });
      if (rng.chance(0.01)) ev.push({ p, source: '人社', type: '就业登记', date: d(), amount: null, note: rng.pick(['省外务工', '县内企业', '公益岗位']) });
    }
    if (p.age === 60 && rng.chance(0.3)) ev.push({ p, source: '人社', type: '养老金领取', date: d(), amount: 143, note: '城乡居民基本养老保险待遇开始领取' });
    // 应急
    if (isHead && flooded.has(h.village.code) && rng.chance(0.4)) ev.push({ p, source: '应急', type: '自然灾害受灾', date: randomDate(rng, floodDay, floodDay > '2024-07-18' ? floodDay : '2024-07-22'), amount: rng.int(20, 300) * 100, note: '暴雨洪涝灾害' });
    else if (p.age >= 18 && rng.chance(0.003)) ev.push({ p, source: '应急', type: '意外事故', date: d(), amount: rng.int(5, 80) * 100, note: rng.pick(['交通事故', '意外摔伤', '农机事故']) });
    // 不动产
    if (p.age >= 25 && p.age <= 60 && rng.chance(poor ? 0.002 : 0.01)) ev.push({ p, source: '不动产', type: '房产登记', date: d(), amount: rng.int(20, 80) * 10000, note: rng.pick(['商品房', '自建房', '二手房']) });
    // 教育
    if (p.age >= 12 && p.age <= 16 && rng.chance(0.015)) ev.push({ p, source: '教育', type: '辍学', date: d(), amount: null, note: '义务教育阶段辍学' });
    if (p.school !== '非在校生' && p.school !== '学前教育' && poor && rng.chance(0.3)) ev.push({ p, source: '教育', type: '资助', date: d(), amount: rng.pick([500, 1000, 1500, 2000]), note: '家庭经济困难学生资助' });
    if (p.age === 6 && rng.chance(0.5)) ev.push({ p, source: '教育', type: '新入学', date: '2024-09-01', amount: null, note: '小学一年级' });
    // 住建
    if (isHead && (!h.housingSafe || rng.chance(0.005))) ev.push({ p, source: '住建', type: '危房鉴定', date: d(), amount: null, note: !h.housingSafe ? rng.pick(['C级', 'D级']) : 'C级' });
    // 市场监管
    if (p.age >= 25 && p.age <= 55 && rng.chance(0.005)) ev.push({ p, source: '市场监管', type: '工商注册', date: d(), amount: null, note: rng.pick(['个体户', '企业法人', '股东']) });
    // 水利
    if (isHead && !h.waterSafe) ev.push({ p, source: '水利', type: '饮水安全问题', date: d(), amount: null, note: rng.pick(['季节性缺水', '水质不达标', '管网损坏']) });
  }
  // A small county can leave a department without events; real feeds always carry rows, so
  // give such a department one ordinary event about an adult.
  const adults = pop.persons.filter((p) => p.age >= 25 && p.age <= 55);
  const fallback: Record<string, (p: Person) => FeedEvent> = {
    医保: (p) => ({ p, source: '医保', type: '住院自付费用', date: d(), amount: rng.int(800, 6000), note: `${rng.pick(HOSPITALS)}住院` }),
    残联: (p) => ({ p, source: '残联', type: '残疾等级变更', date: d(), amount: null, note: '复核后等级不变' }),
    公安: (p) => ({ p, source: '公安', type: '机动车登记', date: d(), amount: null, note: '小型轿车' }),
    人社: (p) => ({ p, source: '人社', type: '就业登记', date: d(), amount: null, note: '县内企业' }),
    应急: (p) => ({ p, source: '应急', type: '意外事故', date: d(), amount: rng.int(5, 50) * 100, note: '意外摔伤' }),
    不动产: (p) => ({ p, source: '不动产', type: '房产登记', date: d(), amount: rng.int(20, 60) * 10000, note: '商品房' }),
    教育: (p) => ({ p, source: '教育', type: '资助', date: d(), amount: 1000, note: '家庭经济困难学生资助' }),
    住建: (p) => ({ p, source: '住建', type: '危房鉴定', date: d(), amount: null, note: 'C级' }),
    市场监管: (p) => ({ p, source: '市场监管', type: '工商注册', date: d(), amount: null, note: '个体户' }),
    水利: (p) => ({ p, source: '水利', type: '饮水安全问题', date: d(), amount: null, note: '季节性缺水' }),
  };
  for (const spec of FEEDS) {
    if (adults.length > 0 && !ev.some((e) => e.source === spec.source)) ev.push(fallback[spec.source](rng.pick(adults)));
  }
  return ev;
}

function emitFeeds(rng: Rng, pop: Population, sink: Sink, files: TruthFile[], book: TrapBook): DemoTruth['feed_events'] {
  const events = feedEventsFor(rng, pop);
  const out: DemoTruth['feed_events'] = [];
  for (const spec of FEEDS) {
    const path = `feeds/${spec.source}.csv`;
    const mine = events.filter((e) => e.source === spec.source).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.p.key < b.p.key ? -1 : 1));
    const csv = new CsvOut(path, spec.encoding, sink);
    const titleRows: number[] = [];
    if (spec.title) {
      titleRows.push(csv.push([spec.title, '', '', '', '', '', '']));
      book.add('title_rows', { file: path, row: 1, column: '', raw: spec.title });
    }
    const header = csv.push([...FEED_COLUMNS]);
    for (const e of mine) {
      let id: string = e.p.id;
      let trap: string | null = null;
      if (spec.source === '残联' && rng.chance(0.6)) {
        id = `${e.p.id}${e.p.disabilityKind}${e.p.disability}`; // 残疾人证号 = 身份证号 + 类别 + 等级
        trap = 'id_disability20';
      } else if (spec.source === '医保' && id.endsWith('X') && rng.chance(0.5)) {
        id = id.toLowerCase();
        trap = 'id_lowercase_x';
      } else if (spec.source === '公安' && rng.chance(0.03)) {
        id = `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
        trap = 'id_spaces';
      }
      let amount = e.amount === null ? '' : money(e.amount);
      const amountStyled = spec.source === '应急' && amount !== '' && rng.chance(0.3);
      if (amountStyled) amount = styledAmount(rng, amount);
      const row = [spec.source, id, e.p.name, e.type, formatDate(e.date, spec.date), amount, e.note];
      const line = csv.push(row);
      if (trap) book.add(trap, { file: path, row: line, column: '证件号码', person: e.p.key, raw: id, expected: e.p.id });
      if (amountStyled) book.add('amount_format', { file: path, row: line, column: '金额', person: e.p.key, raw: amount, expected: money(e.amount!) });
      if (spec.date !== 'iso') book.add('date_format', { file: path, row: line, column: '事件日期', person: e.p.key, raw: row[4], expected: e.date });
      out.push({ file: path, row: line, person: e.p.key, source: spec.source, event_type: e.type, date: e.date, amount: e.amount });
    }
    csv.flush();
    if (spec.encoding === 'gb18030') book.add('gbk_encoding', { file: path, row: 0, column: '', raw: 'gb18030' });
    files.push({ path, system: 'feed', source: spec.source, encoding: spec.encoding, header_row: header, first_data_row: header + 1, last_data_row: header + mine.length, data_rows: mine.length, title_rows: titleRows, trailer_rows: [], date_format: spec.date });
  }
  return out;
}
