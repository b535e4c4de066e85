/**
 * The trace explorer (issue 6): any code typed or scanned, traced upstream and/or downstream, shown as
 * a layered graph with the batch story, raw lots, shipments, quantities by location, mass balance and
 * co-exposure scope; exports; and the way into a recall. The URL keeps the code and direction, so a
 * trace can be shared and reloaded.
 */
import { CameraOutlined, DownloadOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, Radio, Row, Select, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { TraceDirection, TraceReport } from '../../../../src/app/trace/types.ts';
import { api, download, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Chart } from '../../components/trace-chart.tsx';
import { Scanner } from '../../components/trace-scanner.tsx';
import { type GraphKind, graphOption, traceGraph } from './graph.ts';
import { BatchStory, type ExcursionLimit, Locations, MassBalance, RawLots, Scope, Shipments } from './sections.tsx';
import { fmtTime, localName, productLabel, shortId } from './texts.ts';

/** Tall enough that the labelled columns (up to 40 nodes) do not overlap. */
const graphHeight = (graph: { nodes: readonly { kind: string }[] }): number => {
  const perColumn = new Map<string, number>();
  for (const n of graph.nodes) perColumn.set(n.kind, (perColumn.get(n.kind) ?? 0) + 1);
  const labelled = Math.max(0, ...[...perColumn.values()].filter((n) => n <= 40));
  return Math.min(900, Math.max(420, labelled * 24 + 80));
};

const DIRECTIONS: readonly TraceDirection[] = ['upstream', 'downstream', 'both'];
const isDirection = (v: string | null): v is TraceDirection => v !== null && (DIRECTIONS as readonly string[]).includes(v);

export default function TracePage() {
  const { t, i18n } = useTranslation('trace');
  const lang = i18n.language;
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const code = params.get('code')?.trim() ?? '';
  const direction: TraceDirection = isDirection(params.get('direction')) ? (params.get('direction') as TraceDirection) : 'both';
  const [draft, setDraft] = useState(code);
  const [scanning, setScanning] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => setDraft(code), [code]);
  useEffect(() => setFocus(null), [code, direction]);

  const go = useCallback((next: { code?: string; direction?: TraceDirection }) => {
    const c = (next.code ?? code).trim();
    const d = next.direction ?? direction;
    setParams(c ? { code: c, direction: d } : { direction: d });
  }, [code, direction, setParams]);

  const trace = useQuery({
    queryKey: ['trace', code, direction],
    queryFn: () => api<TraceReport>(`/api/trace${qs({ code, direction })}`),
    enabled: code !== '',
    retry: false,
  });
  const rules = useQuery({ queryKey: ['scope-rules'], queryFn: () => api<{ excursionLimits: ExcursionLimit[] }>('/api/scope-rules'), staleTime: 60_000 });
  const limits = rules.data?.excursionLimits ?? [];
  const onScan = useCallback((text: string) => {
    setScanning(false);
    go({ code: text });
  }, [go]);

  return (
    <main aria-labelledby="trace-title">
      <Typography.Title level={2} id="trace-title" style={{ marginTop: 0 }}>{t('title')}</Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph>{t('intro')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={() => go({ code: draft })} role="search">
          <Form.Item label={t('code')} htmlFor="trace-code" style={{ marginBottom: 8 }}>
            <Flex gap={8} wrap>
              <Input id="trace-code" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('codePlaceholder')} style={{ flex: '1 1 260px', minWidth: 0 }} data-testid="trace-code" />
              <Button type="primary" htmlType="submit" data-testid="trace-submit">{t('search')}</Button>
              <Button icon={<CameraOutlined />} onClick={() => setScanning(true)} data-testid="trace-scan">{t('scan')}</Button>
            </Flex>
          </Form.Item>
          <Form.Item label={t('direction')} style={{ marginBottom: 0 }}>
            <Radio.Group
              aria-label={t('direction')}
              optionType="button"
              value={direction}
              onChange={(e) => go({ direction: e.target.value as TraceDirection })}
              options={DIRECTIONS.map((d) => ({ value: d, label: t(`dir.${d}`) }))}
              data-testid="trace-direction"
            />
          </Form.Item>
        </Form>
      </Card>
      <Scanner open={scanning} onClose={() => setScanning(false)} onResult={onScan} />

      {code === '' && <Empty description={t('empty')} />}
      {trace.isPending && code !== '' && <Spin tip={t('search')} style={{ display: 'block', margin: 24 }}><div /></Spin>}
      {trace.isError && (
        <Alert type="error" showIcon role="alert" title={t('error')} description={trace.error.message} data-testid="trace-error" />
      )}
      {trace.data && (
        <Result
          report={trace.data}
          limits={limits}
          focus={focus}
          setFocus={setFocus}
          retrace={(node) => go({ code: node })}
          openRecall={can('recall:decide') ? () => navigate(`/recalls?open=${encodeURIComponent(code)}`) : null}
          lang={lang}
        />
      )}
    </main>
  );
}

interface ResultProps {
  readonly report: TraceReport;
  readonly limits: readonly ExcursionLimit[];
  readonly focus: string | null;
  readonly setFocus: (id: string | null) => void;
  readonly retrace: (node: string) => void;
  readonly openRecall: (() => void) | null;
  readonly lang: string;
}

function Result({ report, limits, focus, setFocus, retrace, openRecall, lang }: ResultProps) {
  const { t } = useTranslation('trace');
  const kindNames = useMemo(
    () => ({ raw: t('graph.legend.raw'), batch: t('graph.legend.batch'), unit: t('graph.legend.unit'), container: t('graph.legend.container'), vehicle: t('graph.legend.vehicle'), place: t('graph.legend.place') }) as Record<GraphKind, string>,
    [t],
  );
  const graph = useMemo(() => traceGraph(report, lang), [report, lang]);
  const option = useMemo(() => graphOption(graph, focus, kindNames), [graph, focus, kindNames]);
  const q = report.query;
  const lotCode = q.kind === 'lot' || q.kind === 'unit' ? q.code : null;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="trace-result">
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Text data-testid="trace-resolved" style={{ overflowWrap: 'anywhere' }}>
          {t('resolved', { kind: t(`kind.${q.kind}`), node: q.node })} · {t('took', { ms: Math.round(report.tookMs) })}
        </Typography.Text>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={() => void download(`/api/trace${qs({ code: q.code, direction: q.direction, format: 'csv' })}`, 'trace.csv')} data-testid="export-csv">{t('exp.csv')}</Button>
          <Button icon={<DownloadOutlined />} onClick={() => void download(`/api/trace${qs({ code: q.code, direction: q.direction, format: 'pdf' })}`, 'trace.pdf')} data-testid="export-pdf">{t('exp.pdf')}</Button>
          {openRecall && (
            <Button danger type="primary" icon={<WarningOutlined />} onClick={openRecall} data-testid="open-recall">{t('openRecall')}</Button>
          )}
        </Space>
      </Flex>
      {report.truncated && <Alert type="warning" showIcon title={t('truncated')} />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={focus ? 16 : 24}>
          <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('graph.title')}</Typography.Title>} size="small" data-testid="trace-graph">
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{t('graph.hint')}</Typography.Paragraph>
            {graph.total > graph.nodes.length && <Typography.Paragraph type="secondary">{t('graph.tooMany', { shown: graph.nodes.length, total: graph.total })}</Typography.Paragraph>}
            <Chart option={option} label={t('graph.label')} height={graphHeight(graph)} onClick={(e) => {
              const id = (e.data as { id?: string } | undefined)?.id;
              if (e.dataType === 'node' && id) setFocus(id);
            }} />
            {/* The graph's nodes as a list too, so they are reachable without a pointer. */}
            <details style={{ marginTop: 8 }}>
              <summary>{t('details.title')}</summary>
              <ul style={{ maxHeight: 200, overflow: 'auto', margin: 0, paddingLeft: 20 }}>
                {graph.nodes.slice(0, 200).map((n) => (
                  <li key={n.id}>
                    <Button type="link" size="small" onClick={() => setFocus(n.id)} style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}>
                      {kindNames[n.kind]}: {n.label.replace('\n', ' · ')}
                    </Button>
                  </li>
                ))}
              </ul>
            </details>
          </Card>
        </Col>
        {focus && (
          <Col xs={24} xl={8}>
            <NodeDetails id={focus} report={report} onRetrace={retrace} onClose={() => setFocus(null)} lang={lang} />
          </Col>
        )}
      </Row>

      {report.batches.map((b) => (
        <BatchStory key={b.lot} batch={b} limits={limits} />
      ))}
      {report.rawLots.length > 0 && <RawLots lots={report.rawLots} />}
      {report.shipments.length > 0 && <Shipments shipments={report.shipments} />}
      {report.locations.length > 0 && <Locations locations={report.locations} />}
      {lotCode && <MassBalance code={lotCode} />}
      <Scope code={q.code} />
      <Fsma204 defaultProduct={report.batches[0]?.gtin ?? report.nodes.find((n) => n.gtin)?.gtin ?? ''} />
    </Space>
  );
}

function NodeDetails({ id, report, onRetrace, onClose, lang }: { readonly id: string; readonly report: TraceReport; readonly onRetrace: (id: string) => void; readonly onClose: () => void; readonly lang: string }) {
  const { t } = useTranslation('trace');
  const node = report.nodes.find((n) => n.id === id);
  const place = report.locations.find((l) => l.place.id === id);
  const shipments = report.shipments.filter((s) => s.vehicle === id || s.items.includes(id) || s.to?.id === id);
  const traceable = node !== undefined;
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('details.title')}</Typography.Title>}
      size="small"
      data-testid="node-details"
      extra={<Button size="small" onClick={onClose}>{t('details.close')}</Button>}
    >
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('details.id')}><span style={{ overflowWrap: 'anywhere' }}>{id}</span></Descriptions.Item>
        {node && <Descriptions.Item label={t('details.kind')}>{t(`kind.${node.kind}`)}</Descriptions.Item>}
        {node?.productName && <Descriptions.Item label={t('details.product')}>{productLabel(node.productName, lang)}</Descriptions.Item>}
        {node && <Descriptions.Item label={t('details.depth')}>{node.depth}</Descriptions.Item>}
        {node && node.path.length > 1 && (
          <Descriptions.Item label={t('details.path')}>
            {node.path.map((s) => `${shortId(s.node)}${s.link ? ` (${s.link})` : ''}`).join(' → ')}
          </Descriptions.Item>
        )}
        {place && (
          <Descriptions.Item label={t('details.quantities')}>
            {localName(place.place.name, lang) ?? place.place.id} {place.place.city ? `(${place.place.city})` : ''}: {t('loc.received')} {place.received} · {t('loc.sold')} {place.sold} · {t('loc.onHand')} {place.onHand}
          </Descriptions.Item>
        )}
        {shipments.length > 0 && (
          <Descriptions.Item label={t('details.shipments')}>
            {shipments.slice(0, 10).map((s) => (
              <div key={s.eventId}>{fmtTime(s.time, lang)} · {localName(s.to?.name, lang) ?? s.to?.id ?? '—'} · {s.units ?? '—'}</div>
            ))}
          </Descriptions.Item>
        )}
      </Descriptions>
      {traceable && !id.startsWith('tx:') && (
        <Button type="primary" style={{ marginTop: 12 }} onClick={() => onRetrace(id)} data-testid="retrace">{t('details.retrace')}</Button>
      )}
    </Card>
  );
}

/** FSMA 204 sortable spreadsheet of a product over one month. */
function Fsma204({ defaultProduct }: { readonly defaultProduct: string }) {
  const { t } = useTranslation('trace');
  const [product, setProduct] = useState(defaultProduct);
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setProduct(defaultProduct), [defaultProduct]);
  const submit = async () => {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    if (!m) return;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
    setBusy(true);
    setError(null);
    try {
      await download(`/api/exports/fsma204${qs({ product, from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00`, format })}`, `fsma204.${format}`);
    } catch (e) {
      setError(t('exp.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0, fontSize: 18 }}>{t('exp.fsma')}</Typography.Title>} size="small" data-testid="fsma204">
      <Form layout="vertical" onFinish={() => void submit()}>
        <Flex wrap gap={12} align="end">
          <Form.Item label={t('exp.product')} htmlFor="fsma-product" style={{ marginBottom: 0, flex: '1 1 200px', maxWidth: 320 }}>
            <Input id="fsma-product" value={product} onChange={(e) => setProduct(e.target.value)} required />
          </Form.Item>
          <Form.Item label={t('exp.month')} htmlFor="fsma-month" style={{ marginBottom: 0, flex: '0 1 170px' }}>
            <Input id="fsma-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} required />
          </Form.Item>
          <Form.Item label={t('exp.format')} style={{ marginBottom: 0 }}>
            <Select aria-label={t('exp.format')} value={format} onChange={setFormat} options={[{ value: 'xlsx', label: 'XLSX' }, { value: 'csv', label: 'CSV' }]} style={{ width: 100 }} />
          </Form.Item>
          <Button htmlType="submit" icon={<DownloadOutlined />} loading={busy} data-testid="fsma-download">{t('exp.download')}</Button>
        </Flex>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}

