/**
 * Policy that varies by place but is not a single number: which disabilities
 * count as no labour capacity, which health states allow 单人保, which signal
 * events are sudden hardship, how missing assets are treated. A county passes
 * its own `RulesConfig` (e.g. from JSON); `DEFAULT_RULES_CONFIG` follows the
 * national texts cited in ../shared/background/policy-rules-sources.md.
 */
import type { DisabilityType, Health } from './snapshot.ts';

/**
 * A disability matches when its grade is 1..maxGrade and its type equals
 * `type` (null = any type). With the type unknown, only a `type: null` rule can
 * decide 'yes'; a typed rule that would match makes the answer unknown.
 */
export interface DisabilityRule {
  /** null = any type. */
  type: DisabilityType | null;
  /** Grades 1..maxGrade count (1 is the most severe). */
  maxGrade: number;
}

export interface SignalRule {
  source: string;
  eventType: string;
  /** For 住建 危房鉴定: the note must contain one of these (e.g. C级, D级). */
  noteIncludes?: string[];
}

export interface RulesConfig {
  /** 特困 第五条: age ≥ this = no labour capacity. */
  elderlyAge: number;
  /** 特困 第五条: age < this = no labour capacity. */
  minorAge: number;
  /** Minors in these schooling stages count until `studentAge` (特困 第二十四条). */
  studentAge: number;
  studentStages: string[];
  /** 特困 第五条(三): disabilities that mean no labour capacity. */
  noLabourDisabilities: DisabilityRule[];
  /** A system recording 'none' (完全丧失劳动能力 / 丧失劳动力) also counts (省定其他情形). */
  recordedNoneCounts: boolean;
  /** 单人保 (低保办法 第八条): health states and disabilities that may be covered alone. */
  singleHealth: Health[];
  singleDisabilities: DisabilityRule[];
  /** Missing asset data: 'unknown' (default, strict) or 'within_limits' (documented assumption). */
  missingAssets: 'unknown' | 'within_limits';
  /** Events that count as sudden hardship for 防返贫 (因病/因残/因灾/因意外/失业). */
  suddenEvents: SignalRule[];
  /** Events that mean an indicator is not secured. */
  indicatorEvents: { indicator: 'housing' | 'water' | 'education' | 'medical'; rule: SignalRule }[];
  /** Medical out-of-pocket in the window above this share of household PRM income = heavy rigid spending. */
  heavyMedicalShare: number;
}

export const DEFAULT_RULES_CONFIG: RulesConfig = {
  elderlyAge: 60,
  minorAge: 16,
  studentAge: 18,
  studentStages: ['小学', '初中', '高中', '中职', '普高', '义务教育'],
  noLabourDisabilities: [
    { type: 'intellectual', maxGrade: 3 },
    { type: 'mental', maxGrade: 3 },
    { type: 'physical', maxGrade: 2 },
    { type: 'visual', maxGrade: 1 },
    // 多重残疾 is graded by its most severe part; counted like 视力 (grade 1) by default.
    { type: 'multiple', maxGrade: 1 },
  ],
  recordedNoneCounts: true,
  singleHealth: ['serious'],
  singleDisabilities: [
    { type: null, maxGrade: 2 },
    { type: 'intellectual', maxGrade: 3 },
    { type: 'mental', maxGrade: 3 },
  ],
  missingAssets: 'unknown',
  suddenEvents: [
    { source: '医保', eventType: '住院自付费用' },
    { source: '残联', eventType: '新办残疾证' },
    { source: '应急', eventType: '自然灾害受灾' },
    { source: '应急', eventType: '意外事故' },
    { source: '人社', eventType: '失业登记' },
  ],
  indicatorEvents: [
    { indicator: 'housing', rule: { source: '住建', eventType: '危房鉴定', noteIncludes: ['C级', 'D级', 'C', 'D'] } },
    { indicator: 'water', rule: { source: '水利', eventType: '饮水安全问题' } },
    { indicator: 'education', rule: { source: '教育', eventType: '辍学' } },
  ],
  heavyMedicalShare: 0.5,
};
