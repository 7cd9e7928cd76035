/** 户档案 list: search unified households by category, township and name / number. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Alert, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { useLoad } from '../../api/hooks.ts';
import { CategoryTag } from '../../components/fields.tsx';

type Row = Record<string, unknown>;

function list(d: unknown): { items: Row[]; total: number } {
  if (Array.isArray(d)) return { items: d as Row[], total: d.length };
  const o = (d ?? {}) as { items?: Row[]; households?: Row[]; total?: number };
  const items = o.items ?? o.households ?? [];
  return { items, total: o.total ?? items.length };
}
const hid = (r: Row) => String(r.householdId ?? r.household_id ?? r.id ?? '');
const str = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

export default function HouseholdListPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const category = params.get('category') ?? '';
  const township = params.get('township') ?? '';
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const pageSize = Number(params.get('pageSize') ?? '20') || 20;
  const [qInput, setQInput] = useState(q);
  const data = useLoad(() => api.get<unknown>('/api/households', { category, township, q, page, pageSize }), [category, township, q, page, pageSize]);
  const { items, total } = list(data.data);

  const set = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          户档案
        </Typography.Title>
        <Button
          icon={<DownloadOutlined />}
          data-testid="export-households"
          onClick={() => api.download('/api/export/households.csv', 'households.csv').then(() => message.success('已开始下载'), (e) => message.error(errorText(e)))}
        >
          导出并库结果（CSV）
        </Button>
      </Space>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            style={{ width: 200 }}
            value={category}
            onChange={(v) => set({ category: v, page: undefined })}
            options={[
              { value: '', label: '全部类别' },
              { value: 'II', label: 'II类 仅防返贫监测' },
              { value: 'III', label: 'III类 仅低收入人口' },
              { value: 'IV', label: 'IV类 两系统均有' },
            ]}
            data-testid="filter-category"
          />
          <Input allowClear placeholder="乡镇" style={{ width: 160 }} defaultValue={township} onPressEnter={(e) => set({ township: (e.target as HTMLInputElement).value, page: undefined })} onClear={() => set({ township: undefined })} />
          <Input.Search
            allowClear
            placeholder="户编号 / 家庭编号 / 户主姓名"
            style={{ width: 280 }}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => set({ q: v, page: undefined })}
            data-testid="household-search"
          />
        </Space>
        {data.error && <Alert type="error" showIcon title={data.error} style={{ marginBottom: 16 }} />}
        <Table<Row>
          size="small"
          loading={data.loading}
          rowKey={hid}
          dataSource={items}
          scroll={{ x: true }}
          data-testid="household-table"
          pagination={{ current: page, pageSize, total, showSizeChanger: true, showTotal: (t) => `共 ${t} 户`, onChange: (p, s) => set({ page: p, pageSize: s }) }}
          columns={[
            { title: '统一家庭编号', render: (_, r) => <Link to={`/households/${encodeURIComponent(hid(r))}`}>{hid(r)}</Link> },
            { title: '类别', render: (_, r) => <CategoryTag category={String(r.category ?? '')} /> },
            { title: '户主', render: (_, r) => str(r.headName ?? r.head_name) },
            { title: '乡镇', render: (_, r) => str(r.township ?? r.township_name) },
            { title: '村', render: (_, r) => str(r.village ?? r.village_name) },
            { title: '防返贫户编号', render: (_, r) => str(Array.isArray(r.prmHouseholdNos) ? r.prmHouseholdNos.join('、') : (r.prmHouseholdNo ?? r.prm_household_no)) },
            { title: '低收入家庭编号', render: (_, r) => str(Array.isArray(r.lipFamilyNos) ? r.lipFamilyNos.join('、') : (r.lipFamilyNo ?? r.lip_family_no)) },
            { title: '人数', render: (_, r) => str(r.persons ?? r.members) },
          ]}
        />
      </Card>
    </Space>
  );
}
