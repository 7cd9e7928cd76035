/**
 * 测算 (what-if): apply a different standard set — raise the monitoring line,
 * unify on 低保 ×1.5, … — and see how many households/persons change
 * category, by township, and the annual budget impact.
 */
import { useMemo, useState } from 'react';
import { App, Alert, Button, Card, Col, Descriptions, Empty, Form, InputNumber, Row, Space, Statistic, Table, Typography } from 'antd';
import { CalculatorOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { useLoad } from '../../api/hooks.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { fieldLabel } from '../../components/fields.tsx';
import { useSession } from '../../auth.tsx';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);

/** Standard keys of ../shared/RULES.md with their Chinese names and units. */
export const STANDARD_KEYS: { key: string; label: string; unit: string; step: number }[] = [
  { key: 'dibao_annual', label: '农村低保标准', unit: '元/人/年', step: 120 },
  { key: 'monitoring_line', label: '防返贫监测标准', unit: '元/人/年', step: 100 },
  { key: 'edge_multiple', label: '低保边缘倍数', unit: '× 低保标准', step: 0.1 },
  { key: 'tekun_multiple', label: '特困供养倍数', unit: '× 低保标准', step: 0.1 },
  { key: 'edge_payment_monthly', label: '低保边缘月补助', unit: '元/人/月', step: 10 },
  { key: 'rigid_income_ref', label: '刚性支出困难参考收入', unit: '元/人/年', step: 500 },
  { key: 'rigid_share', label: '刚性支出占收入比例', unit: '', step: 0.05 },
  { key: 'deposit_months', label: '人均存款上限', unit: '个月低保标准', step: 1 },
];

const KEY_LABELS: Record<string, string> = {
  dibao: '低保',
  dibao_single: '单人保',
  tekun: '特困',
  dibao_edge: '低保边缘',
  rigid: '刚性支出困难',
  prm_income: '防返贫监测（收入）',
  prm_risk: '防返贫监测（风险）',
  monitoring: '防返贫监测对象',
  II: 'II类',
  III: 'III类',
  IV: 'IV类',
  households: '户数',
  persons: '人数',
  total: '合计',
  township: '乡镇',
  changedHouseholds: '类别变化户数',
  changedPersons: '类别变化人数',
  budgetBefore: '现行资金（元）',
  budgetAfter: '测算资金（元）',
  model: '资金测算口径',
  currentPaymentsRecorded: '现有保障金额×12（元，参考）',
  none: '不属于',
  other: '其他',
  pending: '待核实',
};
const label = (k: string) => KEY_LABELS[k] ?? fieldLabel(k);

function standardsList(d: unknown): Obj[] {
  if (Array.isArray(d)) return d as Obj[];
  const o = d as { items?: Obj[]; standards?: Obj[] } | undefined;
  return o?.items ?? o?.standards ?? [];
}

/** Value of each standard in force for the user's region (server-resolved), else the last row per kind. */
function currentValues(d: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const inForce = (d as { inForce?: Record<string, { amount?: number }> } | undefined)?.inForce;
  if (inForce && isObj(inForce)) {
    for (const [k, v] of Object.entries(inForce)) if (isObj(v) && typeof v.amount === 'number') out[k] = v.amount;
    if (Object.keys(out).length) return out;
  }
  const list = standardsList(d);
  for (const s of list) {
    const k = String(s.kind ?? s.key ?? '');
    const v = num(s.amount ?? s.value);
    if (k && v !== undefined) out[k] = v;
  }
  return out;
}

/** [{name, before, after}] from a before/after shaped result part. */
function beforeAfter(part: unknown): { name: string; before: number; after: number }[] {
  if (!isObj(part)) return [];
  if (isObj(part.before) && isObj(part.after)) {
    const b = part.before;
    const a = part.after;
    return Array.from(new Set([...Object.keys(b), ...Object.keys(a)]))
      .filter((k) => num(b[k]) !== undefined || num(a[k]) !== undefined)
      .map((k) => ({ name: label(k), before: num(b[k]) ?? 0, after: num(a[k]) ?? 0 }));
  }
  return Object.entries(part)
    .filter(([, v]) => isObj(v) && (num(v.before) !== undefined || num(v.after) !== undefined))
    .map(([k, v]) => ({ name: label(k), before: num((v as Obj).before) ?? 0, after: num((v as Obj).after) ?? 0 }));
}

function beforeAfterOption(rows: { name: string; before: number; after: number }[], unit: string): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['现行标准', '测算标准'] },
    grid: { left: 70, right: 20, top: 40, bottom: rows.length > 4 ? 90 : 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 4 ? 35 : 0 } },
    yAxis: { type: 'value', name: unit },
    series: [
      { name: '现行标准', type: 'bar', data: rows.map((r) => r.before), itemStyle: { color: '#9aa5b1' } },
      { name: '测算标准', type: 'bar', data: rows.map((r) => r.after), itemStyle: { color: '#1d6fb8' } },
    ],
  };
}

export default function WhatIfPage() {
  const { message } = App.useApp();
  const { user } = useSession();
  const standards = useLoad(() => api.get<unknown>(`/api/standards?regionCode=${encodeURIComponent(user?.regionPrefix ?? '')}`), [user?.regionPrefix]);
  const current = useMemo(() => currentValues(standards.data), [standards.data]);
  const [form] = Form.useForm<Record<string, number | null>>();
  const [result, setResult] = useState<Obj>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const preset = (p: Record<string, number>) => form.setFieldsValue(p);

  const run = async () => {
    const v = form.getFieldsValue();
    const overrides: Record<string, number> = {};
    for (const { key } of STANDARD_KEYS) {
      const x = v[key];
      if (x !== null && x !== undefined && x !== current[key]) overrides[key] = x;
    }
    if (Object.keys(overrides).length === 0) {
      message.warning('请至少修改一项标准');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.post<Obj>('/api/whatif', { overrides }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const catCounts = Array.isArray(result?.categoryCounts) ? (result.categoryCounts as Obj[]) : undefined;
  const shifts = catCounts
    ? [
        ...catCounts.map((c) => ({ name: String(c.label ?? c.category), before: num(c.before) ?? 0, after: num(c.after) ?? 0 })),
        ...(isObj(result?.prmMonitoring) ? [{ name: '防返贫监测对象', before: num(result.prmMonitoring.before) ?? 0, after: num(result.prmMonitoring.after) ?? 0 }] : []),
      ]
    : result
      ? beforeAfter(result.categories ?? result.shifts ?? result.counts)
      : [];
  const matrix = (Array.isArray(result?.matrix) ? (result.matrix as Obj[]) : []).filter((c) => c.from !== c.to && (num(c.households) ?? 0) > 0);
  const catLabel = (k: unknown) => String(catCounts?.find((c) => c.category === k)?.label ?? label(String(k)));
  const coverage = isObj(result?.coverage) ? result.coverage : undefined;
  const covShare = (c: unknown) => (isObj(c) && typeof c.share === 'number' ? `${(c.share * 100).toFixed(1)}%` : '—');
  const changedStd = Array.isArray(result?.changedStandards) ? (result.changedStandards as Obj[]) : [];
  const budgetRows = result ? beforeAfter(result.budget).filter((r) => r.name !== '合计') : [];
  const budget = isObj(result?.budget) ? result.budget : undefined;
  const towns = result ? ((result.by_township ?? result.byTownship ?? []) as Obj[]) : [];
  const changed = num(result?.changed_households ?? result?.changedHouseholds ?? (isObj(result?.changed) ? result.changed.households : result?.changed));
  const changedPersons = num(result?.changed_persons ?? result?.changedPersons ?? (isObj(result?.changed) ? result.changed.persons : undefined));
  const delta = num(budget?.delta ?? budget?.change ?? result?.budget_delta);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        测算：调整标准的影响
      </Typography.Title>
      <Card title="测算标准" extra={<Typography.Text type="secondary">留空或不变的项目按现行标准</Typography.Text>}>
        {standards.error && <Alert type="warning" showIcon title={`无法读取现行标准：${standards.error}`} style={{ marginBottom: 12 }} />}
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text>常用方案：</Typography.Text>
          <Button size="small" onClick={() => preset({ monitoring_line: 8500 })}>
            监测线提高到 8500 元
          </Button>
          <Button size="small" onClick={() => current.dibao_annual && preset({ monitoring_line: Math.round(current.dibao_annual * 1.5) })}>
            监测线统一为 低保 × 1.5
          </Button>
          <Button size="small" onClick={() => current.dibao_annual && preset({ dibao_annual: Math.round(current.dibao_annual * 1.1) })}>
            低保标准提高 10%
          </Button>
          <Button size="small" onClick={() => form.resetFields()}>
            恢复现行标准
          </Button>
        </Space>
        <Form form={form} layout="vertical" key={JSON.stringify(current)} initialValues={current}>
          <Row gutter={16}>
            {STANDARD_KEYS.map((s) => (
              <Col xs={24} sm={12} lg={8} key={s.key}>
                <Form.Item name={s.key} label={`${s.label}${s.unit ? `（${s.unit}）` : ''}`} extra={current[s.key] !== undefined ? `现行：${current[s.key]}` : undefined}>
                  <InputNumber style={{ width: '100%' }} step={s.step} min={0} data-testid={`std-${s.key}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Button type="primary" icon={<CalculatorOutlined />} loading={busy} onClick={run} data-testid="whatif-run">
            开始测算
          </Button>
        </Form>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Card>
      {!result ? (
        <Card>
          <Empty description="修改标准后点击“开始测算”" />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8}>
              <Card>
                <Statistic title="类别变化的户数" value={changed ?? '—'} suffix={changed !== undefined ? '户' : undefined} />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card>
                <Statistic title="类别变化的人数" value={changedPersons ?? '—'} suffix={changedPersons !== undefined ? '人' : undefined} />
              </Card>
            </Col>
            <Col xs={24} md={8}>
              <Card>
                <Statistic title="年度资金变化" value={delta !== undefined ? (delta / 10000).toFixed(1) : '—'} suffix={delta !== undefined ? '万元' : undefined} styles={{ content: { color: delta && delta > 0 ? '#cf1322' : '#3f8600' } }} />
              </Card>
            </Col>
          </Row>
          {coverage && (
            <Card size="small" data-testid="whatif-coverage">
              <Space wrap size={32}>
                <Statistic title="监测对象被低收入平台覆盖（现状）" value={covShare(coverage.current)} />
                <Statistic title="按现行标准认定" value={covShare(coverage.before)} />
                <Statistic title="按测算标准认定" value={covShare(coverage.after)} styles={{ content: { color: '#1d6fb8' } }} />
              </Space>
            </Card>
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title="认定结果变化" size="small">
                {shifts.length ? <Chart option={beforeAfterOption(shifts, '户')} testId="chart-whatif-shifts" /> : <Empty />}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="年度资金（元）" size="small">
                {budgetRows.length ? <Chart option={beforeAfterOption(budgetRows, '元')} testId="chart-whatif-budget" /> : <Empty />}
              </Card>
            </Col>
          </Row>
          {matrix.length > 0 && (
            <Card title="类别变化明细（由 → 至）" size="small">
              <Table
                size="small"
                rowKey={(r) => `${String(r.from)}-${String(r.to)}`}
                dataSource={matrix}
                pagination={false}
                columns={[
                  { title: '现行标准下', render: (_, r) => catLabel(r.from) },
                  { title: '测算标准下', render: (_, r) => catLabel(r.to) },
                  { title: '户数', dataIndex: 'households' },
                  { title: '人数', dataIndex: 'persons' },
                ]}
              />
            </Card>
          )}
          {changedStd.length > 0 && (
            <Card title="调整的标准" size="small">
              <Table
                size="small"
                rowKey={(r) => String(r.kind)}
                dataSource={changedStd}
                pagination={false}
                columns={[
                  { title: '标准', render: (_, r) => STANDARD_KEYS.find((k) => k.key === r.kind)?.label ?? String(r.kind) },
                  { title: '现行', dataIndex: 'before' },
                  { title: '测算', dataIndex: 'after' },
                  { title: '依据', dataIndex: 'source' },
                ]}
              />
            </Card>
          )}
          {towns.length > 0 && (
            <Card title="分乡镇变化" size="small">
              <Table
                size="small"
                rowKey={(r, i) => String(r.township ?? r.code ?? i)}
                dataSource={towns}
                pagination={false}
                scroll={{ x: true }}
                columns={Object.keys(towns[0])
                  .filter((k) => !isObj(towns[0][k]))
                  .map((k) => ({ title: label(k), dataIndex: k }))}
              />
            </Card>
          )}
          <Card size="small" title="测算说明">
            <Descriptions size="small" column={1}>
              {Object.entries(result)
                .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
                .map(([k, v]) => (
                  <Descriptions.Item key={k} label={label(k)}>
                    {String(v)}
                  </Descriptions.Item>
                ))}
            </Descriptions>
          </Card>
        </>
      )}
    </Space>
  );
}
