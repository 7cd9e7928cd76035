/**
 * 评估: the seed paper's four-group analysis (VEP + multinomial-logit PSM).
 * Run on an uploaded survey CSV or on a simulated sample; shows the groups,
 * propensity overlap histograms, the balance plot and ATT with 95% CIs.
 */
import { useMemo, useState } from 'react';
import { App, Alert, Button, Card, Col, Descriptions, Empty, Form, InputNumber, Row, Space, Table, Tabs, Typography, Upload } from 'antd';
import { PlayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { Chart, CATEGORY_COLORS, type ChartOption } from '../../components/Chart.tsx';

type Obj = Record<string, unknown>;
const TREATED = ['II', 'III', 'IV'] as const;
type G = (typeof TREATED)[number];
const GROUP_NAMES: Record<string, string> = { I: 'I 两系统均无（对照组）', II: 'II 仅防返贫监测', III: 'III 仅低收入人口', IV: 'IV 两系统均有' };
const OUTCOME_NAMES: Record<string, string> = { vep: '脆弱性（VEP）', wage_business_share: '工资与经营收入占比', work_willing: '劳动意愿' };
const VAR_NAMES: Record<string, string> = {
  head_age: '户主年龄',
  head_edu_years: '户主受教育年限',
  head_healthy: '户主健康',
  head_party: '户主党员',
  hh_size: '家庭人口',
  working_age_share: '劳动年龄人口占比',
  ln_expense_pc: '人均支出（对数）',
  medical_share: '医疗支出占比',
  ln_fin_assets_pc: '人均金融资产（对数）',
  unsafe_water: '饮水不安全',
  central: '中部',
  west: '西部',
  ln_income_pc: '人均收入（对数）',
  income_pc: '人均收入（元）',
  expense_pc: '人均支出（元）',
  fin_assets_pc: '人均金融资产（元）',
};

interface Att {
  att: number;
  se: number;
  se_bootstrap?: number;
  ci?: [number, number];
  ci_low?: number;
  ci_high?: number;
  n_treated: number;
  n_matched_controls: number;
}
interface BalanceRow {
  variable: string;
  treated: number;
  control: number;
  std_bias: number;
  std_bias_matched?: number;
  /** Before matching (unmatched samples); then std_bias is after matching. */
  std_bias_before?: number;
  p: number;
}
interface EvalResult {
  n: number;
  poverty_line: number;
  caliper: number;
  excluded_rows?: { row: number; column: string; reason: string }[];
  groups: Record<string, { n: number; vep_mean?: number }>;
  off_support?: Record<string, number>;
  att: Record<string, Record<string, Att>>;
  balance?: Record<string, BalanceRow[]>;
  [k: string]: unknown;
}

function ciOf(a: Att): [number, number] {
  if (a.ci) return a.ci;
  if (a.ci_low !== undefined && a.ci_high !== undefined) return [a.ci_low, a.ci_high];
  return [a.att - 1.96 * a.se, a.att + 1.96 * a.se];
}

/** Histogram of propensity scores for treated and control of group g, whatever the field names. */
function histogramOf(r: EvalResult, g: G): { edges: number[]; treated: number[]; control: number[] } | undefined {
  const src = (r.histograms ?? r.histogram ?? r.overlap ?? r.propensity) as Obj | undefined;
  const h = src?.[g] as Obj | undefined;
  if (!h) return undefined;
  const treated = (h.treated ?? h.treated_counts) as number[] | undefined;
  const control = (h.control ?? h.control_counts) as number[] | undefined;
  let edges = (h.edges ?? h.bin_edges ?? h.bins) as number[] | Obj[] | undefined;
  if (Array.isArray(edges) && edges.length && typeof edges[0] === 'object') {
    // [{lo, hi, treated, control}] form
    const bins = edges as Obj[];
    return {
      edges: [...bins.map((b) => Number(b.lo ?? b.from ?? b.x0)), Number(bins[bins.length - 1].hi ?? bins[bins.length - 1].to ?? bins[bins.length - 1].x1)],
      treated: bins.map((b) => Number(b.treated ?? 0)),
      control: bins.map((b) => Number(b.control ?? 0)),
    };
  }
  if (!treated || !control) return undefined;
  if (!edges) edges = Array.from({ length: treated.length + 1 }, (_, i) => i / treated.length);
  return { edges: edges as number[], treated, control };
}

function overlapOption(r: EvalResult, g: G): ChartOption | undefined {
  const h = histogramOf(r, g);
  if (!h) return undefined;
  const labels = h.treated.map((_, i) => `${h.edges[i]?.toFixed(2)}–${h.edges[i + 1]?.toFixed(2)}`);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => String(Math.abs(v)) },
    legend: { top: 0, data: [GROUP_NAMES[g], '对照组 I'] },
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: labels, name: '倾向得分', axisLabel: { rotate: 45 } },
    yAxis: { type: 'value', name: '户数', axisLabel: { formatter: (v: number) => String(Math.abs(v)) } },
    series: [
      { name: GROUP_NAMES[g], type: 'bar', stack: 'h', data: h.treated, itemStyle: { color: CATEGORY_COLORS[g] } },
      { name: '对照组 I', type: 'bar', stack: 'h', data: h.control.map((c) => -c), itemStyle: { color: '#9aa5b1' } },
    ],
  };
}

function balanceOption(rows: BalanceRow[]): ChartOption {
  const vars = rows.map((r) => VAR_NAMES[r.variable] ?? r.variable);
  const hasBefore = rows.some((r) => typeof r.std_bias_before === 'number');
  const hasMatched = hasBefore || rows.some((r) => typeof r.std_bias_matched === 'number');
  const before = (r: BalanceRow) => (hasBefore ? (r.std_bias_before ?? null) : r.std_bias);
  const after = (r: BalanceRow) => (hasBefore ? r.std_bias : (r.std_bias_matched ?? null));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`) },
    legend: { top: 0, data: hasMatched ? ['匹配前', '匹配后'] : ['标准化偏差'] },
    grid: { left: 130, right: 30, top: 40, bottom: 30 },
    xAxis: { type: 'value', name: '%' },
    yAxis: { type: 'category', data: vars, inverse: true },
    series: [
      {
        name: hasMatched ? '匹配前' : '标准化偏差',
        type: 'scatter',
        symbolSize: 10,
        data: rows.map(before),
        itemStyle: { color: '#ee6666' },
        markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { type: 'dashed', color: '#999' }, data: [{ xAxis: -10 }, { xAxis: 0 }, { xAxis: 10 }] },
      },
      ...(hasMatched ? [{ name: '匹配后', type: 'scatter', symbolSize: 10, data: rows.map(after), itemStyle: { color: '#5470c6' } }] : []),
    ],
  };
}

function attOption(r: EvalResult, outcome: string): ChartOption {
  const groups = TREATED.filter((g) => r.att[g]?.[outcome]);
  const names = groups.map((g) => GROUP_NAMES[g]);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; name: string; value: [number, string] }) => `${p.value[1]}<br/>${p.seriesName}：${p.value[0].toFixed(4)}`,
    },
    grid: { left: 140, right: 30, top: 20, bottom: 40 },
    xAxis: { type: 'value', name: 'ATT', scale: true },
    yAxis: { type: 'category', data: names },
    series: [
      ...groups.map((g, i) => {
        const [lo, hi] = ciOf(r.att[g][outcome]);
        return { name: '95% 置信区间', type: 'line', data: [[lo, names[i]], [hi, names[i]]], symbol: 'line', symbolSize: 12, lineStyle: { width: 3, color: CATEGORY_COLORS[g] }, itemStyle: { color: CATEGORY_COLORS[g] } };
      }),
      {
        name: 'ATT',
        type: 'scatter',
        symbolSize: 14,
        data: groups.map((g, i) => [r.att[g][outcome].att, names[i]]),
        itemStyle: { color: '#333' },
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#999' }, data: [{ xAxis: 0 }] },
      },
    ],
  };
}

export default function EvaluatePage() {
  const { message } = App.useApp();
  const [result, setResult] = useState<EvalResult>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ n: number; seed: number; poverty_line: number; caliper: number }>();

  const run = async (file?: File) => {
    const v = form.getFieldsValue();
    setBusy(true);
    setError(undefined);
    try {
      let r: EvalResult;
      if (file) {
        const fd = new FormData();
        fd.append('povertyLine', String(v.poverty_line));
        fd.append('caliper', String(v.caliper));
        fd.append('file', file, file.name);
        r = await api.upload<EvalResult>(`/api/evaluate?povertyLine=${v.poverty_line}&caliper=${v.caliper}`, fd);
      } else {
        r = await api.post<EvalResult>('/api/evaluate', { sample: { n: v.n, seed: v.seed }, povertyLine: v.poverty_line, caliper: v.caliper });
      }
      setResult(r);
      message.success('评估完成');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const groupRows = useMemo(
    () => (result ? ['I', ...TREATED].map((g) => ({ g, n: result.groups[g]?.n, vep: result.groups[g]?.vep_mean, off: g === 'I' ? undefined : result.off_support?.[g] })) : []),
    [result],
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        评估（四组比较：脆弱性 + 倾向得分匹配）
      </Typography.Title>
      <Card>
        <Form form={form} layout="inline" initialValues={{ n: 5891, seed: 1, poverty_line: 4000, caliper: 0.05 }}>
          <Form.Item name="poverty_line" label="贫困线（元/人/年）">
            <InputNumber min={1} step={100} />
          </Form.Item>
          <Form.Item name="caliper" label="卡尺">
            <InputNumber min={0.001} max={1} step={0.01} />
          </Form.Item>
          <Form.Item name="n" label="模拟样本量">
            <InputNumber min={200} max={100000} step={100} />
          </Form.Item>
          <Form.Item name="seed" label="随机种子">
            <InputNumber min={0} />
          </Form.Item>
          <Space wrap>
            <Button type="primary" icon={<PlayCircleOutlined />} loading={busy} onClick={() => run()} data-testid="evaluate-sample">
              用模拟样本评估
            </Button>
            <Upload
              accept=".csv"
              showUploadList={false}
              beforeUpload={(f) => {
                void run(f as unknown as File);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={busy}>
                上传调查数据（CSV）评估
              </Button>
            </Upload>
          </Space>
        </Form>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Card>
      {!result ? (
        <Card>
          <Empty description="上传 CFPS 格式的调查数据，或用模拟样本运行评估" />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={10}>
              <Card title="样本与分组" size="small">
                <Descriptions size="small" column={3}>
                  <Descriptions.Item label="样本量">{result.n}</Descriptions.Item>
                  <Descriptions.Item label="贫困线">{result.poverty_line}</Descriptions.Item>
                  <Descriptions.Item label="卡尺">{result.caliper}</Descriptions.Item>
                </Descriptions>
                <Table
                  size="small"
                  rowKey="g"
                  pagination={false}
                  dataSource={groupRows}
                  data-testid="evaluate-groups"
                  columns={[
                    { title: '组', render: (_, r) => GROUP_NAMES[r.g] },
                    { title: '户数', dataIndex: 'n' },
                    { title: '平均脆弱性', render: (_, r) => (typeof r.vep === 'number' ? r.vep.toFixed(3) : '—') },
                    { title: '共同支撑外', render: (_, r) => r.off ?? '—' },
                  ]}
                />
                {Array.isArray(result.warnings) &&
                  (result.warnings as string[]).map((w, i) => <Alert key={i} type="warning" style={{ marginTop: 8 }} title={w} />)}
                {result.excluded_rows && result.excluded_rows.length > 0 && <Alert type="warning" style={{ marginTop: 8 }} title={`剔除 ${result.excluded_rows.length} 行不完整数据`} />}
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title="处理效应 ATT 与 95% 置信区间" size="small">
                <Tabs
                  items={Object.keys(OUTCOME_NAMES).map((o) => ({
                    key: o,
                    label: OUTCOME_NAMES[o],
                    children: (
                      <>
                        <Chart option={attOption(result, o)} height={220} testId={`chart-att-${o}`} />
                        <Table
                          size="small"
                          pagination={false}
                          data-testid={`att-table-${o}`}
                          rowKey="g"
                          dataSource={TREATED.filter((g) => result.att[g]?.[o]).map((g) => ({ g, ...result.att[g][o] }))}
                          columns={[
                            { title: '组', render: (_, r) => GROUP_NAMES[r.g] },
                            { title: 'ATT', render: (_, r) => r.att.toFixed(4) },
                            { title: '标准误', render: (_, r) => r.se.toFixed(4) },
                            { title: '95% 置信区间', render: (_, r) => ciOf(r).map((x) => x.toFixed(4)).join(' ~ ') },
                            { title: '处理组', dataIndex: 'n_treated' },
                            { title: '匹配对照', dataIndex: 'n_matched_controls' },
                          ]}
                        />
                      </>
                    ),
                  }))}
                />
              </Card>
            </Col>
          </Row>
          <Card title="倾向得分重叠（各处理组 vs 对照组 I）" size="small">
            <Row gutter={[16, 16]}>
              {TREATED.map((g) => {
                const opt = overlapOption(result, g);
                return (
                  <Col xs={24} lg={8} key={g}>
                    <Typography.Text strong>{GROUP_NAMES[g]}</Typography.Text>
                    {opt ? <Chart option={opt} height={260} testId={`chart-overlap-${g}`} /> : <Empty description="无直方图数据" />}
                  </Col>
                );
              })}
            </Row>
          </Card>
          <Card title="匹配后平衡性（标准化偏差）" size="small">
            <Row gutter={[16, 16]}>
              {TREATED.map((g) => (
                <Col xs={24} lg={8} key={g}>
                  <Typography.Text strong>{GROUP_NAMES[g]}</Typography.Text>
                  {result.balance?.[g]?.length ? <Chart option={balanceOption(result.balance[g])} height={380} testId={`chart-balance-${g}`} /> : <Empty />}
                </Col>
              ))}
            </Row>
          </Card>
        </>
      )}
    </Space>
  );
}
