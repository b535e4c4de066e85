/**
 * The console's first page (issue 6): open recall cases with their legal clocks counting down,
 * recent warnings, units expiring soon by store, and capture activity. Each panel shows only when the
 * role may read what it shows.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Flex, List, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/trace-chart.tsx';
import { addTranslations } from '../../i18n.ts';

addTranslations('overview', {
  'zh-CN': {
    title: '总览',
    recalls: {
      title: '进行中的召回',
      none: '没有进行中的召回。',
      level: '级别',
      undecided: '未定级',
      status: { open: '已立案', assessed: '已评估', scope_proposed: '范围待批准', active: '召回中', closed: '已结案', cancelled: '已取消' },
      clocks: '法定时限',
      noClocks: '定级后开始计时',
      due: '截止 {{time}}',
      left: '剩余 {{time}}',
      overdue: '已超时 {{time}}',
      met: '已按时完成',
      metLate: '已完成（超时）',
      clock: { pending: '计时中', due_soon: '即将到期', overdue: '已超时', met: '已完成', met_late: '超时完成' },
      days: '{{d}} 天 {{hms}}',
    },
    warnings: {
      title: '近期预警',
      hours: '时间范围',
      excursion: '环境超标',
      alarm: '传感器报警',
      qc: '质检不合格',
      task: '门店任务逾期',
      none: '没有预警。',
      limit: '限值 {{limit}}',
      taskLine: '{{case}} · {{place}} 逾期 {{time}}',
      unavailable: '此服务器尚未提供预警接口。',
    },
    expiring: {
      title: '即将到期的库存',
      window: '时间窗口',
      expired: '包括已过期仍在库的（过去 7 天）',
      place: '门店/地点',
      city: '城市',
      units: '在库件数',
      earliest: '最早到期',
      lots: '批次',
      none: '所选时间内没有到期的在库批次。',
      expiredTag: '已过期',
      totals: '{{places}} 个地点，{{lots}} 个批次，{{units}} 件',
      unavailable: '此服务器尚未提供到期库存接口。',
    },
    capture: {
      title: '采集活动（最近 24 小时）',
      label: '最近 24 小时每小时采集的事件数柱状图',
      events: '事件',
      jobs: '采集任务',
      failed: '失败',
      series: '每小时事件数',
    },
    hoursOpt: '{{n}} 小时',
    daysOpt: '{{n}} 天',
    error: '加载失败：{{message}}',
  },
  en: {
    title: 'Overview',
    recalls: {
      title: 'Open recalls',
      none: 'No open recalls.',
      level: 'Level',
      undecided: 'not yet assessed',
      status: { open: 'open', assessed: 'assessed', scope_proposed: 'scope awaiting approval', active: 'active', closed: 'closed', cancelled: 'cancelled' },
      clocks: 'Legal clocks',
      noClocks: 'Clocks start when the level is decided',
      due: 'due {{time}}',
      left: '{{time}} left',
      overdue: 'overdue by {{time}}',
      met: 'met in time',
      metLate: 'met late',
      clock: { pending: 'running', due_soon: 'due soon', overdue: 'overdue', met: 'met', met_late: 'met late' },
      days: '{{d}} d {{hms}}',
    },
    warnings: {
      title: 'Recent warnings',
      hours: 'Period',
      excursion: 'Excursion',
      alarm: 'Sensor alarm',
      qc: 'QC failed',
      task: 'Store task overdue',
      none: 'No warnings.',
      limit: 'limit {{limit}}',
      taskLine: '{{case}} · {{place}} overdue by {{time}}',
      unavailable: 'This server does not offer the warnings API yet.',
    },
    expiring: {
      title: 'Stock expiring soon',
      window: 'Window',
      expired: 'Include expired stock still on hand (last 7 days)',
      place: 'Store / location',
      city: 'City',
      units: 'Units on hand',
      earliest: 'Earliest expiry',
      lots: 'Lots',
      none: 'No stock on hand expires in this window.',
      expiredTag: 'expired',
      totals: '{{places}} locations, {{lots}} lots, {{units}} units',
      unavailable: 'This server does not offer the expiring-stock API yet.',
    },
    capture: {
      title: 'Capture activity (last 24 hours)',
      label: 'Bar chart of events captured per hour over the last 24 hours',
      events: 'Events',
      jobs: 'Capture jobs',
      failed: 'Failed',
      series: 'Events per hour',
    },
    hoursOpt: '{{n}} hours',
    daysOpt: '{{n}} days',
    error: 'Could not load: {{message}}',
  },
});

// --- API shapes (GET /api/recalls, /api/recalls/{id}, /api/overview/*, /epcis/capture) ---
interface CaseSummary { readonly caseId: string; readonly caseNumber: string; readonly drill: boolean; readonly status: string; readonly title: string; readonly level: number | null; readonly openedAt: string }
interface Localised { readonly 'zh-CN': string; readonly en: string }
interface ClockView { readonly id: string; readonly label: Localised; readonly dueAt: string; readonly metAt: string | null; readonly status: 'pending' | 'due_soon' | 'overdue' | 'met' | 'met_late'; readonly remainingMs: number }
interface CaseBody { readonly case: { readonly caseId: string }; readonly level: ({ readonly colour: string; readonly hex: string } & Localised) | null; readonly clocks: readonly ClockView[] }
interface Place { readonly id: string; readonly name: string | null; readonly type: string | null; readonly city: string | null }
interface Warnings {
  readonly excursions: readonly { time: string; recordedSeq: number; type: string; value: number | null; uom: string | null; exception: string | null; limit: { type: string; min?: number; max?: number } | null; device: string | null; place: Place | null }[];
  readonly qcFailures: readonly { time: string; item: string; disposition: string; place: Place | null }[];
  readonly overdueTasks: readonly { caseId: string; caseNumber: string | null; title: string | null; kind: string; location: Place; dueAt: string; overdueMs: number }[] | null;
}
interface ExpiringLot { readonly lot: string; readonly lotNumber: string | null; readonly productName: { zh: string | null; en: string | null } | null; readonly expiresAt: string; readonly expired: boolean; readonly onHand: number }
interface Expiring { readonly places: readonly { place: Place; onHand: number; earliestExpiry: string; lots: readonly ExpiringLot[] }[]; readonly totals: { lots: number; units: number; places: number } }
interface CaptureJob { readonly captureID: string; readonly createdAt: string; readonly success: boolean; readonly running: boolean; readonly eventCount: number }

const OPEN_STATUSES = new Set(['open', 'assessed', 'scope_proposed', 'active']);
/** Clock states by colour and word (never colour alone). */
const CLOCK_COLOUR: Record<ClockView['status'], string> = { pending: 'blue', due_soon: 'orange', overdue: 'red', met: 'green', met_late: 'volcano' };

const localName = (name: string | null | undefined, lang: string) => (name ? (lang === 'en' ? name.split(' / ').slice(1).join(' / ') || name : (name.split(' / ')[0] ?? name)) : null);
const fmtTime = (iso: string, lang: string) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const lastSegment = (s: string) => s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':'), s.lastIndexOf('#')) + 1);

/** The current time, ticking every `ms` (for countdowns). */
function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

function useDuration() {
  const { t } = useTranslation('overview');
  return (ms: number) => {
    const s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    return d > 0 ? t('recalls.days', { d, hms }) : hms;
  };
}

const sectionTitle = (text: string) => <Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{text}</Typography.Title>;
const unavailable = (e: unknown) => e instanceof ApiError && e.status === 404;

export default function OverviewPage() {
  const { t } = useTranslation('overview');
  const { can } = useAuth();
  return (
    <main aria-labelledby="overview-title">
      <Typography.Title level={2} id="overview-title" style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {can('recall:read') && (
          <Col xs={24}>
            <RecallCases />
          </Col>
        )}
        {can('trace:read') && (
          <Col xs={24} xl={12}>
            <RecentWarnings />
          </Col>
        )}
        {can('events:capture') && (
          <Col xs={24} xl={12}>
            <CaptureActivity />
          </Col>
        )}
        {can('trace:read') && (
          <Col xs={24}>
            <ExpiringStock />
          </Col>
        )}
      </Row>
    </main>
  );
}

function RecallCases() {
  const { t, i18n } = useTranslation('overview');
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const list = useQuery({ queryKey: ['recalls', 'overview'], queryFn: () => api<{ cases: CaseSummary[] }>('/api/recalls?drill=false&limit=100'), refetchInterval: 60_000 });
  const open = (list.data?.cases ?? []).filter((c) => OPEN_STATUSES.has(c.status)).slice(0, 12);
  const bodies = useQueries({ queries: open.map((c) => ({ queryKey: ['recall', c.caseId], queryFn: () => api<CaseBody>(`/api/recalls/${encodeURIComponent(c.caseId)}`), refetchInterval: 60_000 })) });
  const now = useNow();
  const duration = useDuration();
  return (
    <Card title={sectionTitle(t('recalls.title'))} size="small" data-testid="overview-recalls" loading={list.isPending}>
      {list.isError && <Alert type="error" showIcon title={t('error', { message: list.error.message })} />}
      {list.data && open.length === 0 && <Empty description={t('recalls.none')} />}
      <List
        dataSource={open}
        renderItem={(c, i) => {
          const body = bodies[i]?.data;
          return (
            <List.Item key={c.caseId} data-testid="overview-recall">
              <Flex vertical gap={6} style={{ width: '100%' }}>
                <Flex wrap gap={8} align="center">
                  <Link to={`/recalls/${encodeURIComponent(c.caseId)}`}>{c.caseNumber}</Link>
                  <Typography.Text strong>{c.title}</Typography.Text>
                  {body?.level ? (
                    <Tag style={{ background: body.level.hex, borderColor: body.level.hex, color: body.level.colour === 'yellow' ? '#000' : '#fff' }} data-testid="recall-level">{body.level[lang]}</Tag>
                  ) : (
                    <Tag>{t('recalls.undecided')}</Tag>
                  )}
                  <Tag>{t(`recalls.status.${c.status}`)}</Tag>
                </Flex>
                {body && body.clocks.length === 0 && <Typography.Text type="secondary">{t('recalls.noClocks')}</Typography.Text>}
                {body && body.clocks.length > 0 && (
                  <Flex wrap gap={8}>
                    {body.clocks.map((k) => {
                      const left = Date.parse(k.dueAt) - now;
                      const met = k.metAt !== null;
                      const status: ClockView['status'] = met ? k.status : left <= 0 ? 'overdue' : k.status === 'overdue' ? 'pending' : k.status;
                      return (
                        <Card key={k.id} size="small" style={{ minWidth: 220, flex: '1 1 220px' }} data-testid="recall-clock">
                          <div>{k.label[lang]}</div>
                          <Flex gap={8} align="center" wrap>
                            <Tag color={CLOCK_COLOUR[status]}>{t(`recalls.clock.${status}`)}</Tag>
                            <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="clock-countdown">
                              {met ? t(k.status === 'met' ? 'recalls.met' : 'recalls.metLate') : left > 0 ? t('recalls.left', { time: duration(left) }) : t('recalls.overdue', { time: duration(left) })}
                            </Typography.Text>
                          </Flex>
                          <Typography.Text type="secondary">{t('recalls.due', { time: fmtTime(k.dueAt, lang) })}</Typography.Text>
                        </Card>
                      );
                    })}
                  </Flex>
                )}
              </Flex>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

function RecentWarnings() {
  const { t, i18n } = useTranslation('overview');
  const lang = i18n.language;
  const [hours, setHours] = useState(24);
  const q = useQuery({ queryKey: ['overview-warnings', hours], queryFn: () => api<Warnings>(`/api/overview/warnings${qs({ hours, limit: 30 })}`), refetchInterval: 60_000, retry: false });
  const duration = useDuration();
  type Row = { key: string; kind: 'excursion' | 'alarm' | 'qc' | 'task'; time: string; text: string };
  const rows: Row[] = useMemo(() => {
    if (!q.data) return [];
    const place = (p: Place | null) => (p ? (localName(p.name, lang) ?? lastSegment(p.id)) : '—');
    return [
      ...(q.data.overdueTasks ?? []).map((x) => ({ key: `t|${x.caseId}|${x.location.id}|${x.kind}`, kind: 'task' as const, time: x.dueAt, text: t('warnings.taskLine', { case: x.caseNumber ?? x.caseId, place: place(x.location), time: duration(x.overdueMs) }) })),
      ...q.data.qcFailures.map((x, i) => ({ key: `q|${i}`, kind: 'qc' as const, time: x.time, text: `${lastSegment(x.item)} · ${x.disposition} · ${place(x.place)}` })),
      ...q.data.excursions.map((x, i) => ({
        key: `e|${i}`,
        kind: x.limit ? ('excursion' as const) : ('alarm' as const),
        time: x.time,
        text: `${lastSegment(x.type)} ${x.value ?? '—'}${x.uom ? ` ${x.uom}` : ''}${x.limit ? ` (${t('warnings.limit', { limit: x.limit.max !== undefined ? `≤ ${x.limit.max}` : `≥ ${x.limit.min}` })})` : ''} · ${place(x.place)}`,
      })),
    ];
  }, [q.data, lang, t, duration]);
  const colour = { excursion: 'orange', alarm: 'red', qc: 'magenta', task: 'volcano' } as const;
  return (
    <Card
      title={sectionTitle(t('warnings.title'))}
      size="small"
      data-testid="overview-warnings"
      extra={<Select aria-label={t('warnings.hours')} size="small" value={hours} onChange={setHours} options={[24, 72, 168].map((n) => ({ value: n, label: n < 168 ? t('hoursOpt', { n }) : t('daysOpt', { n: 7 }) }))} style={{ width: 110 }} />}
      loading={q.isPending}
    >
      {q.isError && <Alert type={unavailable(q.error) ? 'info' : 'error'} showIcon title={unavailable(q.error) ? t('warnings.unavailable') : t('error', { message: q.error.message })} />}
      {q.data && rows.length === 0 && <Empty description={t('warnings.none')} />}
      {rows.length > 0 && (
        <List
          size="small"
          style={{ maxHeight: 320, overflow: 'auto' }}
          dataSource={rows}
          renderItem={(r) => (
            <List.Item key={r.key} data-testid={`warning-${r.kind}`}>
              <Flex wrap gap={6} align="baseline">
                <Tag color={colour[r.kind]}>{t(`warnings.${r.kind}`)}</Tag>
                <Typography.Text type="secondary">{fmtTime(r.time, lang)}</Typography.Text>
                <span>{r.text}</span>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function ExpiringStock() {
  const { t, i18n } = useTranslation('overview');
  const lang = i18n.language;
  const [hours, setHours] = useState(24);
  const [expired, setExpired] = useState(false);
  const q = useQuery({ queryKey: ['overview-expiring', hours, expired], queryFn: () => api<Expiring>(`/api/overview/expiring${qs({ hours, pastHours: expired ? 168 : 0 })}`), refetchInterval: 300_000, retry: false });
  return (
    <Card
      title={sectionTitle(t('expiring.title'))}
      size="small"
      data-testid="overview-expiring"
      extra={
        <Space wrap>
          <Select aria-label={t('expiring.window')} size="small" value={hours} onChange={setHours} options={[24, 72, 168].map((n) => ({ value: n, label: n < 168 ? t('hoursOpt', { n }) : t('daysOpt', { n: 7 }) }))} style={{ width: 110 }} />
          <label>
            <Switch size="small" checked={expired} onChange={setExpired} aria-label={t('expiring.expired')} /> <span style={{ fontSize: 12 }}>{t('expiring.expired')}</span>
          </label>
        </Space>
      }
    >
      {q.isError && <Alert type={unavailable(q.error) ? 'info' : 'error'} showIcon title={unavailable(q.error) ? t('expiring.unavailable') : t('error', { message: q.error.message })} />}
      {q.data && <Typography.Paragraph type="secondary">{t('expiring.totals', q.data.totals)}</Typography.Paragraph>}
      {!q.isError && (
        <Table
          size="small"
          loading={q.isPending}
          rowKey={(r) => r.place.id}
          pagination={false}
          scroll={{ x: 'max-content', y: 420 }}
          dataSource={(q.data?.places ?? []) as Expiring['places'][number][]}
          locale={{ emptyText: t('expiring.none') }}
          columns={[
            { title: t('expiring.place'), render: (_, r) => localName(r.place.name, lang) ?? lastSegment(r.place.id) },
            { title: t('expiring.city'), render: (_, r) => r.place.city ?? '—' },
            { title: t('expiring.units'), dataIndex: 'onHand', align: 'right', sorter: (a, b) => a.onHand - b.onHand },
            { title: t('expiring.earliest'), render: (_, r) => fmtTime(r.earliestExpiry, lang), sorter: (a, b) => a.earliestExpiry.localeCompare(b.earliestExpiry), defaultSortOrder: 'ascend' },
            {
              title: t('expiring.lots'),
              render: (_, r) =>
                r.lots.map((l) => (
                  <div key={l.lot}>
                    {l.lotNumber ?? lastSegment(l.lot)} · {(lang === 'en' ? l.productName?.en : l.productName?.zh) ?? ''} · {l.onHand}
                    {l.expired && <Tag color="red" style={{ marginLeft: 4 }}>{t('expiring.expiredTag')}</Tag>}
                  </div>
                )),
            },
          ]}
        />
      )}
    </Card>
  );
}

function CaptureActivity() {
  const { t } = useTranslation('overview');
  const q = useQuery({ queryKey: ['capture-jobs'], queryFn: () => api<CaptureJob[] | { jobs?: CaptureJob[] }>('/epcis/capture?limit=500'), refetchInterval: 60_000 });
  const now = useNow(60_000);
  const jobs = useMemo(() => (Array.isArray(q.data) ? q.data : (q.data?.jobs ?? [])), [q.data]);
  const { option, events, count, failed } = useMemo(() => {
    const hourMs = 3600_000;
    const end = Math.floor(now / hourMs) * hourMs + hourMs;
    const buckets = Array.from({ length: 24 }, (_, i) => ({ at: end - (24 - i) * hourMs, n: 0 }));
    let events = 0;
    let count = 0;
    let failed = 0;
    for (const j of jobs) {
      const at = Date.parse(j.createdAt);
      const i = Math.floor((at - (end - 24 * hourMs)) / hourMs);
      if (i < 0 || i >= 24) continue;
      count++;
      if (!j.success && !j.running) failed++;
      events += j.eventCount;
      (buckets[i] as { n: number }).n += j.eventCount;
    }
    const option: ChartOption = {
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 12, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: buckets.map((b) => `${String(new Date(b.at).getHours()).padStart(2, '0')}:00`), axisLabel: { interval: 3 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('capture.series'), data: buckets.map((b) => b.n), itemStyle: { color: '#1d39c4' } }],
    };
    return { option, events, count, failed };
  }, [jobs, now, t]);
  return (
    <Card title={sectionTitle(t('capture.title'))} size="small" data-testid="overview-capture" loading={q.isPending}>
      {q.isError && <Alert type="error" showIcon title={t('error', { message: q.error.message })} />}
      <Flex wrap gap={24}>
        <Statistic title={t('capture.events')} value={events} />
        <Statistic title={t('capture.jobs')} value={count} />
        <Statistic title={t('capture.failed')} value={failed} />
      </Flex>
      <Chart option={option} label={t('capture.label')} height={220} testId="capture-chart" />
    </Card>
  );
}
