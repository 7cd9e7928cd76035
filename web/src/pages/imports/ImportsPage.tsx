/** 数据导入: upload PRM / LIP / feed exports with progress, row problems, history. */
import { useState } from 'react';
import { App, Alert, Button, Card, Descriptions, Progress, Radio, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined, MergeOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import { runMerge as postMerge } from '../../api/merge.ts';
import { useLoad } from '../../api/hooks.ts';
import type { ImportProblem, ImportSummary } from '../../api/types.ts';
import { useSession } from '../../auth.tsx';
import { formatTime } from '../../components/fields.tsx';
import { SYSTEM_NAMES, importAccepted, importStatus, importFileName, importId, importProblemCount, importRows, importSystem, importTime } from './importFields.ts';

type System = 'prm' | 'lip' | 'feed';

function historyList(d: unknown): ImportSummary[] {
  if (Array.isArray(d)) return d as ImportSummary[];
  const o = d as { items?: ImportSummary[]; imports?: ImportSummary[] } | undefined;
  return o?.items ?? o?.imports ?? [];
}

export default function ImportsPage() {
  const { can } = useSession();
  const { message } = App.useApp();
  const [system, setSystem] = useState<System>('prm');
  const [progress, setProgress] = useState<number>();
  const [uploading, setUploading] = useState(false);
  const [result, setResult] = useState<ImportSummary>();
  const [error, setError] = useState<string>();
  const [merging, setMerging] = useState(false);
  const history = useLoad(() => api.get<unknown>('/api/imports', { pageSize: 200 }), []);

  const upload = async (file: File) => {
    const form = new FormData();
    form.append('system', system);
    form.append('file', file, file.name);
    setUploading(true);
    setProgress(0);
    setError(undefined);
    setResult(undefined);
    try {
      const r = await api.upload<ImportSummary>('/api/imports', form, setProgress);
      setResult({ ...r, filename: importFileName(r) || file.name, system: r.system ?? system });
      message.success(`已导入 ${file.name}`);
      history.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setUploading(false);
    }
  };

  const runMerge = async () => {
    setMerging(true);
    try {
      message.success(`${await postMerge()}。可在“总览”查看覆盖情况，在“比对复核”处理疑似匹配`, 8);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setMerging(false);
    }
  };

  const problems = result?.problems ?? [];
  const resultId = result ? importId(result) : '';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        数据导入
      </Typography.Title>
      <Card title="上传导出文件">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Radio.Group value={system} onChange={(e) => setSystem(e.target.value as System)} optionType="button" buttonStyle="solid" data-testid="system-select">
            <Radio.Button value="prm">防止返贫监测系统（PRM）</Radio.Button>
            <Radio.Button value="lip">低收入人口平台（LIP）</Radio.Button>
            <Radio.Button value="feed">部门数据</Radio.Button>
          </Radio.Group>
          <Upload.Dragger
            accept=".csv,.xlsx,.xls,.txt"
            multiple={false}
            showUploadList={false}
            disabled={uploading}
            beforeUpload={(f) => {
              void upload(f as unknown as File);
              return false;
            }}
            data-testid="upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖拽文件到此处上传（{SYSTEM_NAMES[system]}）</p>
            <p className="ant-upload-hint">支持 CSV（UTF-8 / GBK）与 XLSX；同一文件重复导入不会重复计数</p>
          </Upload.Dragger>
          {progress !== undefined && <Progress percent={progress} status={uploading ? 'active' : error ? 'exception' : 'success'} />}
          {uploading && progress === 100 && <Typography.Text type="secondary">文件已上传，服务器正在校验和入库…</Typography.Text>}
          {error && <Alert type="error" showIcon title={`导入失败：${error}`} />}
        </Space>
      </Card>

      {result && (
        <Card
          title="本次导入结果"
          data-testid="import-result"
          extra={
            resultId && (
              <Button icon={<DownloadOutlined />} onClick={() => api.download(`/api/imports/${encodeURIComponent(resultId)}/problems.xlsx`, `问题清单-${resultId}.xlsx`).catch((e) => message.error(errorText(e)))}>
                下载问题清单（XLSX）
              </Button>
            )
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 4 }}>
            <Descriptions.Item label="系统">{SYSTEM_NAMES[importSystem(result)] ?? importSystem(result)}</Descriptions.Item>
            <Descriptions.Item label="文件">{importFileName(result)}</Descriptions.Item>
            <Descriptions.Item label="数据行">{importRows(result)}</Descriptions.Item>
            <Descriptions.Item label="导入记录">{importAccepted(result) ?? '—'}</Descriptions.Item>
            {typeof result.households === 'number' && <Descriptions.Item label="户/家庭">{result.households}</Descriptions.Item>}
            {typeof result.skippedRows === 'number' && <Descriptions.Item label="未能导入的行">{result.skippedRows}</Descriptions.Item>}
            {result.period ? <Descriptions.Item label="数据期">{String(result.period)}</Descriptions.Item> : null}
            <Descriptions.Item label="问题数">{importProblemCount(result)}</Descriptions.Item>
            {(result.duplicate || importStatus(result) === 'duplicate') && <Descriptions.Item label="说明">该文件此前已导入，未重复入库</Descriptions.Item>}
          </Descriptions>
          <Table<ImportProblem>
            size="small"
            rowKey={(p, i) => `${p.row}-${p.column}-${p.code}-${i}`}
            dataSource={problems}
            pagination={{ pageSize: 10, showTotal: (t) => `共 ${t} 条问题` }}
            locale={{ emptyText: '未发现问题' }}
            scroll={{ x: true }}
            columns={[
              { title: '行号', dataIndex: 'row', width: 80 },
              { title: '列', dataIndex: 'column', width: 140 },
              { title: '原值', dataIndex: 'value', width: 160, ellipsis: true, render: (v: string | null | undefined) => maskIdLike(v) },
              { title: '问题代码', dataIndex: 'code', width: 200, render: (c: string) => <Tag>{c}</Tag> },
              { title: '说明', dataIndex: 'message' },
            ]}
          />
        </Card>
      )}

      <Card
        title="导入历史"
        extra={
          can('merge') && (
            <Button type="primary" icon={<MergeOutlined />} loading={merging} onClick={runMerge} data-testid="imports-run-merge">
              运行并库比对
            </Button>
          )
        }
      >
        {history.error && <Alert type="warning" showIcon title={history.error} />}
        <Table<ImportSummary>
          size="small"
          loading={history.loading}
          rowKey={(r, i) => importId(r) || String(i)}
          dataSource={historyList(history.data)}
          pagination={{ pageSize: 10 }}
          scroll={{ x: true }}
          data-testid="import-history"
          columns={[
            { title: '导入时间', render: (_, r) => (importTime(r) ? formatTime(importTime(r)) : '—') },
            { title: '系统', render: (_, r) => SYSTEM_NAMES[importSystem(r)] ?? importSystem(r) },
            { title: '文件', render: (_, r) => importFileName(r) },
            { title: '数据行', render: (_, r) => importRows(r) },
            { title: '记录', render: (_, r) => importAccepted(r) ?? '—' },
            { title: '问题', render: (_, r) => importProblemCount(r) },
            { title: '状态', render: (_, r) => (importStatus(r) === 'superseded' ? <Tag>已被新导入取代</Tag> : <Tag color="green">当前</Tag>) },
            {
              title: '问题清单',
              render: (_, r) =>
                importProblemCount(r) > 0 && importId(r) ? (
                  <Button size="small" type="link" icon={<DownloadOutlined />} onClick={() => api.download(`/api/imports/${encodeURIComponent(importId(r))}/problems.xlsx`, `问题清单-${importId(r)}.xlsx`).catch((e) => message.error(errorText(e)))}>
                    XLSX
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

/** Problem values may be (broken) ID numbers: show them masked like everywhere else. */
function maskIdLike(v: string | null | undefined): string {
  if (!v) return '';
  const t = v.trim();
  return /^\d{14,19}[\dXx]?$/.test(t) ? `${t.slice(0, 6)}${'*'.repeat(t.length - 10)}${t.slice(-4)}` : v;
}

