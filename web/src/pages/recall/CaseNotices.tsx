/** Notices: delivery by audience and each message's status; store acknowledgements and escalations. */
import { useQuery } from '@tanstack/react-query';
import { Card, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api.ts';
import { type CaseAnswer, SectionTitle, caseKey, casePath, when } from './case-shared.tsx';
import { usePagination } from '../../components/recall-badges.tsx';
import './texts.ts';

type Counts = Record<'pending' | 'sent' | 'failed' | 'dry_run' | 'total', number>;
interface Summary { readonly total: Counts; readonly audiences: Record<string, Counts>; readonly nextAttemptAt: string | null }
interface Message { readonly messageId: string; readonly audience: string; readonly channel: string; readonly recipient: string; readonly subject: string; readonly status: string; readonly attempts: number; readonly lastError: string | null; readonly createdAt: string }
export interface TaskRow { readonly locationId: string; readonly locationName: string | null; readonly city: string | null; readonly kind: string; readonly status: string; readonly unitsExpected: number | null; readonly unitsRemoved: number | null; readonly dueAt: string; readonly overdue: boolean; readonly acknowledgedAt: string | null; readonly escalationLevel: number }

const STATUS_COLOUR: Record<string, string> = { pending: 'processing', sent: 'success', failed: 'error', dry_run: 'gold' };

export function CaseNotices({ answer }: { readonly answer: CaseAnswer }) {
  const { t, i18n } = useTranslation('recall');
  const caseId = answer.case.caseId;
  const pagination10 = usePagination(10);
  const pagination50 = usePagination(50);
  const summary = useQuery({ queryKey: [...caseKey(caseId), 'outbox-summary'], queryFn: () => api<Summary>(`/api/outbox/summary${qs({ caseId })}`) });
  const messages = useQuery({ queryKey: [...caseKey(caseId), 'outbox'], queryFn: () => api<{ items: Message[] }>(`/api/outbox${qs({ caseId, limit: 100 })}`) });
  const tasks = useQuery({ queryKey: [...caseKey(caseId), 'tasks'], queryFn: () => api<{ tasks: TaskRow[] }>(`${casePath(caseId)}/tasks`) });
  const rows = Object.entries(summary.data?.audiences ?? {}).map(([audience, c]) => ({ audience, ...c }));
  const list = tasks.data?.tasks ?? [];
  const live = list.filter((x) => x.status !== 'cancelled');
  const ack = live.filter((x) => x.status === 'acknowledged');
  const sorted = [...list].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || a.locationId.localeCompare(b.locationId));
  return (
    <Flex vertical gap={16}>
      <Card title={<SectionTitle>{t('tasks.title')}</SectionTitle>} data-testid="case-tasks" loading={tasks.isLoading}>
        <Typography.Paragraph strong data-testid="tasks-summary">
          {t('tasks.summary', { ack: ack.length, total: live.length, overdue: live.filter((x) => x.overdue).length, removed: ack.reduce((s, x) => s + (x.unitsRemoved ?? 0), 0) })}
        </Typography.Paragraph>
        <Table<TaskRow>
          size="small"
          rowKey={(r) => `${r.locationId}/${r.kind}`}
          dataSource={sorted}
          scroll={{ x: true }}
          pagination={pagination50}
          locale={{ emptyText: t('tasks.empty') }}
          onRow={(r) => ({ 'data-testid': `case-task-${r.locationId}`, 'data-status': r.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('tasks.location'), key: 'l', render: (_: unknown, r) => r.locationName ?? r.locationId },
            { title: t('tasks.city'), dataIndex: 'city', render: (c: string | null) => c ?? '—' },
            { title: t('tasks.kind'), dataIndex: 'kind', render: (k: string) => t(`tasks.${k}`) },
            {
              title: t('tasks.status'),
              key: 's',
              render: (_: unknown, r) => (
                <Flex wrap gap={4}>
                  <Tag color={r.status === 'acknowledged' ? 'success' : r.status === 'open' ? 'processing' : 'default'}>{t(`tasks.${r.status}`)}</Tag>
                  {r.overdue && <Tag color="error">{t('tasks.overdue')}</Tag>}
                  {r.escalationLevel > 0 && <Tag color="volcano">{t('tasks.escalation')} L{r.escalationLevel}</Tag>}
                </Flex>
              ),
            },
            { title: t('tasks.expected'), dataIndex: 'unitsExpected', align: 'right', render: (v: number | null) => v ?? '—' },
            { title: t('tasks.removed'), dataIndex: 'unitsRemoved', align: 'right', render: (v: number | null) => v ?? '—' },
            { title: t('tasks.due'), dataIndex: 'dueAt', render: (v: string, r) => (r.status === 'acknowledged' ? when(r.acknowledgedAt, i18n.language) : when(v, i18n.language)) },
          ]}
        />
      </Card>
      <Card title={<SectionTitle>{t('notices.title')}</SectionTitle>} data-testid="notice-summary" loading={summary.isLoading}>
        <Table
          size="small"
          rowKey="audience"
          dataSource={rows}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t('notices.empty') }}
          columns={[
            { title: t('notices.audience'), dataIndex: 'audience', render: (a: string) => t(`audience.${a}`, { defaultValue: a }) },
            ...(['sent', 'pending', 'failed', 'dry_run', 'total'] as const).map((k) => ({ title: t(`notices.${k}`), dataIndex: k, align: 'right' as const, render: (n: number) => (k === 'failed' && n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) })),
          ]}
        />
        {summary.data?.nextAttemptAt && <Typography.Text type="secondary">{when(summary.data.nextAttemptAt, i18n.language)}</Typography.Text>}
      </Card>
      <Card title={<SectionTitle>{t('notices.list')}</SectionTitle>} loading={messages.isLoading}>
        <Table<Message>
          size="small"
          rowKey="messageId"
          dataSource={messages.data?.items ?? []}
          scroll={{ x: true }}
          pagination={pagination10}
          locale={{ emptyText: t('notices.empty') }}
          columns={[
            { title: t('notices.audience'), dataIndex: 'audience', render: (a: string) => t(`audience.${a}`, { defaultValue: a }) },
            { title: t('notices.channel'), dataIndex: 'channel' },
            { title: t('notices.recipient'), dataIndex: 'recipient', render: (r: string) => <span style={{ wordBreak: 'break-all' }}>{r}</span> },
            { title: t('notices.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOUR[s]}>{t(`notices.${s}`, { defaultValue: s })}</Tag> },
            { title: t('notices.subject'), dataIndex: 'subject' },
            { title: t('notices.lastError'), dataIndex: 'lastError', render: (e: string | null) => e ?? '' },
          ]}
        />
      </Card>
    </Flex>
  );
}
