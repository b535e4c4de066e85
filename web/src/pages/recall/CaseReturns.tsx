/** Returns (store returns, consumer tickets, receipt at a QC centre) and dispositions of returned stock. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useServerErrors, usePagination } from '../../components/recall-badges.tsx';
import { type CaseAnswer, SectionTitle, SubTitle, caseKey, casePath, lotLabel, useCaseCommand, when } from './case-shared.tsx';
import './texts.ts';

interface ReturnView { readonly reference: string; readonly channel: string; readonly code: string; readonly quantity: number; readonly compensation: string | null; readonly locationId: string | null; readonly qcCentre: { locationId: string; name: string } | null; readonly status: string; readonly createdAt: string }

function useReturnMutation<V>(caseId: string, form: ReturnType<typeof Form.useForm>[0], fields: string[], request: (v: V) => { url: string; body: unknown }) {
  const client = useQueryClient();
  const server = useServerErrors(form, fields);
  const m = useMutation({
    mutationFn: (v: V) => {
      const r = request(v);
      return api<ReturnView>(r.url, { method: 'POST', body: r.body });
    },
    onMutate: server.clear,
    onSuccess: async () => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: caseKey(caseId) });
    },
    onError: server.fail,
  });
  return { m, errors: server.errors };
}

export function CaseReturns({ answer, canRecover }: { readonly answer: CaseAnswer; readonly canRecover: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const s = answer.case;
  const caseId = s.caseId;
  const pagination10 = usePagination(10);
  const list = useQuery({ queryKey: [...caseKey(caseId), 'returns'], queryFn: () => api<{ returns: ReturnView[] }>(`${casePath(caseId)}/returns`) });
  const [storeForm] = Form.useForm();
  const [consumerForm] = Form.useForm();
  const [receiveForm] = Form.useForm();
  const [dispForm] = Form.useForm();
  const storeReturn = useReturnMutation(caseId, storeForm, ['code', 'quantity', 'storeId', 'qcCentreId'], (v: { code: string; quantity: number; storeId: string }) => ({ url: `${casePath(caseId)}/returns`, body: { channel: 'store', ...v } }));
  const consumerReturn = useReturnMutation(caseId, consumerForm, ['code', 'compensation', 'contact', 'quantity'], (v: { code: string; compensation: string; name?: string; phone?: string; email?: string; city?: string }) => ({
    url: `${casePath(caseId)}/returns`,
    body: { channel: 'consumer', code: v.code, compensation: v.compensation, contact: Object.fromEntries(Object.entries({ name: v.name, phone: v.phone, email: v.email, city: v.city }).filter(([, x]) => x)) },
  }));
  const receive = useReturnMutation(caseId, receiveForm, ['qcCentreId', 'quantity', 'reference'], (v: { reference: string; qcCentreId: string }) => ({ url: `/api/returns/${encodeURIComponent(v.reference)}/receive`, body: { qcCentreId: v.qcCentreId } }));
  const dispErrors = useServerErrors(dispForm, ['class', 'lots', 'quantity', 'locationId', 'witness', 'evidence', 'note']);
  const dispose = useCaseCommand(caseId, (v: { class: string; lots: string[]; quantity: number; locationId: string; witness: string; evidence?: string[]; note?: string }) => ({ path: '/dispositions', body: { ...v, evidence: v.evidence ?? [], note: v.note ?? '' } }), {
    onMutate: dispErrors.clear,
    onError: dispErrors.fail,
    onSuccess: () => dispForm.resetFields(),
  });
  const active = s.status === 'active';
  const heldLots = s.scopes.find((v) => v.version === s.approvedVersion)?.lots ?? [];
  const defaultCode = s.codes[0];
  const open = (list.data?.returns ?? []).filter((r) => r.status !== 'received');
  return (
    <Flex vertical gap={16}>
      <Card title={<SectionTitle>{t('returns.title')}</SectionTitle>} data-testid="returns">
        <Table<ReturnView>
          size="small"
          rowKey="reference"
          dataSource={list.data?.returns ?? []}
          scroll={{ x: true }}
          pagination={pagination10}
          locale={{ emptyText: t('returns.empty') }}
          columns={[
            { title: t('returns.reference'), dataIndex: 'reference' },
            { title: t('returns.channel'), dataIndex: 'channel', render: (c: string) => t(`returns.${c}`) },
            { title: t('returns.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('returns.storeId'), dataIndex: 'locationId', render: (v: string | null) => v ?? '—' },
            { title: t('returns.qcCentre'), dataIndex: 'qcCentre', render: (q: ReturnView['qcCentre']) => q?.name ?? '—' },
            { title: t('returns.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'received' ? 'success' : 'processing'}>{t(`returns.${v}`)}</Tag> },
            { title: t('common.at'), dataIndex: 'createdAt', render: (v: string) => when(v, i18n.language) },
          ]}
        />
        {canRecover && active && (
          <Row gutter={[24, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} lg={8}>
              <SubTitle>{t('returns.store')}</SubTitle>
              {storeReturn.errors}
              <Form form={storeForm} name="storeReturn" layout="vertical" onFinish={(v) => storeReturn.m.mutate(v)} initialValues={{ code: defaultCode, quantity: 1 }}>
                <Form.Item name="code" label={t('returns.code')} rules={[{ required: true }]}><Input /></Form.Item>
                <Form.Item name="quantity" label={t('returns.quantity')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>
                <Form.Item name="storeId" label={t('returns.storeId')} rules={[{ required: true }]}><Input placeholder="store-sh01" /></Form.Item>
                <Button htmlType="submit" loading={storeReturn.m.isPending}>{t('returns.record')}</Button>
              </Form>
            </Col>
            <Col xs={24} lg={8}>
              <SubTitle>{t('returns.consumer')}</SubTitle>
              {consumerReturn.errors}
              <Form form={consumerForm} name="consumerReturn" layout="vertical" onFinish={(v) => consumerReturn.m.mutate(v)} initialValues={{ code: defaultCode, compensation: 'refund' }}>
                <Form.Item name="code" label={t('returns.code')} rules={[{ required: true }]}><Input /></Form.Item>
                <Form.Item name="compensation" label={t('returns.compensation')} rules={[{ required: true }]}>
                  <Select options={['refund', 'voucher', 'replacement'].map((c) => ({ value: c, label: c }))} />
                </Form.Item>
                <Form.Item name="name" label={t('returns.contactName')}><Input maxLength={200} /></Form.Item>
                <Form.Item name="phone" label={t('returns.phone')}><Input maxLength={40} /></Form.Item>
                <Form.Item name="email" label={t('returns.email')}><Input maxLength={200} type="email" /></Form.Item>
                <Form.Item name="city" label={t('returns.city')}><Input maxLength={100} /></Form.Item>
                <Button htmlType="submit" loading={consumerReturn.m.isPending}>{t('returns.record')}</Button>
              </Form>
            </Col>
            <Col xs={24} lg={8}>
              <SubTitle>{t('returns.receive')}</SubTitle>
              {receive.errors}
              <Form form={receiveForm} name="receive" layout="vertical" onFinish={(v) => receive.m.mutate(v)} initialValues={{ qcCentreId: 'plant-sz-qc' }}>
                <Form.Item name="reference" label={t('returns.reference')} rules={[{ required: true }]}>
                  <Select options={open.map((r) => ({ value: r.reference, label: `${r.reference} · ${r.quantity}` }))} />
                </Form.Item>
                <Form.Item name="qcCentreId" label={t('returns.qcCentre')} rules={[{ required: true }]}><Input /></Form.Item>
                <Button htmlType="submit" loading={receive.m.isPending}>{t('returns.record')}</Button>
              </Form>
            </Col>
          </Row>
        )}
      </Card>
      <Card title={<SectionTitle>{t('disp.title')}</SectionTitle>} data-testid="dispositions">
        <Table
          size="small"
          rowKey="id"
          dataSource={[...s.dispositions]}
          scroll={{ x: true }}
          pagination={false}
          locale={{ emptyText: t('disp.empty') }}
          columns={[
            { title: t('disp.class'), dataIndex: 'class', render: (c: string) => t(`disposition.${c}`) },
            { title: t('disp.lots'), dataIndex: 'lots', render: (l: string[]) => l.map(lotLabel).join(', ') },
            { title: t('disp.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('disp.place'), dataIndex: 'locationId' },
            { title: t('disp.witness'), dataIndex: 'witness' },
            { title: t('disp.evidence'), dataIndex: 'evidence', render: (e: string[]) => e.map((id) => s.evidence.find((x) => x.attachmentId === id)?.fileName ?? id).join(', ') || '—' },
            { title: t('common.at'), dataIndex: 'at', render: (v: string) => when(v, i18n.language) },
          ]}
        />
        {canRecover && answer.allowed.includes('record_disposition') && (
          <div style={{ marginTop: 16 }}>
            {dispErrors.errors}
            <Form form={dispForm} name="disposition" layout="vertical" onFinish={(v) => dispose.mutate(v)} initialValues={{ class: 'destroy', lots: heldLots, locationId: 'plant-sz-qc' }}>
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <Form.Item name="class" label={t('disp.class')} rules={[{ required: true }]}>
                    <Select options={['rework', 'recycle', 'destroy'].map((c) => ({ value: c, label: t(`disposition.${c}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={16}>
                  <Form.Item name="lots" label={t('disp.lots')} rules={[{ required: true, type: 'array', min: 1 }]}>
                    <Select mode="multiple" options={heldLots.map((l) => ({ value: l, label: lotLabel(l) }))} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={8}><Form.Item name="quantity" label={t('disp.quantity')} rules={[{ required: true }]}><InputNumber min={0.001} /></Form.Item></Col>
                <Col xs={12} md={8}><Form.Item name="locationId" label={t('disp.place')} rules={[{ required: true }]}><Input /></Form.Item></Col>
                <Col xs={24} md={8}><Form.Item name="witness" label={t('disp.witness')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item></Col>
                <Col xs={24} md={12}>
                  <Form.Item name="evidence" label={t('disp.evidence')}>
                    <Select mode="multiple" options={s.evidence.map((e) => ({ value: e.attachmentId, label: e.fileName }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}><Form.Item name="note" label={t('disp.note')}><Input maxLength={2000} /></Form.Item></Col>
              </Row>
              <Button type="primary" htmlType="submit" loading={dispose.isPending}>{t('disp.submit')}</Button>
            </Form>
          </div>
        )}
      </Card>
    </Flex>
  );
}
