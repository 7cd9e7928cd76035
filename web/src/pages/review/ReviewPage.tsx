/**
 * 比对复核 (clerical review): possible matches between a PRM record and a LIP
 * record, side by side. Keyboard: A = 同一人 (accept), R = 不是同一人 (reject),
 * J / K = next / previous.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Alert, Button, Card, Col, Empty, Input, Row, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, DownOutlined, UpOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { useLoad } from '../../api/hooks.ts';
import { HIDDEN_FIELDS, fieldLabel, formatValue } from '../../components/fields.tsx';
import { reviewId, reviewList, reviewScore, reviewSide, type ReviewItem } from './reviewFields.ts';

/** Comparison fields and levels of the linkage module (src/link/compare.ts). */
const AGREEMENT_NAMES: Record<string, string> = { name: '姓名', birth: '出生日期', sex: '性别', village: '村', id: '身份证号' };
const LEVEL_NAMES: Record<string, [string, string]> = {
  exact: ['一致', 'green'],
  same_17: ['前17位一致', 'green'],
  same_pinyin: ['拼音相同', 'green'],
  similar_pinyin: ['拼音相近', 'orange'],
  one_part_differs: ['年月日一项不同', 'orange'],
  close: ['相差1–2位', 'orange'],
  different: ['不一致', 'red'],
};

function AgreementTags({ agreements }: { agreements: unknown }) {
  if (!agreements || typeof agreements !== 'object') return null;
  const a = agreements as Record<string, unknown>;
  return (
    <Space wrap size={4} data-testid="review-agreements">
      {Object.keys(AGREEMENT_NAMES)
        .filter((k) => k in a)
        .map((k) => {
          const v = a[k];
          const [text, color] = v === null || v === undefined ? ['缺失', 'default'] : (LEVEL_NAMES[String(v)] ?? [String(v), 'default']);
          return (
            <Tag key={k} color={color}>
              {AGREEMENT_NAMES[k]}：{text}
            </Tag>
          );
        })}
      {typeof a.weight === 'number' && <Tag>匹配权重 {a.weight.toFixed(1)}</Tag>}
    </Space>
  );
}

function SideBySide({ item }: { item: ReviewItem }) {
  const prm = reviewSide(item, 'prm');
  const lip = reviewSide(item, 'lip');
  const keys = Array.from(new Set([...Object.keys(prm), ...Object.keys(lip)])).filter((k) => !HIDDEN_FIELDS.has(k) && typeof (prm[k] ?? lip[k]) !== 'object');
  const rows = keys.map((k) => ({ key: k, label: fieldLabel(k), prm: prm[k], lip: lip[k], same: prm[k] !== undefined && prm[k] === lip[k] }));
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      data-testid="review-side-by-side"
      columns={[
        { title: '字段', dataIndex: 'label', width: 120 },
        { title: '防止返贫监测系统', render: (_, r) => <span style={{ color: r.same ? '#389e0d' : undefined }}>{formatValue(r.key, r.prm)}</span> },
        { title: '低收入人口平台', render: (_, r) => <span style={{ color: r.same ? '#389e0d' : undefined }}>{formatValue(r.key, r.lip)}</span> },
      ]}
    />
  );
}

export default function ReviewPage() {
  const { message } = App.useApp();
  const queue = useLoad(() => api.get<unknown>('/api/reviews', { status: 'pending', pageSize: 200 }), []);
  const [done, setDone] = useState<Record<string, 'accept' | 'reject'>>({});
  const [index, setIndex] = useState(0);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const items = useMemo(() => reviewList(queue.data), [queue.data]);
  const pending = useMemo(() => items.filter((i) => !done[reviewId(i)]), [items, done]);
  const current = pending[Math.min(index, pending.length - 1)];

  const decide = useCallback(
    async (decision: 'accept' | 'reject') => {
      if (!current || busy) return;
      setBusy(true);
      const id = reviewId(current);
      try {
        await api.post(`/api/reviews/${encodeURIComponent(id)}`, { decision, reason: reason.trim() || (decision === 'accept' ? '人工复核：确认为同一人' : '人工复核：确认不是同一人') });
        setDone((d) => ({ ...d, [id]: decision }));
        setReason('');
        message.success(decision === 'accept' ? '已确认为同一人' : '已确认不是同一人');
      } catch (e) {
        message.error(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [current, busy, reason, message],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k === 'a') void decide('accept');
      else if (k === 'r') void decide('reject');
      else if (k === 'j') setIndex((i) => Math.min(i + 1, Math.max(pending.length - 1, 0)));
      else if (k === 'k') setIndex((i) => Math.max(i - 1, 0));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide, pending.length]);

  const decidedCount = Object.keys(done).length;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          比对复核
        </Typography.Title>
        <Typography.Text type="secondary">
          快捷键：<Tag>A</Tag>同一人 <Tag>R</Tag>不是同一人 <Tag>J</Tag>下一条 <Tag>K</Tag>上一条
        </Typography.Text>
      </Space>
      {queue.error && <Alert type="error" showIcon title={queue.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card title={`待复核 ${pending.length} 条${decidedCount ? `（本次已处理 ${decidedCount} 条）` : ''}`} styles={{ body: { padding: 0 } }}>
            <Table<ReviewItem>
              size="small"
              loading={queue.loading}
              rowKey={reviewId}
              dataSource={pending}
              pagination={{ pageSize: 15, size: 'small' }}
              onRow={(r, i) => ({ onClick: () => setIndex(i ?? 0), style: { cursor: 'pointer', background: r === current ? '#e6f4ff' : undefined } })}
              locale={{ emptyText: '没有待复核的疑似匹配' }}
              columns={[
                { title: '防返贫监测', render: (_, r) => String(reviewSide(r, 'prm').name ?? reviewSide(r, 'prm').name_masked ?? '—') },
                { title: '低收入人口', render: (_, r) => String(reviewSide(r, 'lip').name ?? reviewSide(r, 'lip').name_masked ?? '—') },
                { title: '匹配概率', width: 90, render: (_, r) => formatValue('score', reviewScore(r)) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card
            title={current ? `疑似匹配 ${Math.min(index, pending.length - 1) + 1} / ${pending.length}` : '疑似匹配'}
            extra={
              <Space>
                <Button icon={<UpOutlined />} disabled={index <= 0} onClick={() => setIndex((i) => Math.max(i - 1, 0))}>
                  上一条（K）
                </Button>
                <Button icon={<DownOutlined />} disabled={index >= pending.length - 1} onClick={() => setIndex((i) => i + 1)}>
                  下一条（J）
                </Button>
              </Space>
            }
          >
            {!current ? (
              <Empty description={queue.loading ? '加载中…' : '复核队列已清空'} />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="review-current" data-review-id={reviewId(current)}>
                <Space wrap>
                  <Typography.Text>匹配概率：</Typography.Text>
                  <Typography.Text strong>{formatValue('score', reviewScore(current))}</Typography.Text>
                  <AgreementTags agreements={current.agreements} />
                </Space>
                <SideBySide item={current} />
                <Input.TextArea rows={2} placeholder="复核理由（可选，例如：经入户核实为同一人）" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
                <Space>
                  <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={() => decide('accept')} data-testid="review-accept">
                    同一人（A）
                  </Button>
                  <Button danger icon={<CloseOutlined />} loading={busy} onClick={() => decide('reject')} data-testid="review-reject">
                    不是同一人（R）
                  </Button>
                </Space>
                <Typography.Text type="secondary">复核决定在下次运行并库比对时生效，并保留在以后的比对中。</Typography.Text>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
