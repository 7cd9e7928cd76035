/**
 * The demo county: 陇南市武都区 (county code 621202), with townships (乡镇/街道)
 * and villages/communities (村/社区). Codes follow the statistical-code layout:
 * 6 county digits + 3 township digits (001–099 街道, 100–199 镇, 200–299 乡) +
 * 3 village digits (001–199 社区居委会, 200–499 村委会).
 */
import type { Rng } from '../domain/rng.ts';

export const COUNTY_CODE = '621202';
export const COUNTY_NAME = '武都区';
export const CITY_NAME = '陇南市';

export interface Village {
  /** 12-digit 行政区划代码. */
  code: string;
  name: string;
  /** 社区 (urban community): families there are 非农业 and only in LIP. */
  urban: boolean;
  township: Township;
  /** Dominant lineage surnames of the village (杨家坝 → 杨). */
  surnames: string[];
}

export interface Township {
  code: string; // 9 digits
  name: string;
  villages: Village[];
}

// Real township names of 武都区 (a subset); codes are illustrative.
const TOWNSHIPS: readonly { name: string; code3: string; communities: number; villages: [number, number] }[] = [
  { name: '钟楼街道', code3: '001', communities: 6, villages: [0, 0] },
  { name: '城关镇', code3: '100', communities: 3, villages: [6, 9] },
  { name: '东江镇', code3: '101', communities: 1, villages: [12, 18] },
  { name: '安化镇', code3: '102', communities: 0, villages: [12, 20] },
  { name: '汉王镇', code3: '103', communities: 0, villages: [12, 18] },
  { name: '两水镇', code3: '104', communities: 1, villages: [10, 16] },
  { name: '角弓镇', code3: '105', communities: 0, villages: [10, 16] },
  { name: '马街镇', code3: '106', communities: 0, villages: [10, 16] },
  { name: '甘泉镇', code3: '107', communities: 0, villages: [10, 15] },
  { name: '洛塘镇', code3: '108', communities: 0, villages: [12, 18] },
  { name: '琵琶镇', code3: '109', communities: 0, villages: [10, 15] },
  { name: '坪垭藏族乡', code3: '200', communities: 0, villages: [8, 12] },
];

const COMMUNITY_NAMES = ['北关社区', '南桥社区', '西街社区', '钟楼社区', '滨江社区', '长江社区', '东关社区', '桥头社区', '新华社区', '建设路社区'];
const LINEAGES = ['杨', '王', '李', '张', '赵', '刘', '何', '马', '苟', '雒', '冉', '蒲', '任', '陈', '文', '包', '牟', '姚', '吴', '郭'];
const TERRAIN = ['坝', '沟', '湾', '庄', '坪', '山', '河', '咀', '崖', '岭', '垭', '院', '堡'];
const PLAIN_NAMES = ['石门', '红岩', '柳林', '草坪', '桥头', '寺坪', '庙坪', '大湾', '水磨', '马莲', '枣树', '核桃', '花椒', '新庄', '下街', '上坝', '中坝', '松林', '白杨', '黄坪', '龙泉', '金竹', '青岗', '双河', '三岔', '五星', '团结', '向阳', '白龙', '峡口', '月亮', '罗家', '漆树', '椒园', '樱桃', '柏林', '望子', '盘龙', '油坊', '坪垭'];

/** Builds the county; depends only on the generator, so the same seed gives the same map. */
export function buildCounty(rng: Rng): Township[] {
  const out: Township[] = [];
  for (const t of TOWNSHIPS) {
    const code9 = `${COUNTY_CODE}${t.code3}`;
    const town: Township = { code: code9, name: t.name, villages: [] };
    const used = new Set<string>();
    const communityPool = rng.shuffle(COMMUNITY_NAMES);
    for (let i = 0; i < t.communities; i++) {
      const name = i === 0 && t.name !== '钟楼街道' ? `${t.name.replace(/(镇|街道|藏族乡|乡)$/, '')}社区` : communityPool[i];
      used.add(name);
      town.villages.push({ code: `${code9}${String(i + 1).padStart(3, '0')}`, name, urban: true, township: town, surnames: [] });
    }
    const nVillages = t.villages[1] === 0 ? 0 : rng.int(t.villages[0], t.villages[1]);
    for (let i = 0; i < nVillages; i++) {
      let name = '';
      let lineage: string[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        if (rng.chance(0.55)) {
          const s = rng.pick(LINEAGES);
          lineage = [s];
          name = `${s}家${rng.pick(TERRAIN)}村`;
        } else {
          name = `${rng.pick(PLAIN_NAMES)}村`;
          lineage = [rng.pick(LINEAGES), rng.pick(LINEAGES)];
        }
        if (!used.has(name)) break;
      }
      used.add(name);
      town.villages.push({ code: `${code9}${String(200 + i + 1).padStart(3, '0')}`, name, urban: false, township: town, surnames: lineage });
    }
    out.push(town);
  }
  return out;
}

/** Neighbouring counties whose IDs married-in spouses carry (成县, 文县, 宕昌, 康县, 西和, 礼县, 徽县, 两当). */
export const NEIGHBOUR_REGIONS = ['621221', '621222', '621223', '621224', '621225', '621226', '621227', '621228'];
/** 武都县's pre-2004 code under 陇南地区: older residents' IDs still carry it. */
export const OLD_COUNTY_REGION = '622621';
