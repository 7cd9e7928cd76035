/**
 * The true population of the demo county and how each system sees it.
 *
 * A true household (户) is generated first with its real members; then the
 * PRM household (户籍/建档立卡户) and the LIP families (共同生活家庭, one or
 * several, possibly a subset) are cut from it. All economic figures are
 * computed per person and summed over whichever scope a system uses, so the two
 * systems disagree the way real data does (different scope, income basis, year).
 */
import { makeIdNumber } from '../domain/id-number.ts';
import { NEIGHBOUR_REGIONS, OLD_COUNTY_REGION, type Township, type Village } from './geography.ts';
import { givenName, surname } from './names.ts';
import { cumulative, type Rng } from '../domain/rng.ts';

/** Reference date of the exports (2024 Q4); ages are counted at this date. */
export const REF_YEAR = 2024;

export type Role = 'head' | 'spouse' | 'son' | 'daughter' | 'dil' | 'sil' | 'grandson' | 'granddaughter' | 'father' | 'mother' | 'sibling' | 'other';
export type Health = 'healthy' | 'chronic' | 'serious' | 'disabled';
export type Work = '省外务工' | '省内县外务工' | '县内务工' | '未务工';
export type Scope = 'prm' | 'lip' | 'both' | 'none';

export interface Person {
  key: string;
  name: string;
  surnameLength: number;
  male: boolean;
  birth: string; // ISO
  birthYear: number;
  age: number;
  id: string; // true 18-digit ID
  health: Health;
  /** 0 = none, else 1–4 (一级…四级). */
  disability: number;
  /** 残疾类别 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重. */
  disabilityKind: number;
  school: string; // PRM 在校生状况
  work: Work;
  workMonths: number;
  skilled: boolean;
  /** Annual wage income, PRM year basis. */
  wage: number;
  /** Pension (养老金), annual. */
  pension: number;
  /** 公益岗位 worker. */
  publicJob: boolean;
  phone: string;
}

export interface Member {
  p: Person;
  role: Role;
}

export interface TrueHousehold {
  idx: number;
  village: Village;
  urban: boolean;
  scope: Scope;
  members: Member[];
  farmGross: number;
  farmCost: number;
  property: number;
  support: number; // 赡养费 received
  deposits: number;
  cars: number;
  houses: number;
  medicalOop: number;
  education: number;
  housingSafe: boolean;
  waterSafe: boolean;
  prm: PrmHousehold | null;
  lips: LipFamily[];
}

export interface PrmHousehold {
  no: string;
  village: Village;
  home: TrueHousehold;
  members: Member[];
  type: '脱贫户' | '监测户' | '脱贫户且监测户';
  monitorClass: '' | '脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户';
  identified: string; // ISO or ''
  risk: string;
  riskCleared: '' | '是' | '否';
  riskClearedDate: string;
  measures: string;
}

export type LipRelation = '本人' | '配偶' | '子女' | '父母' | '孙子女' | '祖父母' | '兄弟姐妹' | '其他';

export interface LipFamily {
  no: string;
  village: Village;
  home: TrueHousehold;
  members: { p: Person; rel: LipRelation; role: Role }[];
  applicant: Person;
  klass: '低保对象' | '特困人员' | '低保边缘家庭成员' | '刚性支出困难家庭成员' | '其他低收入人口';
  /** For 单人保: only this person is 低保对象; the others are 低保边缘家庭成员. */
  singleCovered: Person | null;
  status: '在保' | '暂停' | '停保';
  admitted: string;
  exited: string;
  benefitMonthly: number;
  incomeYear: 2023 | 2024;
  wage: number;
  business: number;
  propertyNet: number;
  transferNet: number;
}

export interface Population {
  townships: Township[];
  households: TrueHousehold[];
  persons: Person[];
  prmHouseholds: PrmHousehold[];
  lipFamilies: LipFamily[];
}

// ---------------------------------------------------------------------------

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Random date between two ISO dates (inclusive). */
export function randomDate(rng: Rng, fromIso: string, toIso: string): string {
  const a = Date.parse(`${fromIso}T00:00:00Z`);
  const b = Date.parse(`${toIso}T00:00:00Z`);
  const t = a + rng.int(0, Math.round((b - a) / 86400000)) * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

function birthFor(rng: Rng, age: number): string {
  const y = REF_YEAR - age;
  // Born before the reference date (Oct 1) when age counts full years.
  const m = rng.int(1, y === REF_YEAR ? 9 : 12); // nobody born after the export date
  const d = rng.int(1, new Date(Date.UTC(y, m, 0)).getUTCDate());
  const iso = isoDate(y, m, d);
  return iso;
}

const PRM_HEALTH_MAP: Record<Health, string> = { healthy: '健康', chronic: '长期慢性病', serious: '患有大病', disabled: '残疾' };
const LIP_HEALTH_MAP: Record<Health, string> = { healthy: '健康', chronic: '慢性病', serious: '重病', disabled: '残疾' };
export const prmHealth = (h: Health): string => PRM_HEALTH_MAP[h];
export const lipHealth = (h: Health): string => LIP_HEALTH_MAP[h];
export const DISABILITY_LEVEL = ['', '一级', '二级', '三级', '四级'];
export const DISABILITY_KIND = ['', '视力', '听力', '言语', '肢体', '智力', '精神', '多重'];

/** Whether the person has (some) labour capacity — used for both systems' enums. */
export function labourClass(p: Person): 'none_age' | 'lost' | 'weak' | 'normal' | 'skilled' {
  if (p.age < 16 || p.school !== '非在校生') return 'none_age';
  if (p.disability === 1 || p.disability === 2 || p.health === 'serious') return 'lost';
  if (p.age >= 70) return 'none_age';
  if (p.age >= 60 || p.health === 'chronic' || p.disability > 0) return 'weak';
  return p.skilled ? 'skilled' : 'normal';
}

export function prmLabour(p: Person): string {
  switch (labourClass(p)) {
    case 'none_age': return '无劳动力';
    case 'lost': return '丧失劳动力';
    case 'weak': return '弱劳动力或半劳动力';
    case 'normal': return '普通劳动力';
    case 'skilled': return '技能劳动力';
  }
}

export function lipLabour(p: Person): string {
  switch (labourClass(p)) {
    case 'none_age': return '无劳动能力(未成年或老年)';
    case 'lost': return '完全丧失劳动能力';
    case 'weak': return '部分丧失劳动能力';
    default: return '有劳动能力';
  }
}

export function lipEmployment(p: Person, urban: boolean): string {
  if (p.school !== '非在校生' && p.school !== '学前教育') return '在校学生';
  if (p.age < 16) return '未就业';
  if (p.age >= 60) return urban && p.pension > 3000 ? '退休' : '未就业';
  if (p.work === '省外务工' || p.work === '省内县外务工') return '就业';
  if (p.work === '县内务工' || p.publicJob) return '灵活就业';
  return labourClass(p) === 'lost' ? '未就业' : p.id.charCodeAt(14) % 8 === 0 ? '失业' : '未就业'; // a stable minority registered as unemployed
}

function schoolFor(rng: Rng, age: number): string {
  if (age >= 3 && age <= 5) return rng.chance(0.85) ? '学前教育' : '非在校生';
  if (age >= 6 && age <= 11) return '小学';
  if (age >= 12 && age <= 14) return '初中';
  if (age >= 15 && age <= 17) return rng.chance(0.55) ? '高中' : rng.chance(0.6) ? '中职' : '非在校生';
  if (age >= 18 && age <= 21) return rng.chance(0.3) ? '大专及以上' : rng.chance(0.15) ? '高职' : '非在校生';
  return '非在校生';
}

// ---------------------------------------------------------------------------

/** Proportions of true rural households by system scope (tunable). Urban families are LIP only. */
export interface Mix {
  prm: number;
  lip: number;
  both: number;
  none: number;
  /** Share of all households that are urban (社区, 非农业). */
  urban: number;
}
/** Per 1000 households: ~350 PRM only, ~250 LIP only (≈100 urban), ~300 both, ~100 neither. */
export const DEFAULT_MIX: Mix = { prm: 350, lip: 150, both: 300, none: 100, urban: 0.1 };

class PopulationBuilder {
  persons: Person[] = [];
  private ids = new Set<string>();
  constructor(private rng: Rng) {}

  person(village: Village, male: boolean, age: number, famSurname: string | null, scope: Scope): Person {
    const rng = this.rng;
    age = Math.max(0, Math.min(98, age));
    const sn = famSurname ?? surname(rng, village.surnames);
    const birth = birthFor(rng, age);
    const birthYear = Number(birth.slice(0, 4));
    let region = '621202';
    if (birthYear < 1985 && rng.chance(0.7)) region = OLD_COUNTY_REGION;
    if (!male && famSurname === null && rng.chance(0.25)) region = rng.pick(NEIGHBOUR_REGIONS);
    let id = '';
    for (let t = 0; t < 100; t++) {
      id = makeIdNumber(region, birth, rng.int(0, 999), male);
      if (!this.ids.has(id)) break;
    }
    this.ids.add(id);
    const vulnerable = scope === 'both' || scope === 'lip';
    let health: Health = 'healthy';
    let disability = 0;
    const r = rng.next();
    const chronicP = age >= 60 ? 0.35 : age >= 40 ? 0.12 : 0.03;
    const seriousP = (age >= 50 ? 0.05 : 0.015) * (vulnerable ? 2 : 1);
    const disabledP = (age >= 60 ? 0.07 : 0.03) * (vulnerable ? 2.2 : 1);
    if (r < disabledP) {
      health = 'disabled';
      disability = rng.weighted([1, 2, 3, 4], [0.15, 0.3, 0.3, 0.25]);
    } else if (r < disabledP + seriousP) health = 'serious';
    else if (r < disabledP + seriousP + chronicP) health = 'chronic';
    const school = schoolFor(rng, age);
    const p: Person = {
      key: '',
      name: sn + givenName(rng, male, birthYear),
      surnameLength: [...sn].length,
      male,
      birth,
      birthYear,
      age,
      id,
      health,
      disability,
      disabilityKind: disability > 0 ? rng.weighted([1, 2, 3, 4, 5, 6, 7], [12, 15, 5, 40, 12, 8, 8]) : 0,
      school,
      work: '未务工',
      workMonths: 0,
      skilled: rng.chance(0.2),
      wage: 0,
      pension: age >= 60 ? 143 * 12 + rng.int(0, 30) * 10 : 0,
      publicJob: false,
      phone: rng.chance(0.6) && age >= 18 ? `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999999999)).padStart(9, '0')}` : '',
    };
    // Work: the main source of income in 陇南 is migrant work (务工).
    const lc = labourClass(p);
    if (lc === 'normal' || lc === 'skilled' || (lc === 'weak' && age < 65)) {
      const workP = (male ? 0.7 : 0.45) * (vulnerable ? 0.6 : 1) * (lc === 'weak' ? 0.4 : 1);
      if (rng.chance(workP)) {
        p.work = rng.weighted<Work>(['省外务工', '省内县外务工', '县内务工'], [0.5, 0.25, 0.25]);
        p.workMonths = rng.int(3, 12);
        const monthly = p.work === '省外务工' ? rng.int(38, 60) * 100 : p.work === '省内县外务工' ? rng.int(30, 45) * 100 : rng.int(22, 35) * 100;
        p.wage = p.workMonths * monthly * (p.skilled ? 1.25 : 1);
      } else if (lc === 'weak' && vulnerable && rng.chance(0.25)) {
        p.publicJob = true; // 公益岗位
        p.wage = 500 * 12;
      }
    }
    this.persons.push(p);
    return p;
  }
}

/** Generates households of one village until `count` are made. */
function makeHousehold(b: PopulationBuilder, rng: Rng, village: Village, scope: Scope, idx: number, urban: boolean): TrueHousehold {
  const members: Member[] = [];
  const vulnerable = scope === 'both' || scope === 'lip';
  // Structure: elderly alone/couple, nuclear, stem (with adult son's family), with head's parents, single adult.
  const kind = rng.weighted(['elderly', 'nuclear', 'stem', 'parents', 'single'], vulnerable ? [0.24, 0.3, 0.2, 0.16, 0.1] : [0.1, 0.4, 0.27, 0.18, 0.05]);
  const headAge = kind === 'elderly' ? rng.int(63, 88) : kind === 'stem' ? rng.int(50, 72) : kind === 'parents' ? rng.int(28, 48) : kind === 'single' ? rng.int(30, 62) : rng.int(26, 58);
  const headMale = rng.chance(kind === 'elderly' ? 0.7 : 0.9);
  const head = b.person(village, headMale, headAge, null, scope);
  const sn = head.name.slice(0, head.surnameLength);
  members.push({ p: head, role: 'head' });
  const married = kind !== 'single' && !(kind === 'elderly' && rng.chance(0.4));
  if (married) {
    const spAge = headAge + (headMale ? -rng.int(0, 5) : rng.int(0, 5));
    members.push({ p: b.person(village, !headMale, spAge, null, scope), role: 'spouse' });
  }
  const mother = headMale ? (married ? members[1].p : null) : head;
  const motherAge = mother ? mother.age : headAge;
  const childSurname = headMale ? sn : (married ? members[1].p.name.slice(0, members[1].p.surnameLength) : sn);
  if (kind === 'nuclear' || kind === 'parents') {
    const n = rng.weighted([0, 1, 2, 3], [0.08, 0.35, 0.45, 0.12]);
    for (let i = 0; i < n; i++) {
      const age = motherAge - rng.int(21, 36);
      if (age < 0) continue;
      const male = rng.chance(0.53);
      members.push({ p: b.person(village, male, age, childSurname, scope), role: male ? 'son' : 'daughter' });
    }
  }
  if (kind === 'stem') {
    const sonAge = motherAge - rng.int(21, 32);
    const son = b.person(village, true, Math.max(20, sonAge), childSurname, scope);
    members.push({ p: son, role: 'son' });
    const dil = b.person(village, false, Math.max(19, son.age - rng.int(-2, 4)), null, scope);
    members.push({ p: dil, role: 'dil' });
    const n = rng.weighted([0, 1, 2, 3], [0.1, 0.4, 0.4, 0.1]);
    for (let i = 0; i < n; i++) {
      const age = dil.age - rng.int(20, 32);
      if (age < 0) continue;
      const male = rng.chance(0.52);
      members.push({ p: b.person(village, male, age, childSurname, scope), role: male ? 'grandson' : 'granddaughter' });
    }
    // Sometimes an adult daughter still registered at home (possibly married out).
    if (rng.chance(0.3)) members.push({ p: b.person(village, false, Math.max(19, motherAge - rng.int(20, 30)), childSurname, scope), role: 'daughter' });
  }
  if (kind === 'parents') {
    const fAge = headAge + rng.int(22, 34);
    if (headMale || rng.chance(0.3)) {
      if (rng.chance(0.7)) members.push({ p: b.person(village, true, fAge, sn, scope), role: 'father' });
      members.push({ p: b.person(village, false, fAge - rng.int(0, 5), null, scope), role: 'mother' });
    }
  }
  if (kind === 'single' && rng.chance(0.5)) {
    members.push({ p: b.person(village, rng.chance(0.5), headAge + rng.int(-6, 6), sn, scope), role: 'sibling' });
  }
  if (kind === 'elderly' && rng.chance(0.12)) {
    members.push({ p: b.person(village, rng.chance(0.5), rng.int(8, 16), null, scope), role: 'other' }); // 留守 grandchild registered with grandparents under another surname
  }

  // Household economy (PRM year basis). Target per-capita net income by scope so the
  // identification rules see a meaningful mix around 6900 / 7920 / 11880.
  const n = members.length;
  let target: number;
  if (scope === 'both') target = rng.logNormal(6300, 0.35);
  else if (scope === 'lip') target = urban ? rng.logNormal(7600, 0.4) : rng.logNormal(6800, 0.35);
  else if (scope === 'prm') {
    const band = rng.weighted([0, 1, 2], [0.22, 0.35, 0.43]);
    target = band === 0 ? rng.int(4200, 6890) : band === 1 ? rng.int(7920, 11880) : rng.int(12000, 22000);
  } else target = rng.logNormal(18000, 0.35);
  const labourers = members.filter((m) => ['normal', 'skilled', 'weak'].includes(labourClass(m.p))).length;
  let farmGross = urban ? 0 : rng.int(15, 60) * 100 * Math.max(1, labourers) * (rng.chance(0.3) ? 2 : 1); // 花椒、油橄榄、中药材
  let farmCost = Math.round(farmGross * rng.int(28, 50)) / 100;
  const property = rng.chance(0.3) ? rng.int(2, 15) * 100 : 0;
  const pensions = members.reduce((s, m) => s + m.p.pension, 0);
  const support = kind === 'elderly' && rng.chance(0.6) ? rng.int(6, 36) * 100 : 0;
  const wages = members.reduce((s, m) => s + m.p.wage, 0);
  // Scale wages and farm net to hit the target; transfers stay as they are.
  const want = Math.max(0, target * n - pensions - support - property);
  const have = wages + (farmGross - farmCost);
  if (have > 0) {
    const k = want / have;
    for (const m of members) m.p.wage = Math.round(m.p.wage * k);
    farmGross = Math.round(farmGross * k);
    farmCost = Math.round(farmCost * k);
  } else if (want > 0 && !urban) {
    farmGross = Math.round(want * 1.6);
    farmCost = Math.round(want * 0.6);
  }
  const students = members.filter((m) => m.p.school !== '非在校生');
  const education = students.reduce((s, m) => s + ({ 学前教育: 1200, 小学: 500, 初中: 900, 高中: 4500, 中职: 2500, 高职: 9000, 大专及以上: 12000 } as Record<string, number>)[m.p.school], 0) * (rng.int(80, 130) / 100);
  const sick = members.some((m) => m.p.health === 'serious' || (m.p.health === 'disabled' && m.p.disability <= 2));
  const medicalOop = sick ? rng.int(30, 450) * 100 : members.some((m) => m.p.health === 'chronic') ? rng.int(5, 60) * 100 : rng.int(0, 12) * 100;
  const limit = 24 * 660 * n;
  const deposits = rng.chance(0.05) ? rng.int(Math.ceil(limit / 1000) + 1, Math.ceil(limit / 1000) * 3) * 1000 : rng.chance(0.5) ? 0 : rng.int(1, Math.max(1, Math.floor((limit * 0.6) / 500))) * 500;
  return {
    idx,
    village,
    urban,
    scope,
    members,
    farmGross,
    farmCost,
    property,
    support,
    deposits,
    cars: rng.chance(urban ? 0.06 : 0.03) ? 1 : 0,
    houses: rng.chance(urban ? 0.12 : 0.02) ? 0 : rng.chance(0.04) ? 2 : 1,
    medicalOop: Math.round(medicalOop),
    education: Math.round(education),
    housingSafe: !rng.chance(scope === 'none' ? 0.005 : 0.03),
    waterSafe: !rng.chance(0.01),
    prm: null,
    lips: [],
  };
}

/** Relation of a member to a LIP applicant (与申请人关系), from both people's roles in the true household. */
const LIP_REL: Partial<Record<Role, Partial<Record<Role, LipRelation>>>> = {
  head: { spouse: '配偶', son: '子女', daughter: '子女', grandson: '孙子女', granddaughter: '孙子女', father: '父母', mother: '父母', sibling: '兄弟姐妹' },
  spouse: { head: '配偶', son: '子女', daughter: '子女', grandson: '孙子女', granddaughter: '孙子女' },
  father: { mother: '配偶', head: '子女', sibling: '子女', son: '孙子女', daughter: '孙子女' },
  mother: { father: '配偶', head: '子女', sibling: '子女', son: '孙子女', daughter: '孙子女' },
  son: { daughter: '兄弟姐妹', dil: '配偶', grandson: '子女', granddaughter: '子女', head: '父母', spouse: '父母', father: '祖父母', mother: '祖父母' },
  dil: { son: '配偶', grandson: '子女', granddaughter: '子女' },
  daughter: { sil: '配偶', head: '父母', spouse: '父母', son: '兄弟姐妹', father: '祖父母', mother: '祖父母' },
  sibling: { head: '兄弟姐妹', father: '父母', mother: '父母' },
};
/** Relation to the applicant of a member who is not the applicant (the caller handles 本人). */
export function lipRelation(applicant: Role, member: Role): LipRelation {
  if (applicant === member && (member === 'son' || member === 'daughter' || member === 'sibling')) return '兄弟姐妹';
  return LIP_REL[applicant]?.[member] ?? '其他';
}

// ---------------------------------------------------------------------------
// Systems: cut PRM households and LIP families out of the true households.

const MEASURES = ['产业帮扶', '就业帮扶', '公益岗位', '小额信贷', '教育帮扶', '健康帮扶', '综合保障', '住房保障', '饮水保障'];

function prmFor(rng: Rng, h: TrueHousehold, members: Member[]): PrmHousehold {
  const type = rng.weighted(['脱贫户', '监测户', '脱贫户且监测户'] as const, h.scope === 'both' ? [0.5, 0.3, 0.2] : [0.68, 0.2, 0.12]);
  const monitored = type !== '脱贫户';
  const ps = members.map((m) => m.p);
  const risks: string[] = [];
  if (ps.some((p) => p.health === 'serious' || p.health === 'chronic')) risks.push('因病');
  if (ps.some((p) => p.disability > 0)) risks.push('因残');
  if (h.education > 6000) risks.push('因学');
  if (!h.housingSafe) risks.push('住房出现安全问题');
  if (!h.waterSafe) risks.push('饮水安全出现问题');
  if (!ps.some((p) => ['normal', 'skilled'].includes(labourClass(p)))) risks.push('缺劳动力');
  if (risks.length === 0) risks.push(rng.pick(['因务工就业不稳', '因灾', '因意外事故', '因产业项目失败', '其他']));
  const identified = monitored ? randomDate(rng, '2021-03-01', '2024-09-20') : '';
  const noLabour = !ps.some((p) => labourClass(p) !== 'none_age' && labourClass(p) !== 'lost');
  const cleared = monitored && !noLabour && identified < '2024-03-01' && rng.chance(0.45);
  const measures = rng.shuffle(MEASURES).slice(0, rng.int(1, 3));
  if (noLabour && !measures.includes('综合保障')) measures.push('综合保障');
  return {
    no: '',
    village: h.village,
    home: h,
    members,
    type,
    monitorClass: !monitored ? '' : type === '脱贫户且监测户' ? '脱贫不稳定户' : rng.chance(0.6) ? '边缘易致贫户' : '突发严重困难户',
    identified,
    risk: monitored ? rng.pick(risks) : '',
    riskCleared: monitored ? (cleared ? '是' : '否') : '',
    riskClearedDate: cleared ? randomDate(rng, identified > '2023-09-01' ? identified : '2023-09-01', '2024-09-25') : '',
    measures: measures.join(rng.chance(0.8) ? '、' : ';'),
  };
}

/** Share of a household figure that belongs to `subset` (by labourers, else by head count). */
function share(h: TrueHousehold, subset: Member[]): number {
  const lab = (ms: Member[]) => ms.filter((m) => labourClass(m.p) !== 'none_age' && labourClass(m.p) !== 'lost').length;
  const all = lab(h.members);
  return all > 0 ? lab(subset) / all : subset.length / h.members.length;
}

function lipFor(rng: Rng, h: TrueHousehold, members: Member[], applicantIdx = 0): LipFamily {
  const app = members[applicantIdx];
  const year = rng.chance(0.4) ? 2023 : 2024;
  const growth = year === 2023 ? 0.94 : 1.0;
  // Calendar-year disposable income of this family: its own wages, its share of farm and
  // property income (already net), pensions and support money — 低保金 itself is not counted.
  const noise = () => rng.int(88, 112) / 100;
  const k = share(h, members);
  const wage = Math.round(members.reduce((s, m) => s + m.p.wage, 0) * growth * noise());
  const business = Math.round((h.farmGross - h.farmCost) * k * growth * noise());
  const propertyNet = Math.round(h.property * k);
  const hasElder = members.some((m) => m.p.age >= 60);
  const transferNet = members.reduce((s, m) => s + m.p.pension, 0) + (hasElder ? h.support : 0);
  const n = members.length;
  const perCap = (wage + business + propertyNet + transferNet) / n;
  const ps = members.map((m) => m.p);
  const noSupport = ps.every((p) => p.age >= 60 || p.age < 16 || labourClass(p) === 'lost');
  let klass: LipFamily['klass'];
  let singleCovered: Person | null = null;
  if (noSupport && n <= 2 && perCap < 7920 && rng.chance(0.45)) klass = '特困人员';
  else if (perCap < 7920) klass = '低保对象';
  else if (perCap < 11880) {
    const grave = ps.find((p) => p.health === 'serious' || p.disability === 1 || p.disability === 2);
    if (grave && n > 1 && rng.chance(0.6)) {
      klass = '低保对象'; // 单人保
      singleCovered = grave;
    } else klass = '低保边缘家庭成员';
  } else if (h.medicalOop + h.education > 0.5 * perCap * n) klass = '刚性支出困难家庭成员';
  else klass = rng.chance(0.7) ? '低保边缘家庭成员' : '其他低收入人口';
  const covered = singleCovered ? 1 : n;
  const benefitMonthly =
    klass === '特困人员' ? 858 * n : klass === '低保对象' ? Math.max(covered * 120, Math.round((Math.max(0, 660 - perCap / 12) * covered) / 10) * 10) : 0;
  const status = rng.weighted(['在保', '暂停', '停保'] as const, [0.88, 0.04, 0.08]);
  const admitted = randomDate(rng, '2016-01-01', '2024-08-31');
  const fam: LipFamily = {
    no: '',
    village: h.village,
    home: h,
    members: members.map((m) => ({ p: m.p, role: m.role, rel: m.p === app.p ? '本人' : lipRelation(app.role, m.role) })),
    applicant: app.p,
    klass,
    singleCovered,
    status,
    admitted,
    exited: status === '停保' ? randomDate(rng, admitted > '2023-06-01' ? admitted : '2023-06-01', '2024-09-30') : '',
    benefitMonthly: status === '在保' ? benefitMonthly : 0,
    incomeYear: year,
    wage,
    business,
    propertyNet,
    transferNet,
  };
  // Applicant first, then the others in household order.
  fam.members.sort((a, b) => (a.rel === '本人' ? -1 : b.rel === '本人' ? 1 : 0));
  return fam;
}

/** Splits a both/LIP household into its LIP families (different scope than PRM). */
function cutLip(rng: Rng, h: TrueHousehold, ms: Member[]): LipFamily[] {
  const elders = ms.filter((m) => m.role === 'father' || m.role === 'mother');
  const core = ms.filter((m) => ['head', 'spouse'].includes(m.role) || ((m.role === 'son' || m.role === 'daughter') && (m.p.age < 18 || m.p.school !== '非在校生')));
  const r = rng.next();
  if (r < 0.18 && elders.length > 0) {
    // Elderly parents as their own (单人保/特困) family; the rest sometimes a second family.
    const out = [lipFor(rng, h, elders)];
    const rest = ms.filter((m) => !elders.includes(m));
    if (rest.length > 0 && rng.chance(0.6)) out.push(lipFor(rng, h, rest));
    return out;
  }
  if (r < 0.4 && core.length > 0 && core.length < ms.length) return [lipFor(rng, h, core)]; // the couple without adult children
  if (r < 0.48 && ms.length >= 3) {
    const grave = ms.find((m) => m.p.health === 'serious' || m.p.disability === 1 || m.p.disability === 2);
    if (grave) return [lipFor(rng, h, [grave])]; // one seriously ill/disabled member alone
  }
  // Same scope; the applicant is usually the head, sometimes the spouse.
  const appIdx = ms.length > 1 && ms[1].role === 'spouse' && rng.chance(0.15) ? 1 : 0;
  return [lipFor(rng, h, ms, appIdx)];
}

export interface PopulationOptions {
  households: number;
  mix?: Mix;
}

/** Builds the whole county population and both systems' views of it. */
export function buildPopulation(rng: Rng, townships: Township[], opts: PopulationOptions): Population {
  const mix = opts.mix ?? DEFAULT_MIX;
  const b = new PopulationBuilder(rng);
  const villages = townships.flatMap((t) => t.villages);
  const urbanVillages = villages.filter((v) => v.urban);
  const ruralVillages = villages.filter((v) => !v.urban);
  // Village sizes vary (a few big ones, many small); weights fixed per village.
  const ruralW = cumulative(ruralVillages.map(() => rng.int(40, 160)));
  const urbanW = cumulative(urbanVillages.map(() => rng.int(60, 200)));
  const households: TrueHousehold[] = [];
  const ruralTotal = mix.prm + mix.lip + mix.both + mix.none;
  for (let i = 0; i < opts.households; i++) {
    const urban = rng.chance(mix.urban);
    const village = urban ? rng.weightedCum(urbanVillages, urbanW) : rng.weightedCum(ruralVillages, ruralW);
    const scope: Scope = urban ? (rng.chance(0.8) ? 'lip' : 'none') : rng.weighted(['prm', 'lip', 'both', 'none'], [mix.prm, mix.lip, mix.both, mix.none].map((x) => x / ruralTotal));
    households.push(makeHousehold(b, rng, village, scope, i, urban));
  }
  // Order households by village so exports look like real ones (sorted by area).
  const villageOrder = new Map(villages.map((v, i) => [v.code, i]));
  households.sort((a, c) => villageOrder.get(a.village.code)! - villageOrder.get(c.village.code)! || a.idx - c.idx);
  households.forEach((h, i) => (h.idx = i));

  // Married-out daughter (出嫁女): still registered in her parents' PRM household, but living
  // in her husband's family, which is in LIP. She replaces the husband's spouse there.
  const daughters = households.filter((h) => (h.scope === 'prm' || h.scope === 'both') && h.members.some((m) => m.role === 'daughter' && m.p.age >= 20 && m.p.age <= 45 && m.p.school === '非在校生'));
  const husbands = households.filter((h) => h.scope === 'lip' && !h.urban && h.members[0].p.male && h.members[1]?.role === 'spouse' && h.members[0].p.age >= 22 && h.members[0].p.age <= 50);
  const target = Math.max(2, Math.round(opts.households * 0.004));
  const marriedOut = new Map<TrueHousehold, Person>(); // husband's household → the daughter
  // Husbands bucketed by their (generated) wife's age, so the daughter who replaces her is
  // about the same age and the children's ages stay plausible.
  const byWifeAge = new Map<number, TrueHousehold[]>();
  for (const hh of rng.shuffle(husbands)) {
    const a = hh.members[1].p.age;
    const list = byWifeAge.get(a);
    if (list) list.push(hh);
    else byWifeAge.set(a, [hh]);
  }
  for (const dh of rng.shuffle(daughters)) {
    if (marriedOut.size >= target) break;
    const d = dh.members.find((m) => m.role === 'daughter' && m.p.age >= 20 && m.p.age <= 45 && m.p.school === '非在校生')!.p;
    let hh: TrueHousehold | undefined;
    for (const delta of [0, -1, 1, -2, 2, -3, 3]) {
      hh = byWifeAge.get(d.age + delta)?.pop();
      if (hh) break;
    }
    if (!hh) continue;
    hh.members[1].p.key = 'DROP'; // the generated wife is replaced: she never existed
    hh.members[1] = { p: d, role: 'spouse' };
    marriedOut.set(hh, d);
  }
  const persons = b.persons.filter((p) => p.key !== 'DROP');
  const daughtersOut = new Set(marriedOut.values());

  const prmHouseholds: PrmHousehold[] = [];
  const lipFamilies: LipFamily[] = [];
  const prmSeq = new Map<string, number>();
  const lipSeq = new Map<string, number>();
  for (const h of households) {
    if (h.scope === 'prm' || h.scope === 'both') {
      const prm = prmFor(rng, h, h.members);
      const s = (prmSeq.get(h.village.code) ?? 0) + 1;
      prmSeq.set(h.village.code, s);
      prm.no = `${h.village.code}${String(s).padStart(4, '0')}`;
      h.prm = prm;
      prmHouseholds.push(prm);
    }
    if (h.scope === 'lip' || h.scope === 'both') {
      // A married-out daughter lives (共同生活) with her husband: never in her parents' LIP family.
      const living = h.members.filter((m) => !(m.role === 'daughter' && daughtersOut.has(m.p)));
      const fams = marriedOut.has(h) ? [lipFor(rng, h, h.members)] : living.length > 0 ? cutLip(rng, h, living) : [];
      for (const f of fams) {
        const s = (lipSeq.get(h.village.code) ?? 0) + 1;
        lipSeq.set(h.village.code, s);
        f.no = `${h.village.code}${String(s).padStart(5, '0')}`;
        lipFamilies.push(f);
      }
      h.lips = fams;
    }
  }
  // Stable person keys in household order (married-out daughters keep their parents' order).
  let k = 0;
  const seen = new Set<Person>();
  for (const h of households) for (const m of h.members) if (!seen.has(m.p)) {
    seen.add(m.p);
    m.p.key = `P${String(++k).padStart(7, '0')}`;
  }
  const ordered = persons.filter((p) => seen.has(p)).sort((a, c) => (a.key < c.key ? -1 : 1));
  return { townships, households, persons: ordered, prmHouseholds, lipFamilies };
}
