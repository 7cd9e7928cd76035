/**
 * Test and benchmark inputs: hand-made "nasty" exports carrying every trap of
 * formats/README.md (with their exact expected outcome documented next to
 * them), and a streaming generator of large synthetic PRM/LIP files. Pure.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { checkDigit, makeIdNumber } from '../domain/id-number.ts';

/** A valid ID whose check character is X (for the lowercase-x trap). */
export function idWithX(region6: string, birthIso: string): string {
  for (let seq = 1; seq < 1000; seq++) {
    const id = makeIdNumber(region6, birthIso, seq, seq % 2 === 1);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X id');
}

/** Same ID with a wrong check digit. */
export function withBadCheck(id: string): string {
  const good = checkDigit(id.slice(0, 17));
  const bad = good === '1' ? '2' : '1';
  return id.slice(0, 17) + bad;
}

const fullWidth = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

const q = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (cells: readonly string[]): string => cells.map(q).join(',');

export const NASTY_IDS = {
  head1: makeIdNumber('430121', '1970-01-02', 11, true),
  wifeX: idWithX('430121', '1972-05-06'),
  son: makeIdNumber('430121', '1995-08-09', 21, true),
  head2: makeIdNumber('430121', '1960-02-03', 31, true),
  old15: '430121650315124', // → 430121 19 650315124 + check
  head3: makeIdNumber('430121', '1980-10-10', 41, true),
  badCheck: withBadCheck(makeIdNumber('430121', '1982-11-11', 52, false)),
  other: makeIdNumber('430121', '1990-01-01', 61, true),
};

/**
 * The nasty PRM export (CSV). Rows 1–2 title/填报单位, row 3 header (columns
 * reordered, extra 备注 column), data rows 4–15, row 16 blank, row 17 合计.
 * Expected — rows 12, records 10, skipped 2 (row 14 no 户编号, row 15 bad
 * 行政区划代码), households 4, blank 1, total 1, problems 12:
 * ID_BAD_CHECK r10; ID_MISSING r11 r12 r13; BAD_DATE r11; BAD_ENUM r12;
 * BAD_AMOUNT r13; MISSING_HOUSEHOLD_NO r14; BAD_REGION r15;
 * HOUSEHOLD_CONFLICT H002 工资性收入 (8000 head vs 9000) and H004 户类型
 * (no head: 监测户 ×2 beats 脱贫户); SIZE_MISMATCH H002 (recorded 4, 2 rows).
 */
export function nastyPrmCsv(): string {
  const I = NASTY_IDS;
  const header = ['户编号', '县', '乡（镇）', '行政村', '行政区划代码', '户类型', '监测对象类别', '姓名', '证件号码', '与户主关系', '家庭人口数', '健康状况', '识别监测时间', '收入年度', '工资性收入', '生产经营性收入', '家庭年纯收入', '帮扶措施', '风险是否已消除', '备注'];
  const v1 = ['甲县', '乙镇', '丙村', '430121001001'];
  const v3 = ['甲县', '乙镇', '丁村', '430121002003'];
  const rows: string[][] = [
    ['H001', ...v1, '监测户', '边缘易致贫户', '张三', I.head1, '户主', '3', '健康', '2024-03-05', '2024', '12,345.6', '5000元', '17345.6', '产业帮扶、就业帮扶', '否', '备注甲'],
    ['H001', ...v1, '监测户', '边缘易致贫户', '李梅', I.wifeX.toLowerCase(), '妻子', '3', '长期慢性病', '2024/3/5', '2024', '12345.6元', '5000', '17345.6', '产业帮扶;就业帮扶', '否', ''],
    ['H001', ...v1, '监测户', '边缘易致贫户', '张小', fullWidth(I.son), '之子', '3人', '健康', '20240305', '2024', '１２３４５.６', '5,000', '17345.6', '产业帮扶，就业帮扶', '否', ''],
    ['H002', ...v1, '脱贫户', '', '王五', `'${I.head2.slice(0, 6)} ${I.head2.slice(6, 14)} ${I.head2.slice(14)}`, '户主', '4', '患有大病', '2024.3.5', '2024', '8000', '', '', '', '是', ''],
    ['H002', ...v1, '脱贫户', '', '王六', I.old15, '之女', '4', '健康', '2024年3月5日', '2024', '9000', '3000', '', '', '是', ''],
    ['H003', ...v3, '脱贫户且监测户', '突发严重困难户', '赵一', `${I.head3}11`, '户主', '2', '残疾', '2024-03', '2024', '', '', '', '', '', ''],
    ['H003', ...v3, '脱贫户且监测户', '突发严重困难户', '赵二', I.badCheck, '配偶', '2', '健康', '2024年3月', '2024', '', '', '', '', '', ''],
    ['H004', ...v1, '监测户', '', '钱一', '不详', '之父', '3', '健康', '2024-13-01', '2024', '', '', '', '', '', ''],
    ['H004', ...v1, '监测户', '', '钱二', '', '之母', '3', '很好', '45356', '2024', '', '', '', '', '', ''],
    ['H004', ...v1, '脱贫户', '', '钱三', '无', '其他', '3', '健康', '2024-03-05', '2024', '', '约5000', '', '', '', ''],
    ['', ...v1, '监测户', '', '孙七', I.other, '户主', '1', '健康', '', '2024', '', '', '', '', '', ''],
    ['H005', '甲县', '乙镇', '丙村', '43012100100', '监测户', '', '周八', I.other, '户主', '1', '健康', '', '2024', '', '', '', '', '', ''],
  ];
  const out = [
    line(['XX省甲县防止返贫监测对象明细表', ...Array(header.length - 1).fill('')]),
    line(['填报单位：甲县乡村振兴局', '', '', '', '', '', '', '', '', '', '填报日期：2024年10月8日', ...Array(header.length - 11).fill('')]),
    line(header),
    ...rows.map(line),
    line(Array(header.length).fill('')),
    line(['合计', '', '', '', '', '', '', '10人', ...Array(header.length - 8).fill('')]),
  ];
  return `${out.join('\r\n')}\r\n`;
}

/** UTF-8 with BOM, as Excel's "CSV UTF-8" writes it. */
export const withBom = (s: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);
/** GB18030 bytes, as Excel's plain "CSV" on Chinese Windows writes it. */
export const toGb18030 = (s: string): Buffer => iconv.encode(s, 'gb18030');

export const LIP_IDS = {
  app: makeIdNumber('430121', '1958-04-04', 71, true),
  spouse: makeIdNumber('430121', '1960-06-06', 82, false),
  child: makeIdNumber('430121', '1988-09-09', 93, true),
  single: makeIdNumber('430121', '1945-12-12', 15, false),
};

/**
 * Nasty LIP export (meant to be saved as GB18030). Expected — rows 5, records
 * 5, families 2 (F01 3 members recorded 3; F02 2 rows recorded 1 → SIZE_MISMATCH),
 * problems: F01 保障金额 conflict (applicant row 600 vs 650 → 600), 救助状态
 * "退出" → 停保 (synonym, no problem), row 8 人员类别 "贫困户" BAD_ENUM,
 * SIZE_MISMATCH F02 → 3 problems.
 */
export function nastyLipCsv(): string {
  const L = LIP_IDS;
  const header = ['行政区划代码', '乡镇(街道)', '村(社区)', '家庭编号', '申请人姓名', '申请人身份证号', '成员姓名', '成员身份证号', '与申请人关系', '户籍性质', '人员类别', '救助状态', '纳入时间', '保障金额(元/月)', '共同生活家庭人口数', '收入统计年度', '家庭年可支配收入', '健康状况', '劳动能力'];
  const f1 = ['430121001001', '乙镇', '丙村', 'F01', '刘大', L.app];
  const f2 = ['430121001002', '乙镇', '戊村', 'F02', '陈婆', L.single];
  const rows = [
    [...f1, '刘大', L.app, '本人', '农业', '低保对象', '在保', '2021-05-01', '600', '3', '2023', '18,000', '重病', '部分丧失劳动能力'],
    [...f1, '王芳', L.spouse, '配偶', '农业', '低保对象', '在保', '2021/5/1', '650', '3', '2023', '18000元', '健康', '有劳动能力'],
    [...f1, '刘小', L.child, '儿子', '农业', '低保对象', '在保', '20210501', '600', '3', '2023', '18000', '健康', '有劳动能力'],
    [...f2, '陈婆', L.single, '本人', '农业', '特困人员', '退出', '2019年3月', '1,100.5', '1', '2023', '9600', '慢性病', '完全丧失劳动能力'],
    [...f2, '陈某', '', '其他', '农业', '贫困户', '退出', '2019年3月', '1,100.5', '1', '2023', '9600', '健康', '有劳动能力'],
  ];
  return [line(['甲县低收入人口信息表']), line(header), ...rows.map(line), line(['总计', '', '', '2户'])].join('\n');
}

/**
 * Nasty department feed. Expected — rows 4, records 3 (row 5 unknown 数据来源
 * "税务" is unusable), problems: r3 EVENT_SOURCE_MISMATCH (医保 + 死亡注销),
 * r4 BAD_DATE, r5 BAD_ENUM (error) → 3. Period 2024-06 (majority month).
 */
export function nastyFeedCsv(): string {
  const L = LIP_IDS;
  return [
    '数据来源,证件号码,姓名,事件类型,事件日期,金额,说明',
    `医保,${L.app},刘大,住院自付费用,2024-06-03,"12,000.5",肺炎住院`,
    `医保,${L.spouse},王芳,死亡注销,2024/6/9,,`,
    `应急,${L.child},刘小,自然灾害受灾,2024-06-31,8000元,洪涝`,
    `税务,${L.single},陈婆,欠税,2024-06-01,,`,
  ].join('\n');
}

/**
 * PRM export as XLSX with a title row, a two-row merged header
 * ("家庭收入情况（元）" above 工资性收入 / 生产经营性收入), typed cells (dates,
 * numbers), an ID typed as a number (precision lost → ID_INVALID) and a
 * 合计 row. Expected — rows 3, records 3, households 2, problems 1 (ID_INVALID r6).
 */
export async function mergedHeaderPrmXlsx(): Promise<Buffer> {
  const I = NASTY_IDS;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('明细');
  ws.addRow(['甲县防止返贫监测对象明细表']);
  ws.mergeCells('A1:J1');
  ws.addRow(['行政区划代码', '户编号', '姓名', '证件号码', '与户主关系', '家庭人口数', '识别监测时间', '家庭收入情况（元）', '', '收入年度']);
  ws.addRow(['', '', '', '', '', '', '', '工资性收入', '生产经营性收入', '']);
  for (const c of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'J']) ws.mergeCells(`${c}2:${c}3`);
  ws.mergeCells('H2:I2');
  ws.addRow(['430121001001', 'X01', '甲一', I.head1, '户主', 2, new Date(Date.UTC(2023, 5, 1)), 12000, 3000.5, 2024]);
  ws.addRow(['430121001001', 'X01', '甲二', I.son, '之子', 2, new Date(Date.UTC(2023, 5, 1)), 12000, 3000.5, 2024]);
  ws.addRow(['430121001001', 'X02', '乙一', Number(I.head3), '户主', 1, 45356, 5000, '', 2024]);
  ws.addRow([]);
  ws.addRow(['合计', '', '3人']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- large synthetic files for the benchmark -------------------------------------------

export const BENCH_PRM_HEADER = [
  '县', '乡(镇)', '行政村', '行政区划代码', '户编号', '户类型', '监测对象类别', '姓名', '证件号码', '与户主关系', '家庭人口数', '健康状况', '残疾等级',
  '劳动技能', '在校生状况', '务工状况', '务工时间(月)', '是否参加城乡居民基本医疗保险', '识别监测时间', '主要风险类型', '风险是否已消除', '风险消除时间',
  '收入年度', '工资性收入', '生产经营性收入', '生产经营性支出', '财产性收入', '转移性收入', '其中:低保金', '其中:特困供养金', '其中:养老金或离退休金',
  '其中:赡养费', '家庭年纯收入', '家庭年人均纯收入', '住房安全有保障', '饮水安全有保障', '义务教育有保障', '基本医疗有保障', '帮扶措施', '联系电话',
];

export const BENCH_LIP_HEADER = [
  '行政区划代码', '乡镇(街道)', '村(社区)', '家庭编号', '申请人姓名', '申请人身份证号', '成员姓名', '成员身份证号', '与申请人关系', '户籍性质', '人员类别',
  '救助状态', '纳入时间', '退出时间', '保障金额(元/月)', '共同生活家庭人口数', '收入统计年度', '家庭年可支配收入', '工资性收入', '经营净收入', '财产净收入',
  '转移净收入', '家庭月人均收入', '存款及理财(元)', '机动车辆(辆)', '房产(套)', '医疗自付支出(元/年)', '教育支出(元/年)', '健康状况', '残疾等级', '劳动能力',
  '就业状况', '联系电话',
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Streams a synthetic export of about `persons` member rows (households of
 * 1–5, fields filled in the spec layout) as CSV text chunks.
 */
export function* syntheticCsv(system: 'prm' | 'lip', persons: number, seed = 1): Generator<string> {
  const rnd = lcg(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const header = system === 'prm' ? BENCH_PRM_HEADER : BENCH_LIP_HEADER;
  let buf = `${header.join(',')}\n`;
  let n = 0;
  let hh = 0;
  while (n < persons) {
    hh++;
    const size = Math.min(persons - n, 1 + Math.floor(rnd() * 5));
    const village = String(1 + (hh % 300)).padStart(3, '0');
    const region = `430121${String(1 + (hh % 20)).padStart(3, '0')}${village}`;
    const no = `${system === 'prm' ? 'H' : 'F'}${String(hh).padStart(8, '0')}`;
    const wage = Math.floor(rnd() * 40000);
    const members: { name: string; id: string }[] = [];
    for (let m = 0; m < size; m++) {
      const y = 1940 + Math.floor(rnd() * 80);
      const birth = `${y}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      members.push({ name: pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.5 ? pick([...GIVEN]) : ''), id: makeIdNumber('430121', birth, Math.floor(rnd() * 1000), rnd() < 0.5) });
    }
    for (let m = 0; m < size; m++) {
      const p = members[m];
      if (system === 'prm') {
        buf += `甲县,乙镇,村${village},${region},${no},监测户,边缘易致贫户,${p.name},${p.id},${m === 0 ? '户主' : pick(['配偶', '之子', '之女', '之父', '之母'])},${size},${pick(['健康', '长期慢性病', '患有大病', '残疾'])},,普通劳动力,非在校生,县内务工,6,是,2023-05-01,因病,否,,2024,${wage},3000,1000,0,2400,0,0,2400,0,${wage + 4400},${Math.round((wage + 4400) / size)},是,是,是,是,产业帮扶、就业帮扶,13800000000\n`;
      } else {
        buf += `${region},乙镇,村${village},${no},${members[0].name},${members[0].id},${p.name},${p.id},${m === 0 ? '本人' : pick(['配偶', '子女', '父母'])},农业,低保对象,在保,2021-05-01,,600,${size},2023,${wage},${wage},0,0,0,${Math.round(wage / size / 12)},5000,0,1,1200,0,${pick(['健康', '慢性病', '重病', '残疾'])},,有劳动能力,就业,13800000000\n`;
      }
      n++;
    }
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}
