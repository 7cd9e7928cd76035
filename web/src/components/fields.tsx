/**
 * Chinese labels for the record fields the API returns, so pages can show any
 * record (PRM member, LIP member, review candidate) without a fixed schema.
 * Unknown keys are shown as they are.
 */
import type { ReactNode } from 'react';
import { Tag } from 'antd';

const LABELS: Record<string, string> = {
  name: '姓名',
  name_masked: '姓名',
  id_number: '身份证号',
  id_number_masked: '身份证号',
  idNumber: '身份证号',
  birth_date: '出生日期',
  birthDate: '出生日期',
  sex: '性别',
  gender: '性别',
  age: '年龄',
  relation: '与户主关系',
  relationship: '与户主关系',
  relation_to_head: '与户主关系',
  township: '乡镇',
  township_name: '乡镇',
  village: '村',
  village_name: '村',
  region_code: '行政区划代码',
  regionCode: '行政区划代码',
  county_code: '县代码',
  household_no: '户编号',
  prm_household_no: '防返贫户编号',
  family_no: '家庭编号',
  lip_family_no: '低收入家庭编号',
  group_no: '户/家庭编号',
  household_id: '统一家庭编号',
  householdId: '统一家庭编号',
  category: '类别',
  members: '人数',
  persons: '人数',
  household_size: '家庭人口',
  head_name: '户主',
  monitor_type: '监测对象类型',
  monitoring_type: '监测对象类型',
  risk_type: '风险类型',
  risk: '风险类型',
  status: '状态',
  assistance_type: '救助类别',
  assistance: '救助类别',
  relief_type: '救助类别',
  net_income_pc: '人均纯收入（元/年）',
  disposable_income_pc: '人均可支配收入（元/年）',
  income_pc: '人均收入（元/年）',
  income: '收入（元）',
  annual_income: '家庭年收入（元）',
  monthly_income_pc: '月人均收入（元）',
  disability: '残疾情况',
  disability_grade: '残疾等级',
  health: '健康状况',
  health_status: '健康状况',
  labour: '劳动能力',
  labor_capacity: '劳动能力',
  school: '在校生情况',
  phone: '联系电话',
  score: '匹配概率',
  method: '匹配方式',
  file_id: '导入文件',
  fileId: '导入文件',
  row_no: '行号',
  rowNo: '行号',
  record_key: '记录键',
  period: '数据期',
  idStatus: '身份证号状态',
  personCategory: '人员类别',
  groupNo: '户/家庭编号',
  headName: '户主',
  township_code: '乡镇代码',
  household_type: '户类型',
  monitoring_category: '监测对象类别',
  person_category: '救助对象类别',
  assistance_status: '救助状态',
  recorded_size: '登记人口',
  income_year: '收入年度',
  prmHouseholds: '防返贫户数',
  lipFamilies: '低收入家庭数',
  personsPrmOnly: '仅防返贫人数',
  personsLipOnly: '仅低收入人数',
  personsBoth: '两系统均有人数',
  countyCode: '县代码',
  householdType: '户类型',
  applicantName: '申请人',
  applicantIdNumber: '申请人身份证号',
  netIncome: '家庭纯收入（元）',
  netIncomePc: '人均纯收入（元）',
  disposableIncome: '家庭可支配收入（元）',
  disposableIncomePc: '人均可支配收入（元）',
  monthlyAssistance: '月救助金（元）',
  county: '县区',
  measures: '帮扶措施',
  riskType: '风险类型',
  riskCleared: '风险已消除',
  riskClearedDate: '风险消除日期',
  monitoredSince: '纳入监测日期',
  incomeWage: '工资性收入（元）',
  incomeBusinessGross: '生产经营性收入（元）',
  costBusiness: '生产经营性支出（元）',
  incomeProperty: '财产性收入（元）',
  incomeTransfer: '转移性收入（元）',
  transferDibao: '其中：低保金（元）',
  transferTekun: '其中：特困供养金（元）',
  transferPension: '其中：养老金（元）',
  transferSupport: '其中：赡养费（元）',
  waterSecure: '饮水安全有保障',
  housingSecure: '住房安全有保障',
  medicalSecure: '基本医疗有保障',
  educationSecure: '义务教育有保障',
  hukou: '户籍性质',
  houses: '住房（套）',
  deposits: '存款（元）',
  vehicles: '车辆（辆）',
  exitDate: '退出日期',
  enrolledDate: '纳入日期',
  benefitMonthly: '月救助金额（元）',
  incomeMonthlyPc: '月人均收入（元）',
  educationSpending: '教育支出（元）',
  medicalOutOfPocket: '医疗自付支出（元）',
  incomeBusinessNet: '经营净收入（元）',
  incomePropertyNet: '财产净收入（元）',
  incomeTransferNet: '转移净收入（元）',
  work: '务工情况',
  workMonths: '务工月数',
  schooling: '在校情况',
  labourSkill: '劳动技能',
  labourCapacity: '劳动能力',
  medicalInsured: '参加医保',
  disabilityGrade: '残疾等级',
  employment: '就业情况',
};

const METHOD_NAMES: Record<string, string> = {
  id_exact: '身份证号一致',
  probabilistic: '概率匹配',
  review: '人工复核',
  singleton: '未匹配',
};

export function fieldLabel(key: string): string {
  return LABELS[key] ?? key;
}

/** Fields that carry linkage plumbing rather than information for staff. */
export const HIDDEN_FIELDS = new Set(['recordKey', 'personId', 'system', 'householdId', 'record_key', 'record_hash', 'agreements', 'county_code', 'person_id', 'raw', 'file_id', 'fileId', 'row_no', 'rowNo']);

export function formatValue(key: string, v: unknown): ReactNode {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'method' && typeof v === 'string') return METHOD_NAMES[v] ?? v;
  if (key === 'score' && typeof v === 'number') return `${(v * 100).toFixed(1)}%`;
  if ((key === 'category' || key === 'personCategory') && typeof v === 'string') return <CategoryTag category={v} />;
  if (key === 'idStatus' && typeof v === 'string') return ID_STATUS[v] ?? v;
  if (key === 'sex' && typeof v === 'string') return SEX[v] ?? v;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、');
  if (typeof v === 'number') return Number.isInteger(v) ? v : v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const SEX: Record<string, string> = { M: '男', F: '女' };
const ID_STATUS: Record<string, string> = { valid: '有效', invalid: '校验位错误', missing: '缺失', converted_15: '15位已转换', upgraded15: '15位已升级为18位', malformed: '格式错误' };

const CAT_TAG: Record<string, { color: string; text: string }> = {
  II: { color: 'blue', text: 'II类 仅防返贫监测' },
  III: { color: 'gold', text: 'III类 仅低收入人口' },
  IV: { color: 'green', text: 'IV类 两系统均有' },
};

export function CategoryTag({ category }: { category: string }) {
  const t = CAT_TAG[category];
  return t ? <Tag color={t.color}>{t.text}</Tag> : <Tag>{category}</Tag>;
}

export const SYSTEM_SHORT: Record<string, string> = { prm: '防返贫监测系统', lip: '低收入人口平台' };

/** Local date-time (zh-CN, 24-hour) of an ISO timestamp; text that is not a date is shown as is. */
export function formatTime(s: string): string {
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toLocaleString('zh-CN', { hour12: false });
}
