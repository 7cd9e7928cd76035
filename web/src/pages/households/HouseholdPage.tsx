/**
 * 户档案详情: one unified household — both systems' records side by side
 * (masked), converted incomes, identification rule results with reasons, and
 * the audit trail. 查看完整信息 asks for a reason and is audited by the server.
 * Laid out to work on a phone-sized screen.
 */
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Alert, Button, Card, Col, Descriptions, Empty, Form, Input, List, Modal, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, EyeOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { useLoad } from '../../api/hooks.ts';
import { useSession } from '../../auth.tsx';
import { CategoryTag, HIDDEN_FIELDS, fieldLabel, formatTime, formatValue } from '../../components/fields.tsx';
import { arr, incomesFromIdentification, isObj, membersOf, pick, reasonText, ruleResults, type MemberRow, type Obj } from './householdFields.ts';

const MEMBER_KEYS_FIRST = ['name', 'name_masked', 'idNumber', 'id_number', 'id_number_masked', 'relation', 'relation_to_head', 'sex', 'birthDate', 'birth_date', 'age', 'idStatus', 'personCategory', 'method', 'score'];
const GROUP_KEYS_HIDDEN = new Set(['members', 'attrs', 'persons']);

interface Unmasked {
  name?: string;
  id_number?: string;
}

function DecisionTag({ d }: { d: unknown }) {
  const s = String(d ?? '');
  const yes = ['eligible', 'yes', 'true', 'qualified', 'include', 'included', 'meets'].includes(s.toLowerCase()) || d === true;
  const no = ['ineligible', 'no', 'false', 'not_eligible', 'exclude', 'excluded'].includes(s.toLowerCase()) || d === false;
  const text = yes ? '符合' : no ? '不符合' : s === 'unknown' || s === 'insufficient_data' ? '资料不足' : s || '—';
  return <Tag color={yes ? 'green' : no ? 'default' : 'orange'}>{text}</Tag>;
}

const ACTION_NAMES: Record<string, string> = { unmask: '查看完整信息', decision: '复核决定', merge: '并库比对', import: '导入', export: '导出' };

export default function HouseholdPage() {
  const { householdId = '' } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const id = encodeURIComponent(householdId);
  const detail = useLoad(() => api.get<Obj>(`/api/households/${id}`), [id]);
  const ident = useLoad(() => api.get<Obj>(`/api/households/${id}/identification`).catch(() => undefined), [id]);
  // 审计 entries touching this household (only for users who may read the audit log).
  const auditLog = useLoad(() => (can('read_audit') ? api.get<{ items: Obj[] }>('/api/audit', { pageSize: 500 }) : Promise.resolve({ items: [] as Obj[] })), [id]);
  const [unmasked, setUnmasked] = useState<Record<string, Unmasked>>({});
  const [asking, setAsking] = useState<MemberRow>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const d = detail.data;
  const hh: Obj = (isObj(d?.household) ? d?.household : d) ?? {};
  const prm = useMemo(() => (d ? membersOf(d, 'prm') : { groups: [], members: [] }), [d]);
  const lip = useMemo(() => (d ? membersOf(d, 'lip') : { groups: [], members: [] }), [d]);
  const countyCode = String(pick(hh, 'countyCode', 'county_code') ?? '');

  const doUnmask = async () => {
    if (!asking) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<Unmasked>('/api/unmask', {
        system: asking._system,
        countyCode: String(pick(asking, 'countyCode', 'county_code') ?? countyCode),
        fileId: pick(asking, 'fileId', 'file_id'),
        rowNo: pick(asking, 'rowNo', 'row_no'),
        reason,
      });
      setUnmasked((u) => ({ ...u, [asking._key]: r }));
      setAsking(undefined);
      form.resetFields();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const memberTable = (rows: MemberRow[], testId: string) => {
    const keys = Array.from(new Set(rows.flatMap((r) => Object.keys(r)))).filter((k) => !k.startsWith('_') && !HIDDEN_FIELDS.has(k) && rows.some((r) => !isObj(r[k]) && !Array.isArray(r[k])));
    keys.sort((a, b) => {
      const ia = MEMBER_KEYS_FIRST.indexOf(a);
      const ib = MEMBER_KEYS_FIRST.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    const canUnmask = can('unmask') && rows.some((r) => pick(r, 'fileId', 'file_id') !== undefined);
    return (
      <Table<MemberRow>
        size="small"
        rowKey="_key"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        className="binku-records"
        data-testid={testId}
        locale={{ emptyText: '该系统无此户记录' }}
        columns={[
          ...keys.map((k) => ({
            title: fieldLabel(k),
            key: k,
            render: (_: unknown, r: MemberRow) => {
              const u = unmasked[r._key];
              if (u && (k === 'idNumber' || k === 'id_number' || k === 'id_number_masked') && u.id_number) return <Typography.Text strong data-testid="unmasked-id">{u.id_number}</Typography.Text>;
              if (u && (k === 'name' || k === 'name_masked') && u.name) return <Typography.Text strong>{u.name}</Typography.Text>;
              return <span data-testid={k === 'idNumber' || k.startsWith('id_number') ? 'masked-id' : undefined}>{formatValue(k, r[k])}</span>;
            },
          })),
          ...(canUnmask
            ? [
                {
                  title: '操作',
                  key: '_op',
                  render: (_: unknown, r: MemberRow) =>
                    unmasked[r._key] ? (
                      <Tag color="orange">已查看（已记录审计）</Tag>
                    ) : (
                      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setAsking(r)} data-testid="unmask-button">
                        查看完整信息
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    );
  };

  const groupInfo = (g: Obj) => {
    const attrs = isObj(g.attrs) ? g.attrs : {};
    const entries = [...Object.entries(g).filter(([k, v]) => !GROUP_KEYS_HIDDEN.has(k) && !isObj(v) && !Array.isArray(v)), ...Object.entries(attrs).filter(([, v]) => v !== undefined && !isObj(v))];
    return (
      <Descriptions size="small" className="binku-records" column={{ xs: 1, sm: 2, xxl: 3 }} style={{ marginBottom: 8 }}>
        {entries.map(([k, v]) => (
          <Descriptions.Item key={k} label={fieldLabel(k)}>
            {formatValue(k, v)}
          </Descriptions.Item>
        ))}
      </Descriptions>
    );
  };

  const systemSide = (side: { groups: Obj[]; members: MemberRow[] }, testId: string) =>
    side.groups.length === 0 ? (
      memberTable(side.members, testId)
    ) : (
      <div data-testid={testId}>
        {side.groups.map((g, i) => {
          const no = String(pick(g, 'household_no', 'family_no') ?? '');
          return (
            <div key={no || i}>
              {groupInfo(g)}
              {memberTable(
                side.members.filter((m) => m._group === no),
                `${testId}-${i}`,
              )}
            </div>
          );
        })}
      </div>
    );

  const results = ruleResults(ident.data);
  const incomeRows = incomesFromIdentification(ident.data);
  const incomeFlags = arr(pick(ident.data, 'incomeFlags'));
  const current = isObj(ident.data?.current) ? ident.data.current : undefined;
  const unified = isObj(ident.data?.unified) ? ident.data.unified : undefined;
  const differences = arr(pick(ident.data, 'differences', 'diffs')).length ? arr(pick(ident.data, 'differences', 'diffs')) : ((pick(ident.data, 'differences') as unknown[] | undefined) ?? []);
  const groupNos = [...prm.groups, ...lip.groups].map((g) => String(pick(g, 'household_no', 'family_no') ?? '')).filter(Boolean);
  const audit = [
    ...arr(pick(d ?? {}, 'audit', 'auditTrail', 'audit_trail', 'history', 'events')),
    ...arr(auditLog.data?.items).filter((e) => {
      const t = `${String(e.target_id ?? '')} ${JSON.stringify(e.details ?? {})}`;
      return t.includes(householdId) || groupNos.some((n) => t.includes(n));
    }),
  ];
  const linkTrail = [...prm.members, ...lip.members].filter((m) => m.method && m.method !== 'singleton');
  const reasons = (pick(hh, 'reasons') as unknown[] | undefined) ?? [];

  if (detail.loading && !d) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (detail.error) return <Alert type="error" showIcon title={detail.error} action={<Link to="/households">返回列表</Link>} />;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        <Link to="/households">
          <ArrowLeftOutlined /> 返回
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          户档案 {householdId}
        </Typography.Title>
        {hh.category ? <CategoryTag category={String(hh.category)} /> : null}
      </Space>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          {Object.entries(hh)
            .filter(([k, v]) => !HIDDEN_FIELDS.has(k) && !isObj(v) && !Array.isArray(v) && k !== 'category' && k !== 'reasons')
            .map(([k, v]) => (
              <Descriptions.Item key={k} label={fieldLabel(k)}>
                {formatValue(k, v)}
              </Descriptions.Item>
            ))}
        </Descriptions>
        {reasons.length > 0 && (
          <Alert type="info" showIcon style={{ marginTop: 8 }} title={`未同时在两系统的原因：${reasons.map(reasonText).join('；')}`} />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title="防止返贫监测系统记录" size="small">
            {systemSide(prm, 'prm-members')}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="低收入人口动态监测平台记录" size="small">
            {systemSide(lip, 'lip-members')}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="收入口径换算" size="small">
            {incomeRows.length === 0 ? (
              <Empty description="暂无收入换算结果" />
            ) : (
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={incomeRows}
                data-testid="income-table"
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: '口径', dataIndex: 'basis' },
                  { title: '来源', dataIndex: 'source' },
                  { title: '人均（元/年）', render: (_, r) => r.perCapita.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) },
                  { title: '年度', render: (_, r) => (r.year === null || r.year === undefined ? '—' : String(r.year)) },
                ]}
              />
            )}
            {incomeFlags.length > 0 && (
              <ul style={{ paddingLeft: 18, marginTop: 8, marginBottom: 0, color: '#ad6800' }}>
                {incomeFlags.map((f, i) => (
                  <li key={i}>{reasonText(f)}</li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="认定规则结果" size="small" loading={ident.loading}>
            {(current || unified) && (
              <Descriptions size="small" column={1} bordered style={{ marginBottom: 8 }} data-testid="joint-status">
                <Descriptions.Item label="防返贫监测系统现状">
                  {isObj(current?.prm) ? [current.prm.householdType, current.prm.monitoringCategory].filter(Boolean).join(' · ') || '在系统中' : '不在系统中'}
                </Descriptions.Item>
                <Descriptions.Item label="低收入人口平台现状">
                  {isObj(current?.lip) ? [current.lip.personCategory, current.lip.assistanceStatus].filter(Boolean).join(' · ') || '在平台中' : '不在平台中'}
                </Descriptions.Item>
                {unified && (
                  <Descriptions.Item label="统一规则认定">
                    <Space wrap>
                      <span>民政类别：{String(unified.lipCategoryLabel ?? unified.lipCategory ?? '—')}</span>
                      <span>
                        防返贫监测对象：<DecisionTag d={unified.prmMonitoring} />
                      </span>
                      {unified.prmType ? <span>类型：{String(unified.prmType)}</span> : null}
                    </Space>
                  </Descriptions.Item>
                )}
              </Descriptions>
            )}
            {results.length === 0 ? (
              <Empty description="暂无规则结果" />
            ) : (
              <List
                size="small"
                dataSource={results}
                data-testid="rule-results"
                renderItem={(r) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Space>
                          <span>{String(pick(r, 'label', 'title', 'name', 'ruleName', 'ruleId', 'rule') ?? '')}</span>{r.type ? <Tag>{String(r.type)}</Tag> : null}
                          <DecisionTag d={pick(r, 'decision', 'eligible', 'result', 'outcome')} />
                        </Space>
                      }
                      description={
                        <ul style={{ paddingLeft: 18, margin: 0 }}>
                          {((pick(r, 'reasons') as unknown[] | undefined) ?? []).map((x, i) => (
                            <li key={i}>{reasonText(x)}</li>
                          ))}
                        </ul>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
            {differences.length > 0 && (
              <Alert
                type="warning"
                style={{ marginTop: 8 }}
                title="两系统差异"
                description={
                  <ul style={{ paddingLeft: 18, margin: 0 }}>
                    {differences.map((x, i) => (
                      <li key={i}>{reasonText(x)}</li>
                    ))}
                  </ul>
                }
              />
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="比对依据" size="small">
            {linkTrail.length === 0 ? (
              <Empty description="两系统记录未配对" />
            ) : (
              <Timeline
                items={linkTrail.map((m) => ({
                  color: m.method === 'id_exact' ? 'green' : m.method === 'review' ? 'blue' : 'orange',
                  content: `${m._system === 'prm' ? '防返贫' : '低收入'} ${String(m.name ?? '')}（${String(m.relation ?? '—')}）：${String(formatValue('method', m.method))}${typeof m.score === 'number' ? `，匹配概率 ${(m.score * 100).toFixed(1)}%` : ''}`,
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="操作记录（审计）" size="small">
            {audit.length === 0 ? (
              <Empty description={can('read_audit') ? '暂无操作记录' : '查看审计记录需要审计权限'} />
            ) : (
              <Timeline
                items={audit.map((a) => ({
                  content: `${formatTime(String(pick(a, 'at', 'created_at', 'time') ?? ''))} ${String(pick(a, 'username', 'user', 'actor') ?? '')} ${ACTION_NAMES[String(a.action)] ?? String(a.action ?? '')}${a.reason ? `：${String(a.reason)}` : ''}`,
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Modal
        open={!!asking}
        title="查看完整信息"
        okText="查看"
        cancelText="取消"
        confirmLoading={busy}
        onOk={doUnmask}
        onCancel={() => setAsking(undefined)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">查看完整身份证号和姓名会记录在审计日志中，请填写查看理由。</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label="查看理由" rules={[{ required: true, message: '请填写查看理由' }, { min: 4, message: '理由至少 4 个字' }]}>
            <Input.TextArea rows={3} placeholder="例如：入户核查需核对身份证号" data-testid="unmask-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
