/**
 * Column maps of the three export kinds (formats/prm.md, lip.md, feeds.md):
 * Chinese header → internal key, value kind, level (household or member) and
 * enum values with the synonyms seen in real exports. Pure data.
 */
import type { EnumSpec } from './normalize.ts';
import { normKey } from './text.ts';

export type ImportSystem = 'prm' | 'lip' | 'feed';
export type ColumnKind = 'text' | 'region' | 'code' | 'id' | 'int' | 'amount' | 'date' | 'yesno' | 'enum' | 'list';

export interface ColumnSpec {
  /** Header exactly as in the spec. */
  name: string;
  /** Internal key (attrs key for household/member attributes). */
  key: string;
  kind: ColumnKind;
  /** household = repeated on each member row; member = per row; key = identifies the record. */
  level: 'key' | 'household' | 'member';
  required?: boolean;
  enum?: EnumSpec;
  /** Other header spellings seen in exports. */
  aliases?: readonly string[];
}

const DISABILITY: EnumSpec = {
  values: ['一级', '二级', '三级', '四级'],
  synonyms: { '1级': '一级', '2级': '二级', '3级': '三级', '4级': '四级', 一: '一级', 二: '二级', 三: '三级', 四: '四级', '1': '一级', '2': '二级', '3': '三级', '4': '四级' },
};

export const PRM_RELATION: EnumSpec = {
  values: ['户主', '配偶', '之子', '之女', '儿媳', '女婿', '之孙子', '之孙女', '之父', '之母', '兄弟姐妹', '其他'],
  synonyms: {
    本人: '户主', 妻子: '配偶', 丈夫: '配偶', 妻: '配偶', 夫: '配偶', 儿子: '之子', 子: '之子', 长子: '之子', 次子: '之子',
    女儿: '之女', 女: '之女', 长女: '之女', 次女: '之女', 媳妇: '儿媳', 孙子: '之孙子', 孙女: '之孙女', 父亲: '之父', 父: '之父',
    母亲: '之母', 母: '之母', 兄弟: '兄弟姐妹', 姐妹: '兄弟姐妹', 哥哥: '兄弟姐妹', 弟弟: '兄弟姐妹', 姐姐: '兄弟姐妹', 妹妹: '兄弟姐妹', 其它: '其他',
  },
};

export const LIP_RELATION: EnumSpec = {
  values: ['本人', '配偶', '子女', '父母', '孙子女', '祖父母', '兄弟姐妹', '其他'],
  synonyms: {
    申请人: '本人', 户主: '本人', 妻子: '配偶', 丈夫: '配偶', 儿子: '子女', 女儿: '子女', 之子: '子女', 之女: '子女', 子: '子女', 女: '子女',
    父亲: '父母', 母亲: '父母', 之父: '父母', 之母: '父母', 孙子: '孙子女', 孙女: '孙子女', 祖父: '祖父母', 祖母: '祖父母',
    兄弟: '兄弟姐妹', 姐妹: '兄弟姐妹', 其它: '其他',
  },
};

const MEASURES: EnumSpec = {
  values: ['产业帮扶', '就业帮扶', '公益岗位', '小额信贷', '教育帮扶', '健康帮扶', '综合保障', '住房保障', '饮水保障', '其他'],
  synonyms: { 产业: '产业帮扶', 就业: '就业帮扶', 公益性岗位: '公益岗位', 小额信贷帮扶: '小额信贷', 教育: '教育帮扶', 健康: '健康帮扶', 兜底保障: '综合保障', 其它: '其他' },
};

const PRM_RISK: EnumSpec = {
  values: ['因病', '因残', '因学', '因灾', '因意外事故', '因产业项目失败', '因务工就业不稳', '缺劳动力', '住房出现安全问题', '义务教育保障出现问题', '基本医疗保障出现问题', '饮水安全出现问题', '其他'],
  synonyms: { 因意外: '因意外事故', 因务工: '因务工就业不稳', 因就业不稳: '因务工就业不稳', 缺劳力: '缺劳动力', 其它: '其他' },
};

const y = (name: string, key: string, level: ColumnSpec['level'] = 'household'): ColumnSpec => ({ name, key, kind: 'yesno', level });
const amt = (name: string, key: string, level: ColumnSpec['level'] = 'household', aliases?: string[]): ColumnSpec => ({ name, key, kind: 'amount', level, aliases });

export const PRM_COLUMNS: readonly ColumnSpec[] = [
  { name: '县', key: 'county', kind: 'text', level: 'household', aliases: ['县(市、区)', '县(区)'] },
  { name: '乡(镇)', key: 'township', kind: 'text', level: 'household', aliases: ['乡镇'] },
  { name: '行政村', key: 'village', kind: 'text', level: 'household', aliases: ['村'] },
  { name: '行政区划代码', key: 'regionCode', kind: 'region', level: 'key', required: true },
  { name: '户编号', key: 'householdNo', kind: 'code', level: 'key', required: true },
  { name: '户类型', key: 'householdType', kind: 'enum', level: 'household', enum: { values: ['脱贫户', '监测户', '脱贫户且监测户'], synonyms: { 监测对象: '监测户', 脱贫户监测户: '脱贫户且监测户' } } },
  { name: '监测对象类别', key: 'monitoringCategory', kind: 'enum', level: 'household', enum: { values: ['脱贫不稳定户', '边缘易致贫户', '突发严重困难户'], synonyms: { 脱贫不稳定: '脱贫不稳定户', 边缘易致贫: '边缘易致贫户', 突发严重困难: '突发严重困难户' } } },
  { name: '姓名', key: 'name', kind: 'text', level: 'member', required: true, aliases: ['成员姓名'] },
  { name: '证件号码', key: 'idNumber', kind: 'id', level: 'member', required: true, aliases: ['身份证号码', '身份证号', '证件号码(身份证/残疾证)'] },
  { name: '与户主关系', key: 'relation', kind: 'enum', level: 'member', required: true, enum: PRM_RELATION },
  { name: '家庭人口数', key: 'recordedSize', kind: 'int', level: 'household', aliases: ['家庭人口'] },
  { name: '健康状况', key: 'health', kind: 'enum', level: 'member', enum: { values: ['健康', '长期慢性病', '患有大病', '残疾'], synonyms: { 慢性病: '长期慢性病', 大病: '患有大病', 重病: '患有大病' } } },
  { name: '残疾等级', key: 'disabilityGrade', kind: 'enum', level: 'member', enum: DISABILITY },
  { name: '劳动技能', key: 'labourSkill', kind: 'enum', level: 'member', enum: { values: ['技能劳动力', '普通劳动力', '弱劳动力或半劳动力', '丧失劳动力', '无劳动力'], synonyms: { 弱劳动力: '弱劳动力或半劳动力', 半劳动力: '弱劳动力或半劳动力' } } },
  { name: '在校生状况', key: 'schooling', kind: 'enum', level: 'member', enum: { values: ['非在校生', '学前教育', '小学', '初中', '高中', '中职', '高职', '大专及以上'], synonyms: { 学前: '学前教育', 幼儿园: '学前教育', 大专: '大专及以上', 本科: '大专及以上', 中专: '中职' } } },
  { name: '务工状况', key: 'work', kind: 'enum', level: 'member', enum: { values: ['省外务工', '省内县外务工', '县内务工', '未务工'], synonyms: { 县外省内务工: '省内县外务工', 无: '未务工' } } },
  { name: '务工时间(月)', key: 'workMonths', kind: 'int', level: 'member', aliases: ['务工时间'] },
  { name: '是否参加城乡居民基本医疗保险', key: 'medicalInsured', kind: 'yesno', level: 'member' },
  { name: '识别监测时间', key: 'monitoredSince', kind: 'date', level: 'household' },
  { name: '主要风险类型', key: 'riskType', kind: 'enum', level: 'household', enum: PRM_RISK },
  y('风险是否已消除', 'riskCleared'),
  { name: '风险消除时间', key: 'riskClearedDate', kind: 'date', level: 'household' },
  { name: '收入年度', key: 'incomeYear', kind: 'int', level: 'household' },
  amt('工资性收入', 'incomeWage'),
  amt('生产经营性收入', 'incomeBusinessGross'),
  amt('生产经营性支出', 'costBusiness'),
  amt('财产性收入', 'incomeProperty'),
  amt('转移性收入', 'incomeTransfer'),
  amt('其中:低保金', 'transferDibao', 'household', ['低保金']),
  amt('其中:特困供养金', 'transferTekun', 'household', ['特困供养金']),
  amt('其中:养老金或离退休金', 'transferPension', 'household', ['养老金或离退休金']),
  amt('其中:赡养费', 'transferSupport', 'household', ['赡养费']),
  amt('家庭年纯收入', 'netIncome'),
  amt('家庭年人均纯收入', 'netIncomePc'),
  y('住房安全有保障', 'housingSecure'),
  y('饮水安全有保障', 'waterSecure'),
  y('义务教育有保障', 'educationSecure'),
  y('基本医疗有保障', 'medicalSecure'),
  { name: '帮扶措施', key: 'measures', kind: 'list', level: 'household', enum: MEASURES },
  { name: '联系电话', key: 'phone', kind: 'text', level: 'member' },
];

export const LIP_COLUMNS: readonly ColumnSpec[] = [
  { name: '行政区划代码', key: 'regionCode', kind: 'region', level: 'key', required: true },
  { name: '乡镇(街道)', key: 'township', kind: 'text', level: 'household', aliases: ['乡镇', '街道'] },
  { name: '村(社区)', key: 'village', kind: 'text', level: 'household', aliases: ['村', '社区'] },
  { name: '家庭编号', key: 'familyNo', kind: 'code', level: 'key', required: true },
  { name: '申请人姓名', key: 'applicantName', kind: 'text', level: 'household' },
  { name: '申请人身份证号', key: 'applicantIdNumber', kind: 'text', level: 'household', aliases: ['申请人身份证号码'] },
  { name: '成员姓名', key: 'name', kind: 'text', level: 'member', required: true },
  { name: '成员身份证号', key: 'idNumber', kind: 'id', level: 'member', required: true, aliases: ['成员身份证号码', '成员证件号码'] },
  { name: '与申请人关系', key: 'relation', kind: 'enum', level: 'member', required: true, enum: LIP_RELATION },
  { name: '户籍性质', key: 'hukou', kind: 'enum', level: 'household', enum: { values: ['农业', '非农业'], synonyms: { 居民: '非农业', 城镇: '非农业', 农村: '农业', 农业户口: '农业', 非农业户口: '非农业' } } },
  { name: '人员类别', key: 'personCategory', kind: 'enum', level: 'member', enum: { values: ['低保对象', '特困人员', '低保边缘家庭成员', '刚性支出困难家庭成员', '其他低收入人口'], synonyms: { 低保: '低保对象', 特困: '特困人员', 特困供养人员: '特困人员', 低保边缘: '低保边缘家庭成员', 低边: '低保边缘家庭成员', 刚性支出困难: '刚性支出困难家庭成员', 支出型困难: '刚性支出困难家庭成员', 其他: '其他低收入人口' } } },
  { name: '救助状态', key: 'assistanceStatus', kind: 'enum', level: 'household', enum: { values: ['在保', '暂停', '停保'], synonyms: { 退出: '停保', 已退出: '停保', 正常: '在保' } } },
  { name: '纳入时间', key: 'enrolledDate', kind: 'date', level: 'household' },
  { name: '退出时间', key: 'exitDate', kind: 'date', level: 'household' },
  amt('保障金额(元/月)', 'benefitMonthly', 'household', ['保障金额']),
  { name: '共同生活家庭人口数', key: 'recordedSize', kind: 'int', level: 'household', aliases: ['家庭人口数'] },
  { name: '收入统计年度', key: 'incomeYear', kind: 'int', level: 'household' },
  amt('家庭年可支配收入', 'disposableIncome'),
  amt('工资性收入', 'incomeWage'),
  amt('经营净收入', 'incomeBusinessNet'),
  amt('财产净收入', 'incomePropertyNet'),
  amt('转移净收入', 'incomeTransferNet'),
  amt('家庭月人均收入', 'incomeMonthlyPc'),
  amt('存款及理财(元)', 'deposits', 'household', ['存款及理财']),
  { name: '机动车辆(辆)', key: 'vehicles', kind: 'int', level: 'household', aliases: ['机动车辆'] },
  { name: '房产(套)', key: 'houses', kind: 'int', level: 'household', aliases: ['房产'] },
  amt('医疗自付支出(元/年)', 'medicalOutOfPocket', 'household', ['医疗自付支出']),
  amt('教育支出(元/年)', 'educationSpending', 'household', ['教育支出']),
  { name: '健康状况', key: 'health', kind: 'enum', level: 'member', enum: { values: ['健康', '慢性病', '重病', '残疾'], synonyms: { 长期慢性病: '慢性病', 患有大病: '重病', 大病: '重病' } } },
  { name: '残疾等级', key: 'disabilityGrade', kind: 'enum', level: 'member', enum: DISABILITY },
  { name: '劳动能力', key: 'labourCapacity', kind: 'enum', level: 'member', enum: { values: ['有劳动能力', '部分丧失劳动能力', '完全丧失劳动能力', '无劳动能力(未成年或老年)'], synonyms: { 无劳动能力: '无劳动能力(未成年或老年)', 丧失劳动能力: '完全丧失劳动能力' } } },
  { name: '就业状况', key: 'employment', kind: 'enum', level: 'member', enum: { values: ['就业', '灵活就业', '失业', '未就业', '在校学生', '退休'], synonyms: { 在校: '在校学生', 学生: '在校学生' } } },
  { name: '联系电话', key: 'phone', kind: 'text', level: 'member' },
];

export const FEED_SOURCES: EnumSpec = {
  values: ['医保', '残联', '公安', '人社', '应急', '不动产', '教育', '市场监管', '住建', '水利'],
  synonyms: { 医保局: '医保', 医疗保障局: '医保', 残联会: '残联', 残疾人联合会: '残联', 公安局: '公安', 人社局: '人社', 人力资源和社会保障局: '人社', 应急局: '应急', 应急管理局: '应急', 不动产登记中心: '不动产', 自然资源局: '不动产', 教育局: '教育', 市场监管局: '市场监管', 市场监督管理局: '市场监管', 住建局: '住建', 水利局: '水利' },
};

/** 事件类型 allowed per 数据来源 (feeds.md). */
export const FEED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  医保: ['住院自付费用', '门诊慢特病认定'],
  残联: ['新办残疾证', '残疾等级变更'],
  公安: ['死亡注销', '户籍迁出', '机动车登记'],
  人社: ['失业登记', '就业登记', '养老金领取'],
  应急: ['自然灾害受灾', '意外事故'],
  不动产: ['房产登记'],
  教育: ['新入学', '辍学', '资助'],
  市场监管: ['工商注册'],
  住建: ['危房鉴定'],
  水利: ['饮水安全问题'],
};

export const FEED_EVENT_TYPES: EnumSpec = {
  values: [...new Set(Object.values(FEED_EVENTS).flat())],
  synonyms: { 住院: '住院自付费用', 慢特病认定: '门诊慢特病认定', 死亡: '死亡注销', 迁出: '户籍迁出', 失业: '失业登记', 就业: '就业登记', 受灾: '自然灾害受灾', 入学: '新入学' },
};

export const FEED_COLUMNS: readonly ColumnSpec[] = [
  { name: '数据来源', key: 'source', kind: 'enum', level: 'member', required: true, enum: FEED_SOURCES },
  { name: '证件号码', key: 'idNumber', kind: 'id', level: 'member', required: true, aliases: ['身份证号码', '身份证号'] },
  { name: '姓名', key: 'name', kind: 'text', level: 'member' },
  { name: '事件类型', key: 'eventType', kind: 'enum', level: 'member', required: true, enum: FEED_EVENT_TYPES },
  { name: '事件日期', key: 'eventDate', kind: 'date', level: 'member', required: true },
  amt('金额', 'amount', 'member', ['金额(元)']),
  { name: '说明', key: 'note', kind: 'text', level: 'member', aliases: ['备注'] },
];

export const COLUMNS: Readonly<Record<ImportSystem, readonly ColumnSpec[]>> = { prm: PRM_COLUMNS, lip: LIP_COLUMNS, feed: FEED_COLUMNS };

export const SYSTEM_LABEL: Readonly<Record<ImportSystem, string>> = {
  prm: '防止返贫监测系统（PRM）',
  lip: '低收入人口动态监测信息平台（LIP）',
  feed: '部门数据推送（feed）',
};

const lookups = new Map<ImportSystem, Map<string, ColumnSpec>>();
/** normKey(header) → spec, for the names and aliases of one system. */
export function headerLookup(system: ImportSystem): Map<string, ColumnSpec> {
  let m = lookups.get(system);
  if (!m) {
    m = new Map();
    for (const c of COLUMNS[system]) {
      for (const a of c.aliases ?? []) m.set(normKey(a), c);
    }
    for (const c of COLUMNS[system]) m.set(normKey(c.name), c); // exact names win over aliases
    lookups.set(system, m);
  }
  return m;
}
