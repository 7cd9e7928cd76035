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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);

/** Standard keys of ../shared/RULES.md with their Chinese names and units. */
export const STANDARD_KEYS: { key: string; label: string; unit: string; step: number }[] = [
  { key: 'dibao_annual', label: '农村低保标准', unit: '元/人/年', step: 120 },
  { key: 'monitoring_line', label: '防返贫监测标准', unit: '元/人/年', step: 100 },
  { key: 'edge_multiple', label: '低保边缘倍数', unit: '× 低保标准', step: 0.1 },
  { key: 'tekun_multiple', label: '特困供养倍数', unit: '× 低保标准', step: 0.1 },
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
};
const label = (k: string) => KEY_LABELS[k] ?? fieldLabel(k);

function standardsList(d: unknown): Obj[] {
  if (Array.isArray(d)) return d as Obj[];
  const o = d as { items?: Obj[]; standards?: Obj[] } | undefined;
  return o?.items ?? o?.standards ?? [];
}

/** Current value of each standard key (the broadest region prefix's latest). */
function currentValues(list: Obj[]): Record<string, number> {
  const out: Record<string, number> = {};
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
    legend: { data: ['现行标准', '测算标准'] },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 5 ? 20 : 0 } },
    yAxis: { type: 'value', name: unit },
    series: [
      { name: '现行标准', type: 'bar', data: rows.map((r) => r.before), itemStyle: { color: '#9aa5b1' } },
      { name: '测算标准', type: 'bar', data: rows.map((r) => r.after), itemStyle: { color: '#1d6fb8' } },
    ],
  };
}

export default function WhatIfPage() {
  const { message } = App.useApp();
  const standards = useLoad(() => api.get<unknown>('/api/standards'), []);
  const current = useMemo(() => currentValues(standardsList(standards.data)), [standards.data]);
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

  const shifts = result ? beforeAfter(result.categories ?? result.shifts ?? result.counts ?? result.households) : [];
  const budgetRows = result ? beforeAfter(result.budget) : [];
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
