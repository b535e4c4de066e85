/**
 * The audit log (审计日志): who did what, when — searchable by text, action, actor, target type and id,
 * and time range, newest first, paged with the API's `before` cursor. Times are shown in the
 * browser's time zone (named, so nobody mistakes it for the server's); each entry's details expand as JSON.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Col, Flex, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../../api.ts';
import { addTranslations } from '../../i18n.ts';

addTranslations('audit', {
  'zh-CN': {
    title: '审计日志',
    intro: '每一次写操作都有记录：谁、何时、做了什么、对象是什么。时间按浏览器所在时区（{{zone}}）显示。',
    q: '全文搜索',
    qPlaceholder: '动作、对象编号、操作者或详情中的文字',
    action: '动作',
    actionPlaceholder: '如 products.create，或 products.* 匹配一类',
    actor: '操作者（令牌编号）',
    targetType: '对象类型',
    targetId: '对象编号',
    from: '起始时间',
    to: '截止时间',
    search: '搜索',
    reset: '清除条件',
    at: '时间',
    who: '操作者',
    target: '对象',
    detail: '详情',
    page: '第 {{page}} 页',
    newer: '较新',
    older: '较早',
    pageSize: '每页条数',
    perPage: '每页 {{n}}',
    request: '请求编号',
    none: '没有符合条件的记录',
  },
  en: {
    title: 'Audit log',
    intro: 'Every write is recorded: who, when, what, and on what. Times are in your browser\'s time zone ({{zone}}).',
    q: 'Full-text search',
    qPlaceholder: 'text in the action, target id, actor or details',
    action: 'Action',
    actionPlaceholder: 'e.g. products.create, or products.* for a family',
    actor: 'Actor (token id)',
    targetType: 'Target type',
    targetId: 'Target id',
    from: 'From',
    to: 'Until',
    search: 'Search',
    reset: 'Clear filters',
    at: 'Time',
    who: 'Actor',
    target: 'Target',
    detail: 'Details',
    page: 'Page {{page}}',
    newer: 'Newer',
    older: 'Older',
    pageSize: 'Rows per page',
    perPage: '{{n}} / page',
    request: 'Request id',
    none: 'No entries match',
  },
});

interface AuditItem {
  readonly auditId: number;
  readonly at: string;
  readonly actor: string;
  readonly role: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly detail: unknown;
  readonly requestId: string | null;
}
interface Filters { q?: string; action?: string; actor?: string; targetType?: string; targetId?: string; from?: string; to?: string }

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const parts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
/** An instant as `2025-09-05 08:00:00 GMT+8` in the browser's zone: sortable, the same in both languages, the zone named. */
function localTime(at: string, locale: string): string {
  const d = new Date(at);
  const p = Object.fromEntries(parts.formatToParts(d).map((x) => [x.type, x.value]));
  const zoneName = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zoneName}`;
}
/** A datetime-local value (browser's zone) as an instant with offset for the API. */
const toInstant = (local?: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

export default function AuditPage() {
  const { t, i18n } = useTranslation('audit');
  const { t: common } = useTranslation();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [limit, setLimit] = useState(50);
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const shortZone = i18n.language === 'en' ? 'en-GB' : 'zh-CN';

  const list = useQuery({
    queryKey: ['audit', filters, limit, cursors[page]],
    queryFn: () =>
      api<{ items: AuditItem[]; next: number | null }>(`/api/audit${qs({ ...filters, from: toInstant(filters.from), to: toInstant(filters.to), limit, before: cursors[page] })}`),
    placeholderData: (prev) => prev,
  });

  const apply = (values: Filters) => {
    const clean = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]).filter(([, v]) => v)) as Filters;
    setFilters(clean);
    setCursors([undefined]);
  };
  const text = (name: keyof Filters, label: string, placeholder?: string) => (
    <Col xs={24} sm={12} lg={8} key={name}>
      <Form.Item name={name} label={label} htmlFor={`audit-${name}`} style={{ marginBottom: 12 }}>
        <Input id={`audit-${name}`} placeholder={placeholder}  autoComplete="off" data-testid={`audit-${name}`} type={name === 'from' || name === 'to' ? 'datetime-local' : 'text'} />
      </Form.Item>
    </Col>
  );

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro', { zone })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={apply} role="search" aria-label={t('title')}>
        <Row gutter={12}>
          {text('q', t('q'), t('qPlaceholder'))}
          {text('action', t('action'), t('actionPlaceholder'))}
          {text('actor', t('actor'))}
          {text('targetType', t('targetType'))}
          {text('targetId', t('targetId'))}
          {text('from', t('from'))}
          {text('to', t('to'))}
        </Row>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Button type="primary" htmlType="submit" data-testid="audit-search">{t('search')}</Button>
          <Button onClick={() => { form.resetFields(); apply({}); }}>{t('reset')}</Button>
        </Flex>
      </Form>
      {list.error && <Typography.Text type="danger" role="alert">{list.error instanceof ApiError ? `${list.error.title}: ${list.error.message}` : String(list.error)}</Typography.Text>}
      <Table
        data-testid="audit-table"
        size="small"
        rowKey="auditId"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('none') }}
        expandable={{
          expandedRowRender: (r) => (
            <div>
              {r.requestId && <Typography.Paragraph type="secondary">{t('request')}: <Typography.Text code>{r.requestId}</Typography.Text></Typography.Paragraph>}
              <pre data-testid="audit-detail" style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, background: '#f5f5f5', padding: 8, borderRadius: 4 }}>{JSON.stringify(r.detail, null, 2)}</pre>
            </div>
          ),
          expandRowByClick: false,
        }}
        columns={[
          { title: t('at'), dataIndex: 'at', render: (at: string) => <time dateTime={at}>{localTime(at, shortZone)}</time> },
          { title: t('who'), dataIndex: 'actor', render: (actor: string, r: AuditItem) => (<span>{actor} {r.role && <Tag>{common(`role.${r.role}`, { defaultValue: r.role })}</Tag>}</span>) },
          { title: t('action'), dataIndex: 'action', render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          { title: t('target'), key: 'target', render: (_: unknown, r: AuditItem) => (r.targetType || r.targetId ? `${r.targetType ?? ''} ${r.targetId ?? ''}`.trim() : '—') },
        ]}
      />
      <Flex wrap gap={8} align="center" justify="flex-end" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{t('page', { page: page + 1 })}</Typography.Text>
        <Button disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>{t('newer')}</Button>
        <Button disabled={!list.data?.next} onClick={() => setCursors((c) => [...c, list.data?.next ?? undefined])} data-testid="audit-older">{t('older')}</Button>
        <Select aria-label={t('pageSize')} value={limit} onChange={(v) => { setLimit(v); setCursors([undefined]); }} options={[20, 50, 100, 200].map((n) => ({ value: n, label: t('perPage', { n }) }))} style={{ width: 110 }} />
      </Flex>
    </div>
  );
}
