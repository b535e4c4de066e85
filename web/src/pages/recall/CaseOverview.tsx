/** The case's decision log, the assessment, the notice plan and the evidence files. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, Descriptions, Flex, Form, Input, InputNumber, Radio, Row, Select, Switch, Table, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api.ts';
import { LevelBadge, useServerErrors } from '../../components/recall-badges.tsx';
import { type CaseAnswer, SectionTitle, caseKey, casePath, useCaseCommand, when } from './case-shared.tsx';
import './texts.ts';

const RISK_KINDS = ['safety', 'regulatory', 'scope', 'reputation'] as const;
const GRADES = ['low', 'medium', 'high', 'critical'] as const;
const AUDIENCES = ['regulator', 'store', 'warehouse', 'distributor', 'consumer', 'public'] as const;

interface Entry { readonly seq: number; readonly at: string; readonly actor: string; readonly role: string | null; readonly command: string; readonly reason: string | null }

export function CaseTimeline({ caseId }: { readonly caseId: string }) {
  const { t, i18n } = useTranslation('recall');
  const { t: tc } = useTranslation();
  const q = useQuery({ queryKey: [...caseKey(caseId), 'timeline'], queryFn: () => api<{ entries: Entry[] }>(`${casePath(caseId)}/timeline`) });
  return (
    <Card title={<SectionTitle>{t('timeline.title')}</SectionTitle>} data-testid="timeline">
      <Typography.Paragraph type="secondary">{t('timeline.help')}</Typography.Paragraph>
      <Timeline
        items={(q.data?.entries ?? []).map((e) => ({
          key: e.seq,
          children: (
            <div data-testid={`timeline-${e.command}`}>
              <Typography.Text strong>{t(`command.${e.command}`, { defaultValue: e.command })}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {when(e.at, i18n.language)} · {e.role ? tc(`role.${e.role}`, { defaultValue: e.role }) : ''} {e.actor}
              </Typography.Text>
              {e.reason && <div style={{ wordBreak: 'break-word' }}>{t('common.reason')}: {e.reason}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

export function AssessForm({ answer, canDecide }: { readonly answer: CaseAnswer; readonly canDecide: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const [form] = Form.useForm();
  const s = answer.case;
  const server = useServerErrors(form, ['level', 'fdaClass', 'voluntary', 'risks', ...RISK_KINDS.map((k) => ['risks', k]), 'reason']);
  const assess = useCaseCommand(s.caseId, (v: { level: number; fdaClass?: string; voluntary: boolean; risks: Record<string, string>; reason: string }) => ({ path: '/assess', body: { level: v.level, ...(v.fdaClass ? { fdaClass: v.fdaClass } : {}), voluntary: v.voluntary, risks: v.risks, reason: v.reason } }), { onMutate: server.clear, onError: server.fail });
  const a = s.assessment;
  const allowed = canDecide && answer.allowed.includes('assess');
  return (
    <Card title={<SectionTitle>{t('assess.title')}</SectionTitle>} data-testid="assess">
      {a && (
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }} title={t('assess.current')} items={[
          { key: 'l', label: t('assess.level'), children: <LevelBadge level={a.level} /> },
          { key: 'f', label: t('assess.fda'), children: a.fdaClass ?? '—' },
          { key: 'v', label: t('assess.voluntary'), children: a.voluntary ? t('common.yes') : t('common.no') },
          ...RISK_KINDS.map((k) => ({ key: k, label: t(`riskKind.${k}`), children: t(`risk.${a.risks[k]}`) })),
          { key: 'r', label: t('common.reason'), children: a.reason },
          { key: 'b', label: t('common.at'), children: when(a.at, i18n.language) },
        ]} />
      )}
      {allowed && (
        <>
          {server.errors}
          <Form form={form} name="assess" layout="vertical" onFinish={(v) => assess.mutate(v)} initialValues={{ level: a?.level ?? 3, voluntary: a?.voluntary ?? true, fdaClass: a?.fdaClass ?? undefined, risks: a?.risks ?? { safety: 'low', regulatory: 'low', scope: 'medium', reputation: 'medium' } }}>
            <Form.Item name="level" label={t('assess.level')} rules={[{ required: true }]}>
              <Radio.Group data-testid="assess-level" options={[1, 2, 3].map((l) => ({ value: l, label: t(`level.${l}`) }))} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={12} md={6}>
                <Form.Item name="fdaClass" label={t('assess.fda')}>
                  <Select allowClear options={['I', 'II', 'III'].map((c) => ({ value: c, label: `Class ${c}` }))} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="voluntary" label={t('assess.voluntary')} valuePropName="checked">
                  <Switch data-testid="assess-voluntary" />
                </Form.Item>
              </Col>
              {RISK_KINDS.map((k) => (
                <Col xs={12} md={6} key={k}>
                  <Form.Item name={['risks', k]} label={t(`riskKind.${k}`)} rules={[{ required: true }]}>
                    <Select options={GRADES.map((g) => ({ value: g, label: t(`risk.${g}`) }))} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}>
              <Input.TextArea rows={2} maxLength={2000} data-testid="assess-reason" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={assess.isPending} data-testid="assess-submit">{t('assess.submit')}</Button>
          </Form>
        </>
      )}
    </Card>
  );
}

export function NoticePlanForm({ answer, canDecide }: { readonly answer: CaseAnswer; readonly canDecide: boolean }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const s = answer.case;
  const p = s.noticePlan;
  const server = useServerErrors(form, ['audiences', ['instructions', 'zh-CN'], ['instructions', 'en'], 'instructions', 'compensation', 'ackHours', 'reason']);
  const save = useCaseCommand(
    s.caseId,
    (v: { audiences: string[]; instructions: { 'zh-CN': string; en: string }; compensation?: string; ackHours: number; reason?: string }) => ({
      path: '/notice-plan',
      method: 'PUT',
      body: { audiences: v.audiences, instructions: v.instructions, compensation: (v.compensation ?? '').split(/[,，]/).map((c) => c.trim()).filter(Boolean), ackHours: v.ackHours, reason: v.reason ?? '' },
    }),
    { onMutate: server.clear, onError: server.fail },
  );
  const allowed = canDecide && answer.allowed.includes('set_notice_plan');
  return (
    <Card title={<SectionTitle>{t('plan.title')}</SectionTitle>} data-testid="notice-plan">
      {p && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }} title={t('plan.current')} items={[
          { key: 'a', label: t('plan.audiences'), children: p.audiences.map((x) => t(`audience.${x}`)).join('、') },
          { key: 'z', label: t('plan.zh'), children: p.instructions['zh-CN'] },
          { key: 'e', label: t('plan.en'), children: p.instructions.en },
          { key: 'c', label: t('plan.compensation'), children: p.compensation.join(', ') || '—' },
          { key: 'h', label: t('plan.ackHours'), children: p.ackHours },
        ]} />
      )}
      {allowed && (
        <>
          {server.errors}
          <Form
            form={form}
            name="plan"
            layout="vertical"
            onFinish={(v) => save.mutate(v)}
            initialValues={{ audiences: p?.audiences ?? ['regulator', 'store', 'consumer'], instructions: { 'zh-CN': p?.instructions['zh-CN'] ?? '', en: p?.instructions.en ?? '' }, compensation: (p?.compensation ?? ['refund']).join(', '), ackHours: p?.ackHours ?? 4 }}
          >
            <Form.Item name="audiences" label={t('plan.audiences')} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Checkbox.Group options={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))} />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name={['instructions', 'zh-CN']} label={t('plan.zh')} rules={[{ required: true, whitespace: true }]}>
                  <Input.TextArea rows={2} maxLength={2000} data-testid="plan-zh" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name={['instructions', 'en']} label={t('plan.en')} rules={[{ required: true, whitespace: true }]}>
                  <Input.TextArea rows={2} maxLength={2000} data-testid="plan-en" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="compensation" label={t('plan.compensation')} extra={t('plan.compensationHelp')}>
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="ackHours" label={t('plan.ackHours')} rules={[{ required: true }]}>
                  <InputNumber min={0.25} max={720} step={1} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="reason" label={t('common.reason')}>
              <Input maxLength={2000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="plan-submit">{t('plan.submit')}</Button>
          </Form>
        </>
      )}
    </Card>
  );
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export function EvidenceCard({ answer, canDecide }: { readonly answer: CaseAnswer; readonly canDecide: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const s = answer.case;
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const server = useServerErrors(null, []);
  const upload = useCaseCommand(
    s.caseId,
    (v: { fileName: string; mediaType: string; contentBase64: string; note: string }) => ({ path: '/evidence', body: v }),
    { onMutate: server.clear, onError: server.fail, onSuccess: () => { setFile(null); setNote(''); } },
  );
  const send = async () => {
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) return server.fail(new Error(t('evidence.tooBig')));
    upload.mutate({ fileName: file.name, mediaType: file.type || 'application/octet-stream', contentBase64: await toBase64(file), note });
  };
  return (
    <Card title={<SectionTitle>{t('evidence.title')}</SectionTitle>} data-testid="evidence">
      <Table
        size="small"
        rowKey="attachmentId"
        dataSource={[...s.evidence]}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('evidence.empty') }}
        columns={[
          { title: t('evidence.fileCol'), dataIndex: 'fileName', render: (name: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => void download(`${casePath(s.caseId)}/evidence/${encodeURIComponent(r.attachmentId)}`, name)}>{name}</Button> },
          { title: t('evidence.note'), dataIndex: 'note' },
          { title: t('common.at'), dataIndex: 'at', render: (v: string) => when(v, i18n.language) },
          { title: 'SHA-256', dataIndex: 'sha256', render: (v: string) => <Typography.Text code>{v.slice(0, 12)}…</Typography.Text> },
        ]}
      />
      {canDecide && answer.allowed.includes('attach_evidence') && (
        <Flex wrap gap={8} align="center" style={{ marginTop: 12 }}>
          {server.errors}
          <label htmlFor="evidence-file">{t('evidence.file')}</label>
          <input id="evidence-file" type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="evidence-file" style={{ maxWidth: '100%' }} />
          <Input aria-label={t('evidence.note')} placeholder={t('evidence.note')} value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 220, maxWidth: '100%' }} />
          <Button onClick={() => void send()} disabled={!file} loading={upload.isPending} data-testid="evidence-upload">{upload.isPending ? t('evidence.uploading') : t('evidence.upload')}</Button>
        </Flex>
      )}
    </Card>
  );
}
