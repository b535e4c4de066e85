/**
 * Recall cases: the list (number, title, status, level in colour and text, legal clocks) and the form
 * that opens a case. The trace explorer links here with `?open=<code>` so a case starts from what was
 * just traced. A role that acknowledges but cannot read cases (a store) gets its task list instead.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Form, Input, Row, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { type ClockView, Clocks, DrillTag, LevelBadge, StatusTag, useServerErrors, usePagination } from '../../components/recall-badges.tsx';
import { StoreTasks } from './StoreTasksPage.tsx';
import './texts.ts';

export const HAZARDS = ['microbial', 'foreign_matter', 'allergen', 'packaging_seal', 'chemical', 'quality'] as const;
const ORIGINS = ['complaint', 'qc_finding', 'warning', 'manual'] as const;

interface CaseSummary {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly drill: boolean;
  readonly status: string;
  readonly title: string;
  readonly level: number | null;
  readonly openedAt: string;
  readonly startedAt: string | null;
}

export interface CaseBody {
  readonly case: { readonly caseId: string; readonly caseNumber: string; readonly status: string } & Record<string, unknown>;
  readonly allowed: readonly string[];
  readonly clocks: readonly ClockView[];
}

/** The GTIN inside a Digital Link or element string, to pre-fill the product. */
export function gtinOf(code: string): string | undefined {
  return /\/01\/(\d{14})(?:\/|$)/.exec(code)?.[1] ?? /^\(01\)(\d{14})/.exec(code)?.[1] ?? /^01(\d{14})/.exec(code)?.[1];
}

function RowClocks({ caseId }: { readonly caseId: string }) {
  const q = useQuery({ queryKey: ['recall', caseId, 'case'], queryFn: () => api<CaseBody>(`/api/recalls/${encodeURIComponent(caseId)}`) });
  return q.data ? <Clocks clocks={q.data.clocks} compact /> : null;
}

function NewCaseForm({ code }: { readonly code: string | null }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const client = useQueryClient();
  const fields = ['title', 'hazard', 'origin', 'description', 'productGtin', 'codes'];
  const server = useServerErrors(form, fields);
  useEffect(() => {
    if (code) form.setFieldsValue({ codes: code, productGtin: gtinOf(code) ?? '' });
  }, [code, form]);
  const create = useMutation({
    mutationFn: (v: { title: string; hazard: string; origin: string; description?: string; productGtin?: string; codes: string }) =>
      api<CaseBody>('/api/recalls', {
        method: 'POST',
        body: {
          title: v.title.trim(),
          hazard: v.hazard,
          origin: v.origin,
          description: v.description ?? '',
          ...(v.productGtin?.trim() ? { productGtin: v.productGtin.trim() } : {}),
          codes: v.codes.split(/\r?\n/).map((c) => c.trim()).filter(Boolean),
        },
      }),
    onMutate: () => server.clear(),
    onSuccess: async (body) => {
      await client.invalidateQueries({ queryKey: ['recalls'] });
      navigate(`/recalls/${encodeURIComponent(body.case.caseId)}`);
    },
    onError: server.fail,
  });
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('list.new')}</Typography.Title>} data-testid="new-case">
      {code && <Alert type="info" showIcon title={t('form.prefilled', { code })} style={{ marginBottom: 12, wordBreak: 'break-all' }} />}
      {server.errors}
      <Form form={form} name="newCase" layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ hazard: 'packaging_seal', origin: code ? 'qc_finding' : 'complaint' }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="title" label={t('form.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input maxLength={300} data-testid="new-title" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="hazard" label={t('form.hazard')} rules={[{ required: true }]}>
              <Select options={HAZARDS.map((h) => ({ value: h, label: t(`hazard.${h}`) }))} data-testid="new-hazard" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="origin" label={t('form.origin')} rules={[{ required: true }]}>
              <Select options={ORIGINS.map((o) => ({ value: o, label: t(`origin.${o}`) }))} data-testid="new-origin" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="codes" label={t('form.codes')} extra={t('form.codesHelp')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input.TextArea rows={3} data-testid="new-codes" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="productGtin" label={t('form.gtin')} extra={t('form.gtinHelp')} rules={[{ pattern: /^\d{14}$/, message: t('form.gtinHelp') }]}>
              <Input inputMode="numeric" maxLength={14} data-testid="new-gtin" />
            </Form.Item>
            <Form.Item name="description" label={t('form.description')}>
              <Input.TextArea rows={2} maxLength={10_000} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="new-submit">
          {t('form.create')}
        </Button>
      </Form>
    </Card>
  );
}

export default function RecallListPage() {
  const { t, i18n } = useTranslation('recall');
  const { can } = useAuth();
  const [params] = useSearchParams();
  const openCode = params.get('open');
  const pagination10 = usePagination(10);
  const [status, setStatus] = useState<string | undefined>();
  const readable = can('recall:read');
  const cases = useQuery({ queryKey: ['recalls', status ?? ''], queryFn: () => api<{ cases: CaseSummary[] }>(`/api/recalls${qs({ drill: false, status })}`), enabled: readable });
  if (!readable && can('recall:acknowledge')) return <StoreTasks />;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('list.title')}</Typography.Title>
      {can('recall:decide') && <NewCaseForm code={openCode} />}
      <Card
        title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('list.title')}</Typography.Title>}
        extra={
          <Space wrap>
            <Select
              allowClear
              aria-label={t('list.status')}
              placeholder={t('list.status')}
              style={{ minWidth: 140 }}
              value={status}
              onChange={setStatus}
              options={['open', 'assessed', 'scope_proposed', 'active', 'closed', 'cancelled'].map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
          </Space>
        }
      >
        {cases.error && <Alert type="error" showIcon title={(cases.error as Error).message} />}
        <Table<CaseSummary>
          data-testid="case-list"
          rowKey="caseId"
          loading={cases.isLoading}
          dataSource={cases.data?.cases ?? []}
          scroll={{ x: true }}
          pagination={pagination10}
          locale={{ emptyText: t('list.empty') }}
          columns={[
            { title: t('list.number'), dataIndex: 'caseNumber', render: (n: string, r) => <Link to={`/recalls/${encodeURIComponent(r.caseId)}`}>{n}</Link> },
            { title: t('list.caseTitle'), dataIndex: 'title', render: (v: string, r) => <span>{v} {r.drill && <DrillTag />}</span> },
            { title: t('list.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            { title: t('list.level'), dataIndex: 'level', render: (l: number | null) => <LevelBadge level={l} /> },
            { title: t('list.clocks'), key: 'clocks', render: (_: unknown, r) => (r.status === 'closed' || r.status === 'cancelled' || r.level === null ? '—' : <RowClocks caseId={r.caseId} />) },
            { title: t('list.opened'), dataIndex: 'openedAt', render: (v: string) => new Date(v).toLocaleString(i18n.language) },
          ]}
        />
        <Typography.Text type="secondary">{t('list.drillsHidden')}</Typography.Text>
      </Card>
    </Flex>
  );
}
