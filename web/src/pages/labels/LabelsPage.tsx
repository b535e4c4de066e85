/**
 * Labels (标签打印): choose a product and a batch (type its code or allocate the next one), preview the
 * batch's symbol, and print the unit labels as a PDF sheet — each label with its own serial — on a
 * stock the server offers (GET /api/labels/layouts). Reprints take serials already printed.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, Col, Descriptions, Flex, Form, Input, InputNumber, Radio, Row, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { addTranslations } from '../../i18n.ts';
import { fetchBlob, fileNameOf, saveBlob } from '../master-data/md-http.ts';
import type { MasterRecord } from '../master-data/md-schema.ts';

addTranslations('labels', {
  'zh-CN': {
    title: '标签打印',
    intro: '为一个批次打印单品标签：每张标签有唯一序列号，二维码（GS1 数字链接）或 GS1 DataMatrix，中英文品名、批号、生产和到期时间。',
    step1: '1. 产品与批号',
    step2: '2. 预览',
    step3: '3. 打印',
    product: '产品',
    productPlaceholder: '选择产品',
    noGtin: '无 GTIN，不能打印',
    batch: '批号',
    batchHelp: '输入已有批号，或分配一个新批号',
    allocate: '分配新批号',
    allocateTitle: '按批号规则分配下一个批号',
    date: '生产日期',
    line: '产线',
    shift: '班次',
    variant: '变体（可选）',
    doAllocate: '分配',
    allocated: '已分配批号 {{code}}',
    symbology: '码制',
    preview: '批次码预览',
    previewAlt: '{{code}} 的{{symbology}}',
    previewHint: '选择有 GTIN 的产品并填写批号后显示。打印的每张标签还带各自的序列号。',
    mode: '打印方式',
    modeNew: '新标签（分配新序列号）',
    modeReprint: '补打（已打印的序列号）',
    count: '张数',
    from: '起始序列号',
    to: '结束序列号',
    layout: '标签纸',
    producedAt: '生产时间（本地时间，留空为现在）',
    print: '生成 PDF',
    generating: '正在生成 {{count}} 张标签的 PDF…（已用 {{seconds}} 秒）',
    done: '已生成并下载 {{file}}',
    serials: '序列号',
    expiresAt: '到期时间',
    warnings: '提示',
    failed: '打印失败',
    required: '必填',
  },
  en: {
    title: 'Labels',
    intro: 'Print the unit labels of a batch: each label has its own serial, a QR Code (GS1 Digital Link) or GS1 DataMatrix, the product name in Chinese and English, the batch code, production and expiry times.',
    step1: '1. Product and batch',
    step2: '2. Preview',
    step3: '3. Print',
    product: 'Product',
    productPlaceholder: 'Choose a product',
    noGtin: 'no GTIN, cannot print',
    batch: 'Batch code',
    batchHelp: 'Type an existing batch code, or allocate a new one',
    allocate: 'Allocate a new batch code',
    allocateTitle: 'Allocate the next batch code by the batch-code rule',
    date: 'Production date',
    line: 'Line',
    shift: 'Shift',
    variant: 'Variant (optional)',
    doAllocate: 'Allocate',
    allocated: 'Allocated batch code {{code}}',
    symbology: 'Symbology',
    preview: 'Batch symbol preview',
    previewAlt: '{{symbology}} of {{code}}',
    previewHint: 'Shown once a product with a GTIN and a batch code are chosen. Each printed label also carries its own serial.',
    mode: 'What to print',
    modeNew: 'New labels (fresh serials)',
    modeReprint: 'Reprint (serials already printed)',
    count: 'Number of labels',
    from: 'First serial',
    to: 'Last serial',
    layout: 'Label stock',
    producedAt: 'Production time (local; empty for now)',
    print: 'Generate PDF',
    generating: 'Generating the PDF of {{count}} labels… ({{seconds}} s)',
    done: 'Generated and downloaded {{file}}',
    serials: 'Serials',
    expiresAt: 'Expires at',
    warnings: 'Notes',
    failed: 'Printing failed',
    required: 'Required',
  },
});

interface Layouts {
  readonly layouts: readonly { layout: string; labelZh: string; labelEn: string; labelsPerPage: number }[];
  readonly symbologies: readonly { symbology: string; labelZh: string; labelEn: string }[];
  readonly defaultLayout: string;
}
interface Schemes { readonly items: readonly { productLine: string; config: { lines?: string[]; shifts?: string[] } }[]; readonly default: { lines?: string[]; shifts?: string[] } }
interface Printed { readonly file: string; readonly serials: string; readonly expiresAt: string; readonly warnings: string }

/** The browser's UTC offset as ±HH:MM. */
function browserOffset(): string {
  const m = -new Date().getTimezoneOffset();
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
const today = (): string => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.round((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

export default function LabelsPage() {
  const { t, i18n } = useTranslation('labels');
  const en = i18n.language === 'en';
  const { can } = useAuth();
  const mayPrint = can('events:capture');
  const [productId, setProductId] = useState<string | undefined>();
  const [batchCode, setBatchCode] = useState('');
  const [symbology, setSymbology] = useState('qrCode');
  const [layout, setLayout] = useState<string | undefined>();
  const [mode, setMode] = useState<'new' | 'reprint'>('new');
  const [count, setCount] = useState<number | null>(24);
  const [range, setRange] = useState<{ from: number | null; to: number | null }>({ from: 1, to: 1 });
  const [producedAt, setProducedAt] = useState('');
  const [allocating, setAllocating] = useState(false);
  const [alloc, setAlloc] = useState({ date: today(), line: '', shift: '', variant: '' });

  const products = useQuery({ queryKey: ['md', 'products', 'options'], queryFn: () => api<{ items: MasterRecord[] }>(`/api/products${qs({ limit: 1000 })}`) });
  const layouts = useQuery({ queryKey: ['label-layouts'], queryFn: () => api<Layouts>('/api/labels/layouts'), staleTime: Infinity });
  const schemes = useQuery({ queryKey: ['batch-code-schemes'], queryFn: () => api<Schemes>('/api/batch-code-schemes') });
  const product = products.data?.items.find((p) => p.productId === productId);
  const gtin = product?.gtin ? String(product.gtin) : null;
  const productLine = product?.productLine ? String(product.productLine) : undefined;
  const scheme = schemes.data?.items.find((s) => s.productLine === productLine)?.config ?? schemes.data?.default;
  const chosenLayout = layout ?? layouts.data?.defaultLayout ?? 'a4-3x8';

  // The preview is the batch's own symbol: GTIN + batch code (each printed label adds its serial).
  const code = gtin && batchCode.trim() ? `(01)${gtin}(10)${batchCode.trim()}` : null;
  const [debounced, setDebounced] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(code), 300);
    return () => clearTimeout(timer);
  }, [code]);
  const symbol = useQuery({
    queryKey: ['label-symbol', debounced, symbology],
    enabled: debounced !== null,
    queryFn: async ({ signal }) => URL.createObjectURL((await fetchBlob(`/api/labels/symbol${qs({ code: debounced, symbology, format: 'svg' })}`, { signal })).blob),
    staleTime: Infinity,
  });
  useEffect(() => {
    const url = symbol.data;
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [symbol.data]);

  const allocate = useMutation({
    mutationFn: () =>
      api<{ codes: string[] }>('/api/batch-codes', {
        method: 'POST',
        body: { productLine, date: alloc.date || undefined, line: alloc.line.trim().toUpperCase(), shift: alloc.shift.trim().toUpperCase(), variant: alloc.variant.trim().toUpperCase() || undefined, count: 1, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      }),
    onSuccess: (r) => {
      setBatchCode(r.codes[0] ?? '');
      setAllocating(false);
    },
  });

  const print = useMutation({
    mutationFn: async (): Promise<Printed> => {
      const body = {
        productId,
        batchCode: batchCode.trim(),
        layout: chosenLayout,
        symbology,
        timeZoneOffset: browserOffset(),
        ...(mode === 'new' ? { count } : { reprint: range }),
        ...(producedAt ? { producedAt: `${producedAt.length === 16 ? `${producedAt}:00` : producedAt}${browserOffset()}` } : {}),
      };
      const { blob, headers } = await fetchBlob('/api/labels/batch', { body });
      const file = fileNameOf(headers, `labels-${batchCode.trim()}.pdf`);
      saveBlob(blob, file);
      return { file, serials: headers.get('x-lotline-serials') ?? '', expiresAt: headers.get('x-lotline-expires-at') ?? '', warnings: decodeURIComponent(headers.get('x-lotline-warnings') ?? '') };
    },
  });
  const seconds = useElapsed(print.isPending);
  const labelCount = mode === 'new' ? (count ?? 0) : Math.max(0, (range.to ?? 0) - (range.from ?? 0) + 1);
  const ready = Boolean(productId && gtin && batchCode.trim() && labelCount > 0 && mayPrint);

  const productOptions = useMemo(
    () => (products.data?.items ?? []).map((p) => ({
      value: String(p.productId),
      label: `${String(en ? p.nameEn : p.nameZh)} · ${String(p.productId)}${p.gtin ? ` · ${String(p.gtin)}` : ` · ${t('noGtin')}`}`,
      disabled: !p.gtin,
    })),
    [products.data, en, t],
  );
  const errorText = (e: unknown) => (e instanceof ApiError ? [e.title, e.message !== e.title ? e.message : '', ...e.errors.map((x) => `${x.pointer}: ${x.message}`)].filter(Boolean).join(' — ') : String(e));
  const symbologyLabel = layouts.data?.symbologies.find((s) => s.symbology === symbology);

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('step1')}</Typography.Title>}>
            <Form layout="vertical">
              <Form.Item label={t('product')} htmlFor="label-product" required>
                <Select
                  id="label-product"
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('productPlaceholder')}
                  loading={products.isLoading}
                  value={productId}
                  onChange={setProductId}
                  options={productOptions}
                  data-testid="label-product"
                />
              </Form.Item>
              <Form.Item label={t('batch')} htmlFor="label-batch" extra={t('batchHelp')} required>
                <Flex gap={8} wrap>
                  <Input id="label-batch" value={batchCode} onChange={(e) => setBatchCode(e.target.value)} maxLength={20} style={{ flex: '1 1 180px' }} autoComplete="off" data-testid="label-batch" />
                  {mayPrint && <Button onClick={() => setAllocating((v) => !v)} aria-expanded={allocating} data-testid="label-allocate-toggle">{t('allocate')}</Button>}
                </Flex>
              </Form.Item>
              {allocating && (
                <Card size="small" type="inner" title={t('allocateTitle')} style={{ marginBottom: 16 }}>
                  <Flex wrap gap={8} align="flex-end">
                    <Form.Item label={t('date')} htmlFor="alloc-date" style={{ marginBottom: 0 }}>
                      <Input id="alloc-date" type="date" value={alloc.date} onChange={(e) => setAlloc({ ...alloc, date: e.target.value })} />
                    </Form.Item>
                    <Form.Item label={t('line')} htmlFor="alloc-line" style={{ marginBottom: 0 }}>
                      <AutoComplete id="alloc-line" aria-label={t('line')} style={{ width: 110 }} value={alloc.line} onChange={(v: string) => setAlloc({ ...alloc, line: v })} options={(scheme?.lines ?? []).map((l) => ({ value: l }))} />
                    </Form.Item>
                    <Form.Item label={t('shift')} htmlFor="alloc-shift" style={{ marginBottom: 0 }}>
                      <AutoComplete id="alloc-shift" aria-label={t('shift')} style={{ width: 110 }} value={alloc.shift} onChange={(v: string) => setAlloc({ ...alloc, shift: v })} options={(scheme?.shifts ?? ['AM', 'PM']).map((s) => ({ value: s }))} />
                    </Form.Item>
                    <Form.Item label={t('variant')} htmlFor="alloc-variant" style={{ marginBottom: 0 }}>
                      <Input id="alloc-variant" style={{ width: 110 }} value={alloc.variant} onChange={(e) => setAlloc({ ...alloc, variant: e.target.value })} />
                    </Form.Item>
                    <Button type="primary" loading={allocate.isPending} disabled={!alloc.line.trim() || !alloc.shift.trim()} onClick={() => allocate.mutate()} data-testid="alloc-submit">{t('doAllocate')}</Button>
                  </Flex>
                  {allocate.error && <Alert style={{ marginTop: 8 }} type="error" showIcon title={errorText(allocate.error)} />}
                </Card>
              )}
              {allocate.data && !allocating && <Alert type="success" showIcon title={t('allocated', { code: allocate.data.codes[0] })} style={{ marginBottom: 16 }} />}
              <Form.Item label={t('symbology')}>
                <Radio.Group value={symbology} onChange={(e) => setSymbology(e.target.value as string)} aria-label={t('symbology')}>
                  {(layouts.data?.symbologies ?? []).map((s) => (
                    <Radio key={s.symbology} value={s.symbology}>{en ? s.labelEn : s.labelZh}</Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('step2')}</Typography.Title>} data-testid="label-preview">
            <Flex vertical align="center" gap={8}>
              {!code && <Typography.Text type="secondary">{t('previewHint')}</Typography.Text>}
              {code && symbol.isFetching && <Spin />}
              {code && symbol.error && <Alert type="error" showIcon title={errorText(symbol.error)} />}
              {code && symbol.data && !symbol.isFetching && (
                <img
                  src={symbol.data}
                  alt={t('previewAlt', { code, symbology: symbologyLabel ? (en ? symbologyLabel.labelEn : symbologyLabel.labelZh) : symbology })}
                  style={{ width: 180, height: 180, objectFit: 'contain', background: '#fff' }}
                  data-testid="label-symbol"
                />
              )}
              {code && <Typography.Text code style={{ wordBreak: 'break-all' }}>{code}</Typography.Text>}
              {product && (
                <Typography.Text>
                  {String(product.nameZh)} / {String(product.nameEn)}
                </Typography.Text>
              )}
            </Flex>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('step3')}</Typography.Title>}>
            <Form layout="vertical">
              <Form.Item label={t('mode')}>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'new' | 'reprint')} aria-label={t('mode')}>
                  <Radio value="new">{t('modeNew')}</Radio>
                  <Radio value="reprint">{t('modeReprint')}</Radio>
                </Radio.Group>
              </Form.Item>
              <Flex wrap gap={16}>
                {mode === 'new' ? (
                  <Form.Item label={t('count')} htmlFor="label-count">
                    <InputNumber id="label-count" min={1} max={10000} precision={0} value={count} onChange={setCount} data-testid="label-count" />
                  </Form.Item>
                ) : (
                  <>
                    <Form.Item label={t('from')} htmlFor="label-from">
                      <InputNumber id="label-from" min={1} precision={0} value={range.from} onChange={(v) => setRange({ ...range, from: v })} />
                    </Form.Item>
                    <Form.Item label={t('to')} htmlFor="label-to">
                      <InputNumber id="label-to" min={1} precision={0} value={range.to} onChange={(v) => setRange({ ...range, to: v })} />
                    </Form.Item>
                  </>
                )}
                <Form.Item label={t('producedAt')} htmlFor="label-produced">
                  <Input id="label-produced" type="datetime-local" value={producedAt} onChange={(e) => setProducedAt(e.target.value)} style={{ maxWidth: 240 }} />
                </Form.Item>
              </Flex>
              <Form.Item label={t('layout')}>
                <Radio.Group value={chosenLayout} onChange={(e) => setLayout(e.target.value as string)} aria-label={t('layout')}>
                  <Space direction="vertical">
                    {(layouts.data?.layouts ?? []).map((l) => (
                      <Radio key={l.layout} value={l.layout}>{en ? l.labelEn : l.labelZh}</Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </Form.Item>
              <Button type="primary" size="large" disabled={!ready} loading={print.isPending} onClick={() => print.mutate()} data-testid="label-print">
                {t('print')}
              </Button>
            </Form>
            <div aria-live="polite" style={{ marginTop: 16 }}>
              {print.isPending && (
                <Flex gap={8} align="center" data-testid="label-progress">
                  <Spin /> <Typography.Text>{t('generating', { count: labelCount, seconds })}</Typography.Text>
                </Flex>
              )}
              {print.error && <Alert type="error" showIcon title={t('failed')} description={errorText(print.error)} data-testid="label-error" />}
              {print.data && !print.isPending && (
                <Alert
                  type="success"
                  showIcon
                  data-testid="label-done"
                  title={t('done', { file: print.data.file })}
                  description={
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label={t('serials')}>{print.data.serials}</Descriptions.Item>
                      <Descriptions.Item label={t('expiresAt')}>{print.data.expiresAt}</Descriptions.Item>
                      {print.data.warnings && <Descriptions.Item label={t('warnings')}>{print.data.warnings}</Descriptions.Item>}
                    </Descriptions>
                  }
                />
              )}
            </div>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
