/**
 * The parts of a trace answer: the batch story with its environment chart, raw lots, shipments,
 * quantities by location, mass balance and co-exposure scope. Each reads only the public API.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Flex, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchInfo, MassBalanceReport, RawLotInfo, ScopeReport, ScopeRule, SensorReading, ShipmentInfo, LocationQuantities } from '../../../../src/app/trace/types.ts';
import { ApiError, api, qs } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/trace-chart.tsx';
import { fmtTime, localName, measureName, productLabel, shortId } from './texts.ts';

export interface ExcursionLimit {
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
}

const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
const QC_OK = new Set(['conformant', 'active', 'in_progress']);

function QcTags({ qc }: { readonly qc: BatchInfo['qc'] }) {
  const { i18n } = useTranslation('trace');
  return (
    <Space wrap size={4}>
      {qc.map((q) => {
        const d = q.disposition ? shortId(q.disposition) : q.bizStep ? shortId(q.bizStep) : '?';
        return (
          <Tag key={q.eventId} color={q.disposition && !QC_OK.has(shortId(q.disposition)) ? 'red' : 'green'} title={q.certifications.join(', ')}>
            {d} · {fmtTime(q.time, i18n.language)}
          </Tag>
        );
      })}
    </Space>
  );
}

/** Readings by measurement type as lines, each type's limits as dashed mark lines, alarms marked. */
function environmentOption(readings: readonly SensorReading[], limits: readonly ExcursionLimit[], alarm: string, limitWord: string): ChartOption {
  const types = [...new Set(readings.map((r) => measureName(r.type)))];
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 36, bottom: 36 },
    xAxis: { type: 'time' },
    yAxis: types.map((_, i) => ({ type: 'value', scale: true, position: i === 0 ? 'left' : 'right', splitLine: { show: i === 0 } })),
    series: types.map((type, i) => {
      const rows = readings.filter((r) => measureName(r.type) === type && r.value !== null).sort((a, b) => a.time.localeCompare(b.time));
      const uom = rows[0]?.uom ?? '';
      const lim = limits.filter((l) => measureName(l.type) === type);
      const lines = lim.flatMap((l) => [
        ...(l.max !== undefined ? [{ yAxis: l.max, name: `${limitWord} ≤ ${l.max}` }] : []),
        ...(l.min !== undefined ? [{ yAxis: l.min, name: `${limitWord} ≥ ${l.min}` }] : []),
      ]);
      return {
        type: 'line',
        name: `${type}${uom ? ` (${uom})` : ''}`,
        yAxisIndex: Math.min(i, types.length - 1),
        data: rows.map((r) => [r.time, r.value]),
        symbolSize: 6,
        markLine: lines.length ? { symbol: 'none', lineStyle: { type: 'dashed', color: '#cf1322' }, label: { formatter: '{b}', position: 'insideEndTop', color: '#a8071a' }, data: lines } : undefined,
        markPoint: {
          symbol: 'pin',
          symbolSize: 28,
          itemStyle: { color: '#cf1322' },
          label: { formatter: '!', color: '#fff' },
          data: rows.filter((r) => r.exception !== null).map((r) => ({ coord: [r.time, r.value], name: alarm })),
        },
      };
    }),
  };
}

export function BatchStory({ batch, limits }: { readonly batch: BatchInfo; readonly limits: readonly ExcursionLimit[] }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  const option = useMemo(() => environmentOption(batch.environment, limits, t('batch.alarm'), t('batch.limit')), [batch.environment, limits, t]);
  const params = Object.entries(batch.parameters);
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('batch.title')} {batch.lotNumber ?? shortId(batch.lot)}</Typography.Title>} data-testid="batch-story" size="small">
      <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
        <Descriptions.Item label={t('batch.lot')}><span data-testid="batch-lot">{batch.lotNumber ?? shortId(batch.lot)}</span></Descriptions.Item>
        <Descriptions.Item label={t('batch.product')}>{dash(productLabel(batch.productName, lang))}</Descriptions.Item>
        <Descriptions.Item label={t('batch.producedAt')}>{fmtTime(batch.producedAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('batch.quantity')}>{batch.quantity ?? '—'} {batch.uom ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('batch.line')}><span data-testid="batch-line">{dash(localName(batch.line?.name, lang) ?? batch.line?.id)}</span></Descriptions.Item>
        <Descriptions.Item label={t('batch.plant')}>{dash(localName(batch.plant?.name, lang) ?? batch.plant?.id)}</Descriptions.Item>
        <Descriptions.Item label={t('batch.shift')}>{dash(batch.shift)}</Descriptions.Item>
        <Descriptions.Item label={t('batch.operators')}>{batch.operators.join(', ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('batch.equipment')}>
          <span data-testid="batch-equipment">
            {batch.equipment.map((e) => (
              <Tag key={e}>{e}</Tag>
            ))}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('batch.session')}>{dash(batch.session)}</Descriptions.Item>
        <Descriptions.Item label={t('batch.workOrders')}>{batch.workOrders.map(shortId).join(', ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('batch.parameters')}>
          {params.length === 0 ? '—' : params.map(([k, v]) => <div key={k}>{shortId(k)}: {typeof v === 'object' ? JSON.stringify(v) : String(v)}</div>)}
        </Descriptions.Item>
        <Descriptions.Item label={t('batch.inputs')} span={{ xs: 1, md: 2, lg: 3 }}>
          {batch.inputs.map((i) => (
            <div key={i.node}>{shortId(i.node)}: {i.quantity ?? '—'} {i.uom ?? ''}</div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('batch.qc')} span={{ xs: 1, md: 2, lg: 3 }}>{batch.qc.length ? <QcTags qc={batch.qc} /> : t('batch.noQc')}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={4} style={{ fontSize: 15, marginTop: 16 }}>{t('batch.environment')}</Typography.Title>
      {batch.environment.length === 0 ? <Empty description={t('batch.noEnv')} /> : <Chart option={option} label={t('batch.envLabel', { lot: batch.lotNumber ?? batch.lot })} height={280} testId="environment-chart" />}
    </Card>
  );
}

export function RawLots({ lots }: { readonly lots: readonly RawLotInfo[] }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('raw.title')}</Typography.Title>} size="small" data-testid="raw-lots">
      <Table
        size="small"
        rowKey="lot"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={lots as RawLotInfo[]}
        locale={{ emptyText: t('raw.none') }}
        columns={[
          { title: t('raw.lot'), render: (_, r) => r.lotNumber ?? shortId(r.lot) },
          { title: t('raw.product'), render: (_, r) => dash(productLabel(r.productName, lang)) },
          { title: t('raw.supplier'), render: (_, r) => (r.supplier ? `${localName(r.supplier.name, lang) ?? shortId(r.supplier.id)}${r.supplier.city ? ` (${r.supplier.city})` : ''}` : '—') },
          { title: t('raw.received'), render: (_, r) => r.received.map((x, i) => <div key={i}>{fmtTime(x.time, lang)} · {x.quantity ?? '—'} {x.uom ?? ''}</div>) },
          { title: t('raw.qc'), render: (_, r) => (r.qc.length ? <QcTags qc={r.qc} /> : '—') },
        ]}
      />
    </Card>
  );
}

function readingsSummary(readings: readonly SensorReading[], alarm: string): string {
  const byType = new Map<string, number[]>();
  for (const r of readings) if (r.value !== null) byType.set(`${measureName(r.type)}${r.uom ? ` ${r.uom}` : ''}`, [...(byType.get(`${measureName(r.type)}${r.uom ? ` ${r.uom}` : ''}`) ?? []), r.value]);
  const parts = [...byType].map(([k, v]) => `${k}: ${Math.min(...v)}–${Math.max(...v)}`);
  if (readings.some((r) => r.exception !== null)) parts.push(`⚠ ${alarm}`);
  return parts.join('; ') || '—';
}

export function Shipments({ shipments }: { readonly shipments: readonly ShipmentInfo[] }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('ship.title')}</Typography.Title>} size="small" data-testid="shipments">
      <Table
        size="small"
        rowKey="eventId"
        pagination={false}
        scroll={{ x: 'max-content', y: 480 }}
        dataSource={shipments as ShipmentInfo[]}
        locale={{ emptyText: t('ship.none') }}
        columns={[
          { title: t('ship.time'), render: (_, s) => fmtTime(s.time, lang), sorter: (a, b) => a.time.localeCompare(b.time), defaultSortOrder: 'ascend' },
          { title: t('ship.from'), render: (_, s) => dash(localName(s.from?.name, lang) ?? s.from?.id) },
          { title: t('ship.to'), render: (_, s) => dash(localName(s.to?.name, lang) ?? s.to?.id) },
          { title: t('ship.vehicle'), render: (_, s) => (s.vehicle ? shortId(s.vehicle) : '—') },
          { title: t('ship.units'), dataIndex: 'units', align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('ship.receivedAt'), render: (_, s) => (s.receivedAt ? fmtTime(s.receivedAt, lang) : <Tag color="orange">{t('ship.notReceived')}</Tag>) },
          {
            title: t('ship.readings'),
            render: (_, s) => {
              const alarmed = s.temperature.some((r) => r.exception !== null);
              return <span style={alarmed ? { color: '#a8071a', fontWeight: 600 } : undefined}>{readingsSummary(s.temperature, t('batch.alarm'))}</span>;
            },
          },
        ]}
      />
    </Card>
  );
}

export function Locations({ locations }: { readonly locations: readonly LocationQuantities[] }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  const stores = locations.filter((l) => l.place.type === 'store');
  const cities = new Set(stores.map((l) => l.place.city).filter(Boolean));
  const num = (k: keyof Omit<LocationQuantities, 'place' | 'uom'>) => ({
    title: t(`loc.${k}`),
    dataIndex: k,
    align: 'right' as const,
    sorter: (a: LocationQuantities, b: LocationQuantities) => a[k] - b[k],
  });
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('loc.title')}</Typography.Title>}
      extra={<span data-testid="store-summary">{t('loc.summary', { stores: stores.length, cities: cities.size })}</span>}
      size="small"
      data-testid="locations"
    >
      <Table
        size="small"
        rowKey={(l) => `${l.place.id}|${l.uom ?? ''}`}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={locations as LocationQuantities[]}
        locale={{ emptyText: t('loc.none') }}
        columns={[
          { title: t('loc.place'), render: (_, l) => localName(l.place.name, lang) ?? shortId(l.place.id), sorter: (a, b) => (a.place.name ?? a.place.id).localeCompare(b.place.name ?? b.place.id) },
          {
            title: t('loc.city'),
            dataIndex: ['place', 'city'],
            sorter: (a, b) => (a.place.city ?? '').localeCompare(b.place.city ?? ''),
            filters: [...new Set(locations.map((l) => l.place.city ?? ''))].filter(Boolean).map((c) => ({ text: c, value: c })),
            onFilter: (v, l) => l.place.city === v,
          },
          { title: t('loc.type'), dataIndex: ['place', 'type'], render: (v: string | null) => dash(v) },
          num('produced'),
          num('received'),
          num('shipped'),
          num('sold'),
          num('onHand'),
          num('returned'),
          num('destroyed'),
        ]}
      />
    </Card>
  );
}

export function MassBalance({ code }: { readonly code: string }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  const q = useQuery({ queryKey: ['mass-balance', code], queryFn: () => api<MassBalanceReport>(`/api/mass-balance${qs({ code })}`), retry: false });
  const title = <Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('mb.title')}</Typography.Title>;
  if (q.isPending) return <Card title={title} size="small" loading />;
  if (q.isError) {
    const bad = q.error instanceof ApiError && q.error.status === 400;
    return (
      <Card title={title} size="small" data-testid="mass-balance">
        <Alert type={bad ? 'info' : 'error'} showIcon title={bad ? t('mb.notLot', { message: q.error.message }) : q.error.message} />
      </Card>
    );
  }
  const m = q.data;
  const stat = (k: 'produced' | 'shipped' | 'received' | 'inTransit' | 'sold' | 'returned' | 'destroyed' | 'wasted' | 'consumed' | 'onHand') => (
    <Statistic key={k} title={t(`mb.${k}`)} value={m[k]} style={{ minWidth: 96 }} />
  );
  const pct = m.accountedPercent;
  return (
    <Card title={title} size="small" data-testid="mass-balance">
      <Flex wrap gap={24} align="center">
        <div>
          <Progress type="circle" percent={pct} size={96} format={() => <span style={{ color: '#1f1f1f' }}>{pct} %</span>} status={pct >= 100 ? 'success' : 'exception'} aria-label={t('mb.accounted')} />
          <div style={{ textAlign: 'center' }}>
            {t('mb.accounted')}: <strong data-testid="mb-accounted">{pct} %</strong>
          </div>
        </div>
        <Flex wrap gap={16}>
          {(['produced', 'shipped', 'received', 'inTransit', 'sold', 'onHand', 'returned', 'destroyed', 'wasted', 'consumed'] as const).map(stat)}
        </Flex>
      </Flex>
      <Typography.Title level={4} style={{ fontSize: 15, marginTop: 16 }}>{t('mb.differences')}</Typography.Title>
      {m.differences.length === 0 ? (
        <Typography.Paragraph data-testid="mb-no-differences">{t('mb.noDifferences')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          rowKey={(d) => `${d.kind}|${d.place?.id ?? ''}|${d.detail}`}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={m.differences as MassBalanceReport['differences'][number][]}
          columns={[
            { title: t('mb.kind'), dataIndex: 'kind', render: (k: string) => <Tag color="red">{t(`mb.diffKind.${k}`)}</Tag> },
            { title: t('mb.place'), render: (_, d) => dash(localName(d.place?.name, lang) ?? d.place?.id) },
            { title: t('mb.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('mb.detail'), render: (_, d) => (lang === 'en' ? d.detail : d.detailZh) },
          ]}
        />
      )}
    </Card>
  );
}

const RULES: readonly ScopeRule[] = ['raw_lot', 'session', 'equipment', 'vehicle', 'excursion'];

export function Scope({ code }: { readonly code: string }) {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  const [rules, setRules] = useState<ScopeRule[]>([...RULES]);
  const [asked, setAsked] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['scope', code, asked], queryFn: () => api<ScopeReport>(`/api/scope${qs({ code, rules: asked ?? '' })}`), enabled: asked !== null, retry: false });
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('scope.title')}</Typography.Title>} size="small" data-testid="scope">
      <Typography.Paragraph>{t('scope.hint')}</Typography.Paragraph>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Checkbox.Group
          aria-label={t('scope.rules')}
          value={rules}
          onChange={(v) => setRules(v as ScopeRule[])}
          options={RULES.map((r) => ({ value: r, label: t(`scope.rule.${r}`) }))}
        />
        <Button onClick={() => setAsked(rules.join(','))} loading={q.isFetching} data-testid="scope-compute">{t('scope.compute')}</Button>
      </Flex>
      {q.isError && <Alert type="error" showIcon title={q.error.message} />}
      {q.data && (
        <>
          <Typography.Paragraph strong data-testid="scope-totals">{t('scope.totals', q.data.totals)}</Typography.Paragraph>
          <Table
            size="small"
            rowKey="lot"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={q.data.items as ScopeReport['items'][number][]}
            columns={[
              { title: t('scope.lot'), render: (_, i) => i.lotNumber ?? shortId(i.lot) },
              { title: t('scope.product'), render: (_, i) => dash(productLabel(i.productName, lang)) },
              {
                title: t('scope.evidence'),
                render: (_, i) =>
                  i.evidence.map((e, k) => (
                    <div key={k}>
                      <Tag color="geekblue">{t(`scope.rule.${e.rule}`)}</Tag> {lang === 'en' ? e.detail : e.detailZh}
                    </div>
                  )),
              },
              { title: t('scope.units'), align: 'right', render: (_, i) => i.locations.reduce((s, l) => s + l.produced, 0) || '—' },
              { title: t('scope.places'), align: 'right', render: (_, i) => i.locations.length },
            ]}
          />
        </>
      )}
    </Card>
  );
}
