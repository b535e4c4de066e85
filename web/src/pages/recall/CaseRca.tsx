/** Root cause analysis (six categories, 5 whys), CAPA, closing, cancelling and a drill's reconciliation. */
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Row, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServerErrors } from '../../components/recall-badges.tsx';
import { type CaseAnswer, SectionTitle, SubTitle, useCaseCommand, when } from './case-shared.tsx';
import './texts.ts';

const CATEGORIES = ['man', 'machine', 'material', 'method', 'measurement', 'environment'] as const;
const lines = (s: string | undefined) => (s ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean);

function RcaForm({ answer }: { readonly answer: CaseAnswer }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const r = answer.case.rca;
  const server = useServerErrors(form, [...CATEGORIES.map((c) => ['categories', c]), 'categories', 'whys', 'rootCause']);
  const save = useCaseCommand(answer.case.caseId, (v: { categories: Record<string, string>; whys: string; rootCause: string }) => ({
    path: '/rca',
    method: 'PUT',
    body: { categories: Object.fromEntries(CATEGORIES.map((c) => [c, lines(v.categories?.[c])]).filter(([, x]) => (x?.length ?? 0) > 0)), whys: lines(v.whys), rootCause: v.rootCause },
  }), { onMutate: server.clear, onError: server.fail });
  return (
    <>
      {server.errors}
      <Form
        form={form}
        name="rca"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{ categories: Object.fromEntries(CATEGORIES.map((c) => [c, (r?.categories[c] ?? []).join('\n')])), whys: (r?.whys ?? []).join('\n'), rootCause: r?.rootCause ?? '' }}
      >
        <Row gutter={16}>
          {CATEGORIES.map((c) => (
            <Col xs={24} md={12} lg={8} key={c}>
              <Form.Item name={['categories', c]} label={t('rcaForm.findings', { cat: t(`rca.${c}`) })}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="whys" label={t('rcaForm.whys')}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="rootCause" label={t('rcaForm.rootCause')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rca-submit">{t('rcaForm.submit')}</Button>
      </Form>
    </>
  );
}

function CompleteCapa({ answer, capaId }: { readonly answer: CaseAnswer; readonly capaId: string }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const server = useServerErrors(form, ['effective', 'evidence']);
  const complete = useCaseCommand(answer.case.caseId, (v: { effective: boolean; evidence: string }) => ({ path: `/capas/${encodeURIComponent(capaId)}/complete`, body: v }), { onMutate: server.clear, onError: server.fail });
  return (
    <>
      {server.errors}
      <Form form={form} name={`capa-${capaId}`} layout="inline" onFinish={(v) => complete.mutate(v)} initialValues={{ effective: true }} style={{ rowGap: 4 }}>
        <Form.Item name="effective" label={t('capa.effective')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item name="evidence" label={t('capa.result')} rules={[{ required: true, whitespace: true }]}><Input maxLength={2000} /></Form.Item>
        <Button htmlType="submit" loading={complete.isPending}>{t('capa.complete')}</Button>
      </Form>
    </>
  );
}

function CapaCard({ answer, canDecide }: { readonly answer: CaseAnswer; readonly canDecide: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const [form] = Form.useForm();
  const s = answer.case;
  const server = useServerErrors(form, ['kind', 'action', 'owner', 'dueDate', 'effectivenessCheck']);
  const add = useCaseCommand(s.caseId, (v: { kind: string; action: string; owner: string; dueDate: string; effectivenessCheck: string }) => ({ path: '/capas', body: v }), { onMutate: server.clear, onError: server.fail, onSuccess: () => form.resetFields() });
  const [completing, setCompleting] = useState<string | null>(null);
  return (
    <Card title={<SectionTitle>{t('capa.title')}</SectionTitle>} data-testid="capas">
      <Table
        size="small"
        rowKey="id"
        dataSource={[...s.capas]}
        scroll={{ x: true }}
        pagination={false}
        locale={{ emptyText: t('capa.empty') }}
        columns={[
          { title: t('capa.kind'), dataIndex: 'kind', render: (k: string) => t(`capa.${k}`) },
          { title: t('capa.action'), dataIndex: 'action' },
          { title: t('capa.owner'), dataIndex: 'owner' },
          { title: t('capa.dueDate'), dataIndex: 'dueDate' },
          { title: t('capa.check'), dataIndex: 'effectivenessCheck' },
          {
            title: t('capa.status'),
            key: 'status',
            render: (_: unknown, c) =>
              c.done ? (
                <Flex vertical>
                  <Tag color={c.done.effective ? 'success' : 'error'}>{c.done.effective ? t('capa.effective') : t('capa.notEffective')}</Tag>
                  <span>{c.done.evidence} · {when(c.done.at, i18n.language)}</span>
                </Flex>
              ) : canDecide && answer.allowed.includes('complete_capa') ? (
                completing === c.id ? <CompleteCapa answer={answer} capaId={c.id} /> : <Button size="small" onClick={() => setCompleting(c.id)}>{t('capa.complete')}</Button>
              ) : (
                <Tag>{t('capa.open')}</Tag>
              ),
          },
        ]}
      />
      {canDecide && answer.allowed.includes('add_capa') && (
        <div style={{ marginTop: 16 }}>
          <SubTitle>{t('capa.add')}</SubTitle>
          {server.errors}
          <Form form={form} name="capa" layout="vertical" onFinish={(v) => add.mutate(v)} initialValues={{ kind: 'corrective' }}>
            <Row gutter={16}>
              <Col xs={12} md={6}>
                <Form.Item name="kind" label={t('capa.kind')} rules={[{ required: true }]}>
                  <Select options={['corrective', 'preventive'].map((k) => ({ value: k, label: t(`capa.${k}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}><Form.Item name="dueDate" label={t('capa.dueDate')} rules={[{ required: true }]}><Input type="date" /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="owner" label={t('capa.owner')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="action" label={t('capa.action')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item></Col>
              <Col xs={24} md={12}><Form.Item name="effectivenessCheck" label={t('capa.check')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} maxLength={2000} /></Form.Item></Col>
            </Row>
            <Button htmlType="submit" loading={add.isPending}>{t('capa.add')}</Button>
          </Form>
        </div>
      )}
    </Card>
  );
}

function SimpleCommand({ answer, command, path, field, title, submit, danger, help }: { readonly answer: CaseAnswer; readonly command: string; readonly path: string; readonly field: 'summary' | 'reason' | null; readonly title: string; readonly submit: string; readonly danger?: boolean; readonly help?: string }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const server = useServerErrors(form, field ? [field] : []);
  const run = useCaseCommand(answer.case.caseId, (v: Record<string, string>) => ({ path, body: field ? { [field]: v[field] } : undefined }), { onMutate: server.clear, onError: server.fail });
  if (!answer.allowed.includes(command)) return null;
  return (
    <Card title={<SectionTitle>{title}</SectionTitle>} data-testid={`command-${command}`}>
      {help && <Alert type="info" showIcon title={help} style={{ marginBottom: 12 }} />}
      {server.errors}
      <Form form={form} name={command} layout="vertical" onFinish={(v) => run.mutate(v)}>
        {field && (
          <Form.Item name={field} label={field === 'summary' ? t('close.summary') : t('common.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={10_000} />
          </Form.Item>
        )}
        <Button type="primary" danger={danger} htmlType="submit" loading={run.isPending}>{submit}</Button>
      </Form>
    </Card>
  );
}

export function CaseRca({ answer, canDecide }: { readonly answer: CaseAnswer; readonly canDecide: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const s = answer.case;
  return (
    <Flex vertical gap={16}>
      <Card title={<SectionTitle>{t('rcaForm.title')}</SectionTitle>} data-testid="rca">
        {s.rca && (
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }} items={[
            ...CATEGORIES.filter((c) => s.rca?.categories[c]?.length).map((c) => ({ key: c, label: t(`rca.${c}`), children: s.rca?.categories[c]?.join('；') })),
            { key: 'w', label: t('rcaForm.whys'), children: <ol style={{ margin: 0, paddingInlineStart: 20 }}>{s.rca.whys.map((w, i) => <li key={i}>{w}</li>)}</ol> },
            { key: 'r', label: t('rcaForm.rootCause'), children: <Typography.Text strong>{s.rca.rootCause}</Typography.Text> },
            { key: 'a', label: t('common.at'), children: when(s.rca.at, i18n.language) },
          ]} />
        )}
        {canDecide && answer.allowed.includes('record_rca') && <RcaForm answer={answer} />}
      </Card>
      <CapaCard answer={answer} canDecide={canDecide} />
      {s.closed && <Alert type="success" showIcon title={`${t('status.closed')} · ${when(s.closed.at, i18n.language)}`} description={s.closed.summary} />}
      {s.cancelled && <Alert type="warning" showIcon title={`${t('status.cancelled')} · ${when(s.cancelled.at, i18n.language)}`} description={s.cancelled.reason} />}
      {canDecide && (
        <Row gutter={[16, 16]}>
          {s.drill && !s.drillClock?.reconciledAt && answer.allowed.includes('record_reconciliation') && s.approvedVersion !== null && (
            <Col xs={24} md={12}><SimpleCommand answer={answer} command="record_reconciliation" path="/reconcile" field={null} title={t('reconcile.title')} submit={t('reconcile.submit')} /></Col>
          )}
          <Col xs={24} md={12}><SimpleCommand answer={answer} command="close" path="/close" field="summary" title={t('close.title')} submit={t('close.submit')} help={t('close.needs')} /></Col>
          <Col xs={24} md={12}><SimpleCommand answer={answer} command="cancel" path="/cancel" field="reason" title={t('cancel.title')} submit={t('cancel.submit')} danger /></Col>
        </Row>
      )}
    </Flex>
  );
}
