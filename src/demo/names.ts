/**
 * Chinese personal names for the demo county: common surnames (with 陇南
 * local ones such as 苟, 雒, 冉, 蒲), given-name characters by birth cohort and
 * sex, and homophone pairs used to plant name typos (张丽 / 张莉).
 */
import { cumulative, type Rng } from '../domain/rng.ts';

/** Surnames with rough national weights, plus local surnames common in 武都. */
export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '罗', '郑',
  '梁', '谢', '宋', '唐', '韩', '冯', '邓', '曹', '彭', '田', '董', '袁', '蒋', '余', '杜', '程', '魏', '吕', '丁', '任',
  '姚', '卢', '姜', '崔', '谭', '汪', '石', '贾', '付', '白', '孟', '秦', '尹', '闫', '段', '雷', '侯', '史', '毛', '苟',
  '雒', '冉', '蒲', '文', '包', '牟', '权', '豆', '后', '令狐',
];
export const SURNAME_WEIGHTS: readonly number[] = SURNAMES.map((s, i) =>
  s === '杨' || s === '王' || s === '李' || s === '张' ? 8 : s === '苟' || s === '赵' || s === '刘' || s === '何' ? 5 : i < 20 ? 3 : s === '令狐' ? 0.3 : 1.5,
);

const SURNAME_CUM = cumulative(SURNAME_WEIGHTS);

// Given-name characters by cohort. Older people carry era names (建国, 秀英),
// younger ones the softer names of the 1990s–2010s.
const MALE_OLD = ['建国', '建军', '国强', '志强', '永红', '福', '贵', '德明', '振华', '国华', '玉林', '长生', '有才', '成林', '树林', '兴旺', '春生', '文斌', '怀德', '满仓', '保平', '占海', '来福', '金山', '万林'];
const MALE_MID = ['伟', '强', '军', '勇', '斌', '刚', '明', '杰', '涛', '磊', '平', '海', '峰', '亮', '鹏', '志刚', '小军', '红军', '建平', '永强', '海军', '卫东', '春明', '建华', '文军', '志勇', '国平'];
const MALE_YOUNG = ['浩', '宇', '轩', '博', '鑫', '凯', '航', '晨', '子豪', '浩然', '俊杰', '宇航', '一鸣', '子轩', '梓涵', '家乐', '文博', '天佑', '睿', '泽', '思远', '明轩', '嘉豪', '志鹏', '晓东'];
const FEMALE_OLD = ['秀英', '桂兰', '玉兰', '凤英', '桂英', '兰英', '秀兰', '淑珍', '翠花', '玉珍', '改英', '花', '菊花', '金花', '秀珍', '巧云', '彩霞', '月英', '春梅', '存兰', '引娣', '爱琴'];
const FEMALE_MID = ['丽', '娟', '敏', '静', '芳', '霞', '燕', '红', '梅', '萍', '玲', '英', '华', '琴', '艳', '小红', '丽萍', '海燕', '春燕', '红梅', '晓燕', '丽娟', '秀芳', '雪梅'];
const FEMALE_YOUNG = ['婷', '欣', '悦', '涵', '琪', '佳', '雪', '露', '丹', '倩', '子涵', '欣怡', '雨欣', '思琪', '梦瑶', '佳怡', '诗涵', '雅琪', '雨婷', '晓丽', '佳慧', '心怡', '可欣'];

export function givenName(rng: Rng, male: boolean, birthYear: number): string {
  if (male) return rng.pick(birthYear < 1960 ? MALE_OLD : birthYear < 1990 ? MALE_MID : MALE_YOUNG);
  return rng.pick(birthYear < 1960 ? FEMALE_OLD : birthYear < 1990 ? FEMALE_MID : FEMALE_YOUNG);
}

export function surname(rng: Rng, local?: readonly string[]): string {
  // Villages are dominated by a few lineages (杨家坝 is mostly 杨).
  if (local && local.length > 0 && rng.chance(0.55)) return rng.pick(local);
  return rng.weightedCum(SURNAMES, SURNAME_CUM);
}

/**
 * Groups of characters with the same pinyin (tone ignored) that clerks confuse
 * when typing a name by sound: 丽/莉, 娟/鹃, 军/君 …
 */
const HOMOPHONE_GROUPS: readonly string[] = [
  '丽莉俐', '娟鹃', '芳方', '静婧', '英莹瑛', '红宏洪', '华花', '军君', '明鸣', '伟玮炜', '霞侠', '燕艳雁', '梅玫',
  '兰岚', '平萍', '玲铃', '杰洁', '涛滔', '斌彬', '勇永', '刚钢', '志智', '春纯', '秀绣', '珍贞', '凤风', '海', '峰锋',
  '亮靓', '鹏朋', '林琳', '生升', '国帼', '强蔷', '敏民', '琴勤', '花华', '云芸', '贵桂', '福富', '德得', '成诚', '文雯',
  '东冬', '宇雨语', '欣新馨', '涵晗', '琪琦', '佳嘉', '雪学', '倩茜', '博波', '凯楷', '航杭', '晨辰', '浩昊', '轩萱', '鑫新',
];
const HOMOPHONE: Map<string, string[]> = new Map();
for (const g of HOMOPHONE_GROUPS) {
  const chars = [...g];
  for (const c of chars) {
    const others = chars.filter((o) => o !== c);
    if (others.length > 0) HOMOPHONE.set(c, [...(HOMOPHONE.get(c) ?? []), ...others]);
  }
}

/**
 * A homophone typo of `name`: one given-name character replaced by a character
 * with the same pinyin. Returns null when no character of the given name has one.
 */
export function homophoneVariant(rng: Rng, name: string, surnameLength: number): string | null {
  const chars = [...name];
  const candidates: number[] = [];
  for (let i = surnameLength; i < chars.length; i++) if (HOMOPHONE.has(chars[i])) candidates.push(i);
  if (candidates.length === 0) return null;
  const i = rng.pick(candidates);
  chars[i] = rng.pick(HOMOPHONE.get(chars[i]) ?? [chars[i]]);
  return chars.join('');
}
