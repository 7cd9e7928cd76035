/**
 * Shapes of imported records shared by the pure modules (formats, harmonize,
 * rules, demo) and the database schema, which re-exports them. Kept here so
 * pure code never imports from db/.
 */

export type System = 'prm' | 'lip' | 'feed';

/** How a raw ID cell turned out (formats/README.md). */
export type IdStatus = 'valid' | 'bad_check' | 'upgraded15' | 'disability20' | 'missing' | 'invalid';

export interface RowProblem {
  file?: string;
  row: number;
  column: string;
  value: string | null;
  code: string;
  message: string;
  severity?: 'error' | 'warning';
}

/** Household-level PRM fields (normalized; amounts in yuan, null = unknown). */
export interface PrmHouseholdAttrs {
  county?: string | null;
  incomeWage?: number | null; // 工资性收入
  incomeBusinessGross?: number | null; // 生产经营性收入 (gross)
  costBusiness?: number | null; // 生产经营性支出
  incomeProperty?: number | null; // 财产性收入
  incomeTransfer?: number | null; // 转移性收入
  transferDibao?: number | null; // 其中:低保金
  transferTekun?: number | null; // 其中:特困供养金
  transferPension?: number | null; // 其中:养老金或离退休金
  transferSupport?: number | null; // 其中:赡养费
  netIncome?: number | null; // 家庭年纯收入 (as recorded)
  netIncomePc?: number | null; // 家庭年人均纯收入 (as recorded)
  housingSecure?: boolean | null; // 住房安全有保障
  waterSecure?: boolean | null; // 饮水安全有保障
  educationSecure?: boolean | null; // 义务教育有保障
  medicalSecure?: boolean | null; // 基本医疗有保障
  measures?: string[]; // 帮扶措施
  riskType?: string | null; // 主要风险类型
  riskCleared?: boolean | null; // 风险是否已消除
  riskClearedDate?: string | null; // 风险消除时间 (ISO date)
  monitoredSince?: string | null; // 识别监测时间 (ISO date)
}

export interface PrmMemberAttrs {
  health?: string | null; // 健康状况
  disabilityGrade?: string | null; // 残疾等级
  labourSkill?: string | null; // 劳动技能
  schooling?: string | null; // 在校生状况
  work?: string | null; // 务工状况
  workMonths?: number | null; // 务工时间(月)
  medicalInsured?: boolean | null; // 是否参加城乡居民基本医疗保险
  phone?: string | null;
}

export interface LipFamilyAttrs {
  applicantName?: string | null;
  applicantIdNumber?: string | null;
  hukou?: string | null; // 户籍性质: 农业 | 非农业
  enrolledDate?: string | null; // 纳入时间
  exitDate?: string | null; // 退出时间
  benefitMonthly?: number | null; // 保障金额(元/月), family total
  disposableIncome?: number | null; // 家庭年可支配收入
  incomeWage?: number | null;
  incomeBusinessNet?: number | null; // 经营净收入
  incomePropertyNet?: number | null; // 财产净收入
  incomeTransferNet?: number | null; // 转移净收入
  incomeMonthlyPc?: number | null; // 家庭月人均收入
  deposits?: number | null; // 存款及理财
  vehicles?: number | null; // 机动车辆(辆)
  houses?: number | null; // 房产(套)
  medicalOutOfPocket?: number | null; // 医疗自付支出(元/年)
  educationSpending?: number | null; // 教育支出(元/年)
}

export interface LipMemberAttrs {
  personCategory?: string | null; // 人员类别
  health?: string | null; // 健康状况
  disabilityGrade?: string | null;
  labourCapacity?: string | null; // 劳动能力
  employment?: string | null; // 就业状况
  phone?: string | null;
}
