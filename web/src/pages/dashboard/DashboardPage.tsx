/** 总览: categories II/III/IV, mutual coverage, by township, trend between imports. */
import { useMemo, useState } from 'react';
import { App, Alert, Button, Card, Col, Empty, Row, Space, Statistic, Typography } from 'antd';
import { ReloadOutlined, MergeOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { runMerge as postMerge } from '../../api/merge.ts';
import { useLoad } from '../../api/hooks.ts';
import type { CoverageReport, ImportSummary, TownshipCoverage } from '../../api/types.ts';
import { useSession } from '../../auth.tsx';
import { Chart, CATEGORY_COLORS, CATEGORY_NAMES, type ChartOption } from '../../components/Chart.tsx';
import { importTime, importRows, importSystem } from '../imports/importFields.ts';

const CATS = ['II', 'III', 'IV'] as const;

function pct(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`;
}

function townshipName(t: TownshipCoverage): string {
  return t.township_name ?? t.township ?? t.name ?? t.township_code ?? t.code ?? '未知乡镇';
}
function townshipCount(t: TownshipCoverage, c: (typeof CATS)[number]): number {
  return Number(t[c] ?? t.households?.[c] ?? 0);
}

export default function DashboardPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const coverage = useLoad(() => api.get<CoverageReport>('/api/reports/coverage'), []);
  const history = useLoad(() => (can('import') ? api.get<unknown>('/api/imports', { pageSize: 200 }) : Promise.resolve([])), []);
  const [merging, setMerging] = useState(false);
  const r = coverage.data;

  const categoryOption = useMemo<ChartOption | undefined>(() => {
    if (!r) return undefined;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['户数', '人数'] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: CATS.map((c) => CATEGORY_NAMES[c]) },
      yAxis: { type: 'value' },
      series: [
        { name: '户数', type: 'bar', data: CATS.map((c) => ({ value: r.households[c], itemStyle: { color: CATEGORY_COLORS[c] } })), label: { show: true, position: 'top' } },
        { name: '人数', type: 'bar', data: CATS.map((c) => r.persons[c]), itemStyle: { color: '#9aa5b1' }, label: { show: true, position: 'top' } },
      ],
    };
  }, [r]);

  const coverageOption = useMemo<ChartOption | undefined>(() => {
    if (!r) return undefined;
    const prm = r.prm_in_lip_share * 100;
    const lip = r.lip_in_prm_share * 100;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)}%` },
      legend: { top: 0, data: ['被另一系统覆盖', '未覆盖'] },
      grid: { left: 150, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: ['防返贫监测户中\n低保/特困等覆盖', '低收入人口家庭中\n防返贫监测覆盖'] },
      series: [
        { name: '被另一系统覆盖', type: 'bar', stack: 's', data: [prm, lip], itemStyle: { color: CATEGORY_COLORS.IV }, label: { show: true, formatter: (p: { value: number }) => `${p.value.toFixed(1)}%` } },
        { name: '未覆盖', type: 'bar', stack: 's', data: [100 - prm, 100 - lip], itemStyle: { color: '#e0e6ed' } },
      ],
    };
  }, [r]);

  const townshipOption = useMemo<ChartOption | undefined>(() => {
    const towns = r?.by_township;
    if (!towns || towns.length === 0) return undefined;
    const names = towns.map(townshipName);
    const hasCategories = towns.some((t) => t.II !== undefined || t.households !== undefined);
    if (hasCategories) {
      return {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: CATS.map((c) => CATEGORY_NAMES[c]) },
        grid: { left: 50, right: 20, top: 40, bottom: 60 },
        xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 8 ? 30 : 0 } },
        yAxis: { type: 'value', name: '户数' },
        series: CATS.map((c) => ({ name: CATEGORY_NAMES[c], type: 'bar', stack: 'hh', data: towns.map((t) => townshipCount(t, c)), itemStyle: { color: CATEGORY_COLORS[c] } })),
      };
    }
    // Coverage per township: PRM households covered by LIP and vice versa.
    const n = (v: number | undefined) => Number(v ?? 0);
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: ['监测户·低收入平台也有', '监测户·仅监测系统', '低收入家庭·监测系统也有', '低收入家庭·仅低收入平台'] },
      grid: { left: 50, right: 20, top: 60, bottom: 60 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', name: '户数' },
      series: [
        { name: '监测户·低收入平台也有', type: 'bar', stack: 'prm', data: towns.map((t) => n(t.prm_in_lip)), itemStyle: { color: CATEGORY_COLORS.IV } },
        { name: '监测户·仅监测系统', type: 'bar', stack: 'prm', data: towns.map((t) => n(t.prm_households) - n(t.prm_in_lip)), itemStyle: { color: CATEGORY_COLORS.II } },
        { name: '低收入家庭·监测系统也有', type: 'bar', stack: 'lip', data: towns.map((t) => n(t.lip_in_prm)), itemStyle: { color: '#73c0de' } },
        { name: '低收入家庭·仅低收入平台', type: 'bar', stack: 'lip', data: towns.map((t) => n(t.lip_households) - n(t.lip_in_prm)), itemStyle: { color: CATEGORY_COLORS.III } },
      ],
    };
  }, [r]);

  const reasonsOption = useMemo<ChartOption | undefined>(() => {
    const rs = r?.reasons;
    if (!rs) return undefined;
    const pie = (c: 'II' | 'III', center: string) => ({
      name: CATEGORY_NAMES[c],
      type: 'pie',
      radius: ['30%', '55%'],
      center: [center, '55%'],
      label: { formatter: '{b}\n{c} 户' },
      data: Object.entries(rs[c] ?? {}).map(([k, v]) => ({ name: r?.reason_labels?.[k] ?? k, value: v })),
    });
    if (!Object.keys(rs.II ?? {}).length && !Object.keys(rs.III ?? {}).length) return undefined;
    return {
      tooltip: { trigger: 'item' },
      title: [
        { text: '仅在防返贫监测系统（II类）', left: '25%', top: 0, textAlign: 'center', textStyle: { fontSize: 13 } },
        { text: '仅在低收入人口平台（III类）', left: '75%', top: 0, textAlign: 'center', textStyle: { fontSize: 13 } },
      ],
      series: [pie('II', '25%'), pie('III', '75%')],
    };
  }, [r]);

  const trendOption = useMemo<ChartOption | undefined>(() => {
    const list = normalizeHistory(history.data);
    if (list.length === 0) return undefined;
    const sorted = [...list].sort((a, b) => importTime(a).localeCompare(importTime(b)));
    const systems = ['prm', 'lip'] as const;
    const names = { prm: '防返贫监测 导入人数', lip: '低收入人口 导入人数' };
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: systems.map((s) => names[s]) },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: '行数' },
      series: systems.map((s) => ({
        name: names[s],
        type: 'line',
        symbolSize: 8,
        data: sorted.filter((i) => importSystem(i) === s).map((i) => [importTime(i), importRows(i)]),
      })),
    };
  }, [history.data]);

  const runMerge = async () => {
    setMerging(true);
    try {
      message.success(await postMerge(), 6);
      coverage.reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setMerging(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          总览
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={coverage.reload}>
            刷新
          </Button>
          {can('merge') && (
            <Button type="primary" icon={<MergeOutlined />} loading={merging} onClick={runMerge} data-testid="run-merge">
              运行并库比对
            </Button>
          )}
        </Space>
      </Space>
      {coverage.error && <Alert type="error" showIcon title={`无法读取覆盖情况：${coverage.error}`} />}
      {r && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="统一家庭总数" value={r.households.total} suffix="户" data-testid="kpi-households-total" />
              </Card>
            </Col>
            {CATS.map((c) => (
              <Col xs={12} md={6} key={c}>
                <Card>
                  <Statistic title={CATEGORY_NAMES[c]} value={r.households[c]} suffix="户" styles={{ content: { color: CATEGORY_COLORS[c] } }} data-testid={`kpi-households-${c}`} />
                  <Typography.Text type="secondary" data-testid={`kpi-persons-${c}`}>
                    {r.persons[c]} 人
                  </Typography.Text>
                </Card>
              </Col>
            ))}
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="防返贫监测户（导入）" value={r.prm_households} suffix="户" data-testid="kpi-prm-households" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="低收入人口家庭（导入）" value={r.lip_households} suffix="户" data-testid="kpi-lip-households" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="监测户被低收入平台覆盖" value={pct(r.prm_in_lip_share)} data-testid="kpi-prm-in-lip" />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title="低收入家庭被监测系统覆盖" value={pct(r.lip_in_prm_share)} data-testid="kpi-lip-in-prm" />
              </Card>
            </Col>
            {typeof r.monitored_prm_households === 'number' && (
              <Col xs={12} md={6}>
                <Card>
                  <Statistic title={`监测对象（${r.monitored_prm_households} 户）被低收入平台覆盖`} value={pct(r.monitored_prm_in_lip_share)} data-testid="kpi-monitored-in-lip" />
                </Card>
              </Col>
            )}
          </Row>
          {r.households.total === 0 && <Alert type="info" showIcon title="尚未运行并库比对：请先在“数据导入”页导入两个系统的数据，再运行并库比对。" />}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title="按类别的户数与人数">{categoryOption && <Chart option={categoryOption} testId="chart-categories" />}</Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="两系统相互覆盖">{coverageOption && <Chart option={coverageOption} testId="chart-coverage" />}</Card>
            </Col>
            {reasonsOption && (
              <Col xs={24}>
                <Card title="只在一个系统的原因">
                  <Chart option={reasonsOption} height={320} testId="chart-reasons" />
                </Card>
              </Col>
            )}
            <Col xs={24}>
              <Card title="各乡镇两系统覆盖情况（户）">{townshipOption ? <Chart option={townshipOption} height={340} testId="chart-township" /> : <Empty description="暂无分乡镇数据" />}</Card>
            </Col>
            <Col xs={24}>
              <Card title="历次导入趋势">{trendOption ? <Chart option={trendOption} testId="chart-trend" /> : <Empty description="暂无导入记录" />}</Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}

function normalizeHistory(d: unknown): ImportSummary[] {
  if (Array.isArray(d)) return d as ImportSummary[];
  const o = d as { items?: ImportSummary[]; imports?: ImportSummary[] } | undefined;
  return o?.items ?? o?.imports ?? [];
}
