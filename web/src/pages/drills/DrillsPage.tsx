/**
 * Mock-recall drills: start one on a chosen or random lot (every channel in dry run), watch the clock
 * while it runs, read its score (points per criterion, passed or not, findings), and compare with the
 * previous drills. Each drill is a case: its page and its evidence report are one click away.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Progress, Radio, Row, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, download } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { StatusTag, useServerErrors, usePagination } from '../../components/recall-badges.tsx';
import { RecallChart } from '../../components/recall-chart.tsx';
import { addTranslations } from '../../i18n.ts';

addTranslations('drills', {
  'zh-CN': {
    title: '召回演练',
    intro: '在选定或随机的批次上模拟一次召回：所有对外通知均为演练记录，不会发送，POS 不会停售。自动模式立即完成范围、封存、物料平衡并评分。',
    start: '开始演练', code: '批次或单品代码（可选）', codeHelp: '留空则随机选择一个已到达门店的批次', mode: '模式', auto: '自动（立即评分）', manual: '手动（团队按流程操作，计时）',
    running: '演练进行中… 已用时 {{s}} 秒', result: '演练结果', score: '得分', passed: '通过', failed: '未通过', points: '各项得分',
    accounted: '物料平衡（50 分）', speed: '完成用时（30 分）', hold: '封存用时（10 分）', gaps: '未解释差异（10 分）', findings: '发现的问题', noFindings: '无', minutes: '{{n}} 分钟',
    toScope: '至范围确定', toHold: '至封存', toReconciliation: '至物料平衡', accountedPercent: '已核实比例',
    history: '演练历史', trend: '得分趋势', number: '编号', lot: '批次', startedAt: '开始时间', status: '状态', change: '较上次', open: '打开', report: '证据报告 PDF', none: '暂无演练', tookMs: '自动运行用时 {{ms}} 毫秒',
  },
  en: {
    title: 'Recall drills',
    intro: 'Run a mock recall on a chosen or random lot: every external notice is recorded as a drill and never sent, and tills keep selling. Auto mode scopes, holds, reconciles and scores at once.',
    start: 'Start a drill', code: 'Lot or unit code (optional)', codeHelp: 'Empty: a random lot that reached a store', mode: 'Mode', auto: 'Auto (scored at once)', manual: 'Manual (the team runs it, timed)',
    running: 'Drill running… {{s}} s elapsed', result: 'Drill result', score: 'Score', passed: 'Passed', failed: 'Not passed', points: 'Points per criterion',
    accounted: 'Accounted for (50 pts)', speed: 'Time to reconcile (30 pts)', hold: 'Time to hold (10 pts)', gaps: 'Unexplained differences (10 pts)', findings: 'Findings', noFindings: 'None', minutes: '{{n}} min',
    toScope: 'To scope', toHold: 'To hold', toReconciliation: 'To reconciliation', accountedPercent: 'Accounted for',
    history: 'Drill history', trend: 'Score over drills', number: 'Number', lot: 'Lot', startedAt: 'Started', status: 'Status', change: 'Change', open: 'Open', report: 'Evidence report PDF', none: 'No drills yet', tookMs: 'Automatic run took {{ms}} ms',
  },
});

interface DrillScore {
  readonly score: number;
  readonly passed: boolean;
  readonly minutesToScope: number | null;
  readonly minutesToHold: number | null;
  readonly minutesToReconciliation: number | null;
  readonly accountedPercent: number | null;
  readonly gaps: number | null;
  readonly points: { accounted: number; speed: number; hold: number; gaps: number };
  readonly findings: readonly { 'zh-CN': string; en: string }[];
}
interface DrillRow { readonly caseId: string; readonly caseNumber: string; readonly lot: string | null; readonly status: string; readonly startedAt: string; readonly score: DrillScore | null; readonly change: number | null }
interface DrillResult { readonly caseId: string; readonly caseNumber: string; readonly lot: string; readonly status: string; readonly score: DrillScore | null; readonly tookMs: number | null }

const lotLabel = (node: string | null) => (node ? decodeURIComponent(/\/10\/([^/?#]+)/.exec(node)?.[1] ?? node) : '—');

function ScoreView({ score }: { readonly score: DrillScore }) {
  const { t, i18n } = useTranslation('drills');
  const en = i18n.language === 'en';
  const min = (n: number | null) => (n === null ? '—' : t('minutes', { n: Math.round(n * 10) / 10 }));
  const rows = [
    { key: 'accounted', value: score.points.accounted, max: 50 },
    { key: 'speed', value: score.points.speed, max: 30 },
    { key: 'hold', value: score.points.hold, max: 10 },
    { key: 'gaps', value: score.points.gaps, max: 10 },
  ];
  return (
    <Flex vertical gap={12} data-testid="drill-score" data-score={score.score} data-passed={String(score.passed)}>
      <Flex wrap gap={16} align="center">
        <Progress type="circle" percent={score.score} format={(v) => `${v}`} status={score.passed ? 'success' : 'exception'} aria-label={t('score')} />
        <Flex vertical>
          <Typography.Text style={{ fontSize: 20 }}>{t('score')}: {score.score} / 100</Typography.Text>
          <Tag color={score.passed ? 'success' : 'error'} style={{ alignSelf: 'flex-start' }}>{score.passed ? t('passed') : t('failed')}</Tag>
        </Flex>
      </Flex>
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>{t('points')}</Typography.Title>
      {rows.map((r) => (
        <Flex key={r.key} wrap gap={8} align="center">
          <span style={{ minWidth: 180 }}>{t(r.key)}</span>
          <Progress percent={(r.value / r.max) * 100} format={() => `${r.value} / ${r.max}`} style={{ flex: '1 1 160px', margin: 0 }} aria-label={t(r.key)} />
        </Flex>
      ))}
      <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
        { key: 's', label: t('toScope'), children: min(score.minutesToScope) },
        { key: 'h', label: t('toHold'), children: min(score.minutesToHold) },
        { key: 'r', label: t('toReconciliation'), children: min(score.minutesToReconciliation) },
        { key: 'a', label: t('accountedPercent'), children: score.accountedPercent === null ? '—' : `${score.accountedPercent.toFixed(1)} %` },
      ]} />
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>{t('findings')}</Typography.Title>
      {score.findings.length === 0 ? <Typography.Text>{t('noFindings')}</Typography.Text> : (
        <ul style={{ margin: 0 }}>{score.findings.map((f, i) => <li key={i}>{en ? f.en : f['zh-CN']}</li>)}</ul>
      )}
    </Flex>
  );
}

function useElapsed(running: boolean): number {
  const [start, setStart] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    setStart(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [running]);
  return start === null ? 0 : Math.max(0, (now - start) / 1000);
}

export default function DrillsPage() {
  const { t, i18n } = useTranslation('drills');
  const { can } = useAuth();
  const [form] = Form.useForm();
  const client = useQueryClient();
  const pagination10 = usePagination(10);
  const history = useQuery({ queryKey: ['drills'], queryFn: () => api<{ drills: DrillRow[] }>('/api/drills') });
  const server = useServerErrors(form, ['code', 'mode']);
  const start = useMutation({
    mutationFn: (v: { code?: string; mode: 'auto' | 'manual' }) => api<DrillResult>('/api/drills', { method: 'POST', body: { mode: v.mode, ...(v.code?.trim() ? { code: v.code.trim() } : {}) } }),
    onMutate: server.clear,
    onSuccess: () => client.invalidateQueries({ queryKey: ['drills'] }),
    onError: server.fail,
  });
  const elapsed = useElapsed(start.isPending);
  const rows = history.data?.drills ?? [];
  const trend = useMemo(() => {
    const scored = [...rows].reverse().filter((r) => r.score);
    return {
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: scored.map((r) => r.caseNumber) },
      yAxis: { type: 'value', min: 0, max: 100 },
      animation: false,
      series: [{ type: 'line', name: t('score'), data: scored.map((r) => r.score?.score ?? 0), color: '#1d39c4', showSymbol: true, symbolSize: 10, label: { show: true, position: 'top' } }],
    };
  }, [rows, t]);
  const result = start.data;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {can('recall:decide') && (
          <Col xs={24} lg={10}>
            <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('start')}</Typography.Title>} data-testid="drill-start">
              {server.errors}
              <Form form={form} name="drill" layout="vertical" onFinish={(v) => start.mutate(v)} initialValues={{ mode: 'auto' }}>
                <Form.Item name="code" label={t('code')} extra={t('codeHelp')}>
                  <Input data-testid="drill-code" />
                </Form.Item>
                <Form.Item name="mode" label={t('mode')}>
                  <Radio.Group options={[{ value: 'auto', label: t('auto') }, { value: 'manual', label: t('manual') }]} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={start.isPending} data-testid="drill-submit">{t('start')}</Button>
              </Form>
              {start.isPending && (
                <Flex gap={8} align="center" style={{ marginTop: 12 }} role="status" data-testid="drill-running">
                  <Spin />
                  <Typography.Text>{t('running', { s: elapsed.toFixed(1) })}</Typography.Text>
                </Flex>
              )}
            </Card>
          </Col>
        )}
        <Col xs={24} lg={can('recall:decide') ? 14 : 24}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('result')}</Typography.Title>}>
            {result ? (
              <Flex vertical gap={8} data-testid="drill-result">
                <Flex wrap gap={8} align="center">
                  <Link to={`/recalls/${encodeURIComponent(result.caseId)}`}>{result.caseNumber}</Link>
                  <StatusTag status={result.status} />
                  <Typography.Text type="secondary">{t('lot')}: {lotLabel(result.lot)}</Typography.Text>
                  {result.tookMs !== null && <Typography.Text type="secondary">{t('tookMs', { ms: result.tookMs })}</Typography.Text>}
                </Flex>
                {result.score ? <ScoreView score={result.score} /> : <Alert type="info" showIcon title={t('manual')} />}
                {result.status === 'closed' && <Button onClick={() => void download(`/api/recalls/${encodeURIComponent(result.caseId)}/reports/drill?format=pdf`, `${result.caseNumber}-drill.pdf`)} style={{ alignSelf: 'flex-start' }}>{t('report')}</Button>}
              </Flex>
            ) : rows[0]?.score ? (
              <Flex vertical gap={8}>
                <Link to={`/recalls/${encodeURIComponent(rows[0].caseId)}`}>{rows[0].caseNumber}</Link>
                <ScoreView score={rows[0].score} />
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('none')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('history')}</Typography.Title>} data-testid="drill-history">
        {rows.some((r) => r.score) && (
          <>
            <Typography.Title level={3} style={{ fontSize: 15 }}>{t('trend')}</Typography.Title>
            <RecallChart option={trend} height={220} testId="drill-trend" label={`${t('trend')}: ${[...rows].reverse().filter((r) => r.score).map((r) => `${r.caseNumber} ${r.score?.score}`).join('; ')}`} />
          </>
        )}
        <Table<DrillRow>
          size="small"
          rowKey="caseId"
          loading={history.isLoading}
          dataSource={rows}
          scroll={{ x: true }}
          pagination={pagination10}
          locale={{ emptyText: t('none') }}
          columns={[
            { title: t('number'), dataIndex: 'caseNumber', render: (n: string, r) => <Link to={`/recalls/${encodeURIComponent(r.caseId)}`}>{n}</Link> },
            { title: t('lot'), dataIndex: 'lot', render: (l: string | null) => lotLabel(l) },
            { title: t('startedAt'), dataIndex: 'startedAt', render: (v: string) => new Date(v).toLocaleString(i18n.language) },
            { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            { title: t('score'), key: 'score', render: (_: unknown, r) => (r.score ? <span>{r.score.score} <Tag color={r.score.passed ? 'success' : 'error'}>{r.score.passed ? t('passed') : t('failed')}</Tag></span> : '—') },
            { title: t('change'), dataIndex: 'change', render: (c: number | null) => (c === null ? '—' : <Typography.Text type={c < 0 ? 'danger' : 'success'}>{c > 0 ? `+${c}` : c}</Typography.Text>) },
            {
              title: t('report'),
              key: 'report',
              render: (_: unknown, r) => (r.status === 'closed' ? <Button size="small" aria-label={`${r.caseNumber} ${t('report')}`} onClick={() => void download(`/api/recalls/${encodeURIComponent(r.caseId)}/reports/drill?format=pdf`, `${r.caseNumber}-drill.pdf`)}>PDF</Button> : '—'),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
