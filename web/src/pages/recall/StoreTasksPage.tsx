/**
 * A store's (or warehouse's) recall tasks: what to take off the shelf, by when, how many units are
 * expected, and the one action — confirm the units removed. Store tokens may acknowledge but not read
 * cases, so this page reads only GET /api/tasks. The chosen place is remembered on this device.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Flex, Form, Input, InputNumber, Segmented, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, qs } from '../../api.ts';
import { DrillTag, LevelBadge, useDuration, useNow, useServerErrors } from '../../components/recall-badges.tsx';
import './texts.ts';

export interface StoreTask {
  readonly caseId: string;
  readonly caseNumber: string;
  readonly title: string;
  readonly drill: boolean;
  readonly caseStatus: string;
  readonly level: { readonly level: number } | null;
  readonly instructions: { readonly 'zh-CN': string; readonly en: string } | null;
  readonly locationId: string;
  readonly locationName: string | null;
  readonly city: string | null;
  readonly kind: 'shelf_removal' | 'quarantine';
  readonly status: 'open' | 'acknowledged' | 'cancelled';
  readonly unitsExpected: number | null;
  readonly unitsRemoved: number | null;
  readonly dueAt: string;
  readonly overdue: boolean;
  readonly escalationLevel: number;
  readonly acknowledgedAt: string | null;
  readonly note: string | null;
}

const LOCATION_KEY = 'lotline.tasks.location';

function AckForm({ task }: { readonly task: StoreTask }) {
  const { t } = useTranslation('recall');
  const [form] = Form.useForm();
  const client = useQueryClient();
  const server = useServerErrors(form, ['unitsRemoved', 'note']);
  const ack = useMutation({
    mutationFn: (v: { unitsRemoved: number; note?: string }) =>
      api(`/api/recalls/${encodeURIComponent(task.caseId)}/tasks/${encodeURIComponent(task.locationId)}/ack`, { method: 'POST', body: { unitsRemoved: v.unitsRemoved, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } }),
    onMutate: () => server.clear(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tasks'] }),
    onError: server.fail,
  });
  const id = `${task.caseId}-${task.locationId}`;
  return (
    <>
      {server.errors}
      <Form form={form} layout="inline" onFinish={(v) => ack.mutate(v)} initialValues={{ unitsRemoved: task.unitsRemoved ?? task.unitsExpected ?? 0 }} style={{ rowGap: 8 }}>
        <Form.Item name="unitsRemoved" label={t('store.units')} htmlFor={`units-${id}`} rules={[{ required: true, type: 'number', min: 0 }]}>
          <InputNumber id={`units-${id}`} min={0} step={1} precision={0} inputMode="numeric" data-testid={`ack-units-${task.locationId}`} />
        </Form.Item>
        <Form.Item name="note" label={t('store.note')} htmlFor={`note-${id}`}>
          <Input id={`note-${id}`} maxLength={2000} style={{ width: 200, maxWidth: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={ack.isPending} data-testid={`ack-submit-${task.locationId}`}>
          {task.status === 'acknowledged' ? t('store.again') : t('store.confirm')}
        </Button>
      </Form>
    </>
  );
}

function TaskCard({ task }: { readonly task: StoreTask }) {
  const { t, i18n } = useTranslation('recall');
  const now = useNow(30_000);
  const fmt = useDuration();
  const en = i18n.language === 'en';
  const left = Date.parse(task.dueAt) - now;
  const instructions = task.instructions ? (en ? task.instructions.en : task.instructions['zh-CN']) : null;
  return (
    <Card
      data-testid={`task-${task.locationId}`}
      data-status={task.status}
      title={
        <Flex wrap gap={8} align="center">
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>
            {task.caseNumber} · {task.title}
          </Typography.Title>
          {task.drill && <DrillTag />}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center">
          <LevelBadge level={task.level?.level} />
          <Tag>{t(`tasks.${task.kind}`)}</Tag>
          {task.status === 'acknowledged' ? (
            <Tag color="success" data-testid="task-acknowledged">{t('store.done', { n: task.unitsRemoved ?? 0 })}</Tag>
          ) : task.status === 'open' ? (
            <Tag color={left < 0 ? 'error' : 'processing'}>
              {t('tasks.due')}: {new Date(task.dueAt).toLocaleString(i18n.language)} · {left >= 0 ? t('clock.left', { t: fmt(left) }) : t('clock.late', { t: fmt(left) })}
            </Tag>
          ) : (
            <Tag>{t('tasks.cancelled')}</Tag>
          )}
          {task.escalationLevel > 0 && <Tag color="error">{t('tasks.escalation')} L{task.escalationLevel}</Tag>}
        </Flex>
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={[
          { key: 'loc', label: t('store.location'), children: `${task.locationName ?? task.locationId}${task.city ? ` · ${task.city}` : ''}` },
          { key: 'exp', label: t('tasks.expected'), children: task.unitsExpected ?? '—' },
        ]} />
        {instructions && (
          <Alert type={task.drill ? 'info' : 'warning'} showIcon title={t('store.instructions')} description={
            <>
              <div>{instructions}</div>
              <Typography.Text type="secondary">{en ? task.instructions?.['zh-CN'] : task.instructions?.en}</Typography.Text>
            </>
          } />
        )}
        {task.status !== 'cancelled' && <AckForm task={task} />}
      </Flex>
    </Card>
  );
}

/** The store's task list, also shown on the recall list page to a role that cannot read cases. */
export function StoreTasks() {
  const { t } = useTranslation('recall');
  const [params, setParams] = useSearchParams();
  const [location, setLocationState] = useState<string>(() => params.get('location') ?? localStorage.getItem(LOCATION_KEY) ?? '');
  const [show, setShow] = useState<'open' | 'all'>('open');
  const setLocation = (value: string | undefined) => {
    const v = value ?? '';
    setLocationState(v);
    if (v) localStorage.setItem(LOCATION_KEY, v);
    else localStorage.removeItem(LOCATION_KEY);
    const next = new URLSearchParams(params);
    if (v) next.set('location', v);
    else next.delete('location');
    setParams(next, { replace: true });
  };
  const places = useQuery({ queryKey: ['tasks', 'places'], queryFn: () => api<{ tasks: StoreTask[] }>('/api/tasks?limit=1000') });
  const tasks = useQuery({
    queryKey: ['tasks', location, show],
    queryFn: () => api<{ tasks: StoreTask[] }>(`/api/tasks${qs({ location: location || undefined, status: show === 'open' ? 'open' : undefined })}`),
  });
  const options = [...new Map((places.data?.tasks ?? []).map((x) => [x.locationId, x.locationName ? `${x.locationName} (${x.locationId})` : x.locationId])).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([value, label]) => ({ value, label }));
  return (
    <Flex vertical gap={16} data-testid="store-tasks">
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('store.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('store.intro')}</Typography.Paragraph>
      <Flex wrap gap={12} align="center">
        <label htmlFor="task-location">{t('store.location')}</label>
        <Select
          id="task-location"
          showSearch
          allowClear
          placeholder={t('store.all')}
          value={location || undefined}
          onChange={setLocation}
          options={location && !options.some((o) => o.value === location) ? [{ value: location, label: location }, ...options] : options}
          style={{ minWidth: 240, maxWidth: '100%' }}
          data-testid="task-location"
          optionFilterProp="label"
        />
        <Segmented aria-label={t('store.show')} value={show} onChange={(v) => setShow(v as 'open' | 'all')} options={[{ value: 'open', label: t('store.openOnly') }, { value: 'all', label: t('store.all2') }]} />
      </Flex>
      {tasks.error && <Alert type="error" showIcon title={(tasks.error as Error).message} />}
      {tasks.data && tasks.data.tasks.length === 0 && <Empty description={t('store.empty')} />}
      {(tasks.data?.tasks ?? []).map((task) => (
        <TaskCard key={`${task.caseId}/${task.locationId}/${task.kind}`} task={task} />
      ))}
    </Flex>
  );
}

export default function StoreTasksPage() {
  return <StoreTasks />;
}
