/**
 * Recovery progress: % recovered over time (line) and by city (bar), stores worst first, units sold to
 * consumers nobody told, and the mass balance's unexplained remainder.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Flex, List, Progress, Row, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { RecallChart } from '../../components/recall-chart.tsx';
import { type CaseAnswer, SectionTitle, caseKey, casePath } from './case-shared.tsx';
import { usePagination } from '../../components/recall-badges.tsx';
import './texts.ts';

interface Row { readonly key: string; readonly place: { name: string | null; city: string | null } | null; readonly inScope: number; readonly recovered: number; readonly percent: number }
interface Progress {
  readonly asOf: string;
  readonly inScopeUnits: number;
  readonly recoveredUnits: number;
  readonly percent: number;
  readonly byStore: readonly Row[];
  readonly byCity: readonly Row[];
  readonly byChannel: readonly Row[];
  readonly series: readonly { at: string; percent: number; recovered: number }[];
  readonly soldNotNotified: number;
  readonly soldToMembersNotified: number;
  readonly accountedPercent: number;
  readonly unreconciled: readonly { place: string | null; kind: string; quantity: number; detail: { 'zh-CN': string; en: string } }[];
}

export function CaseProgress({ answer }: { readonly answer: CaseAnswer }) {
  const { t, i18n } = useTranslation('recall');
  const caseId = answer.case.caseId;
  const pagination10 = usePagination(10);
  const started = answer.case.approvedVersion !== null;
  const q = useQuery({ queryKey: [...caseKey(caseId), 'progress'], queryFn: () => api<Progress>(`${casePath(caseId)}/progress`), enabled: started, refetchInterval: 60_000 });
  const p = q.data;
  const line = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      tooltip: { trigger: 'axis' },
      animation: false,
      xAxis: { type: 'time' },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [{ type: 'line', step: 'end', name: t('progress.percent'), showSymbol: true, data: [...(p?.series ?? []).map((x) => [x.at, x.percent]), ...(p ? [[p.asOf, p.percent]] : [])], areaStyle: { opacity: 0.15 }, color: '#1d39c4' }],
    }),
    [p, t],
  );
  const bar = useMemo(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      tooltip: { trigger: 'axis' },
      animation: false,
      xAxis: { type: 'category', data: (p?.byCity ?? []).map((c) => c.key) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [{ type: 'bar', name: t('progress.percent'), data: (p?.byCity ?? []).map((c) => c.percent), color: '#389e0d', label: { show: true, position: 'top', formatter: '{c} %' } }],
    }),
    [p, t],
  );
  if (!started) return <Alert type="info" showIcon title={t('progress.none')} />;
  if (q.error) return <Alert type="error" showIcon title={(q.error as Error).message} />;
  const pct = (n: number) => `${Math.round(n * 10) / 10} %`;
  return (
    <Flex vertical gap={16}>
      <Card title={<SectionTitle>{t('progress.title')}</SectionTitle>} loading={q.isLoading}>
        {p && (
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} md={6}>
              <Flex vertical align="center" gap={4}>
                <Progress type="circle" percent={Math.round(p.percent * 10) / 10} format={(v) => `${v} %`} aria-label={t('progress.percent')} />
                <Typography.Text data-testid="progress-percent" data-percent={p.percent}>{t('progress.percent')} {pct(p.percent)}</Typography.Text>
              </Flex>
            </Col>
            <Col xs={12} md={6}><Statistic title={t('progress.inScope')} value={p.inScopeUnits} /></Col>
            <Col xs={12} md={6}><Statistic title={t('progress.recovered')} value={p.recoveredUnits} /></Col>
            <Col xs={12} md={6}><Statistic title={t('progress.soldNotNotified')} value={p.soldNotNotified} valueStyle={p.soldNotNotified > 0 ? { color: '#a8071a' } : undefined} /></Col>
            <Col xs={12} md={6}><Statistic title={t('progress.accounted')} value={pct(p.accountedPercent)} /></Col>
          </Row>
        )}
      </Card>
      {p && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={<SectionTitle>{t('progress.series')}</SectionTitle>}>
              <RecallChart option={line} testId="progress-line" label={`${t('progress.series')}: ${p.series.map((x) => `${new Date(x.at).toLocaleString(i18n.language)} ${pct(x.percent)}`).join('; ')}`} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={<SectionTitle>{t('progress.byCity')}</SectionTitle>}>
              <RecallChart option={bar} testId="progress-city" label={`${t('progress.byCity')}: ${p.byCity.map((c) => `${c.key} ${pct(c.percent)}`).join('; ')}`} />
            </Card>
          </Col>
        </Row>
      )}
      {p && (
        <Card title={<SectionTitle>{t('progress.byStore')}</SectionTitle>}>
          <Table<Row>
            size="small"
            rowKey="key"
            dataSource={[...p.byStore]}
            scroll={{ x: true }}
            pagination={pagination10}
            data-testid="progress-stores"
            columns={[
              { title: t('progress.store'), key: 's', render: (_: unknown, r) => r.place?.name ?? r.key },
              { title: t('tasks.city'), key: 'c', render: (_: unknown, r) => r.place?.city ?? '—' },
              { title: t('progress.inScope'), dataIndex: 'inScope', align: 'right' },
              { title: t('progress.recovered'), dataIndex: 'recovered', align: 'right' },
              { title: t('progress.percent'), dataIndex: 'percent', render: (v: number) => <Progress percent={Math.round(v * 10) / 10} size="small" format={(x) => `${x} %`} style={{ minWidth: 120 }} /> },
            ]}
          />
          <Typography.Title level={3} style={{ fontSize: 15 }}>{t('progress.byChannel')}</Typography.Title>
          <Flex wrap gap={16}>
            {p.byChannel.map((c) => <Statistic key={c.key} title={t(`progress.channel.${c.key}`, { defaultValue: c.key })} value={`${c.recovered} / ${c.inScope} (${pct(c.percent)})`} />)}
          </Flex>
          <Typography.Title level={3} style={{ fontSize: 15 }}>{t('progress.unreconciled')}</Typography.Title>
          <List
            size="small"
            dataSource={[...p.unreconciled]}
            locale={{ emptyText: t('common.none') }}
            renderItem={(u) => <List.Item>{u.place ?? '—'} · {u.kind} · {u.quantity} — {i18n.language === 'en' ? u.detail.en : u.detail['zh-CN']}</List.Item>}
          />
        </Card>
      )}
    </Flex>
  );
}
