/** Chinese labels for the evaluation's variables and groups (paper wording). */
export const VARIABLE_LABELS: Record<string, string> = {
  intercept: '常数项',
  head_age: '户主年龄',
  head_edu_years: '受教育年限',
  head_healthy: '身体健康',
  head_party: '中共党员',
  hh_size: '家庭人口数',
  working_age_share: '劳动年龄人口占比',
  income_pc: '家庭人均收入（元/年）',
  expense_pc: '家庭人均支出（元/年）',
  medical_share: '医疗支出占比',
  fin_assets_pc: '人均金融资产（元）',
  unsafe_water: '做饭用水不安全',
  east: '东部',
  central: '中部',
  west: '西部',
  ln_expense_pc: 'ln 人均支出',
  ln_fin_assets_pc: 'ln(1+人均金融资产)',
  ln_income_pc: 'ln 人均收入',
  group_II: 'II 类',
  group_III: 'III 类',
  group_IV: 'IV 类',
  vep: '脆弱性水平（VEP 指数）',
  wage_business_share: '家庭工资和经营性收入占比',
  work_willing: '主要劳动力有就业意愿',
};

export const GROUP_LABELS: Record<string, string> = {
  I: 'I 类（非监测非救助）',
  II: 'II 类（仅防止返贫监测）',
  III: 'III 类（仅低收入帮扶）',
  IV: 'IV 类（两者皆是）',
};

export const label = (v: string): string => VARIABLE_LABELS[v] ?? v;
