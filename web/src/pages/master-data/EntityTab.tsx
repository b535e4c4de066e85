/**
 * One kind of master data: a searchable, paged table whose columns are the entity's fields, with
 * create, edit and archive for roles that may write, CSV import and the import template.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, download, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { CsvImport } from '../../components/md-csv-import.tsx';
import { RecordForm } from '../../components/md-record-form.tsx';
import { uploadText } from './md-http.ts';
import { type EntityView, type FieldView, type MasterRecord, labelOf, tone } from './md-schema.ts';

interface ImportReport {
  readonly total: number;
  readonly created: number;
  readonly updated: number;
  readonly rejected: number;
  readonly errors: readonly { pointer: string; message: string; row?: number; column?: string }[];
}

function cell(f: FieldView, v: unknown) {
  if (v === null || v === undefined || v === '') return <span aria-label="—">—</span>;
  if (f.type === 'json') return <code>{JSON.stringify(v)}</code>;
  if (f.type === 'enum') return <Tag>{String(v)}</Tag>;
  return String(v);
}

export function EntityTab({ entity }: { entity: EntityView }) {
  const { t, i18n } = useTranslation('master-data');
  const lang = i18n.language;
  const { can } = useAuth();
  const writable = can('masterdata:write');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);
  const [limit, setLimit] = useState(20);
  /** The `after` cursor of each page seen so far: [undefined, next of page 1, …]. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const [editing, setEditing] = useState<MasterRecord | null | 'new'>(null);
  const [importing, setImporting] = useState(false);

  const list = useQuery({
    queryKey: ['md', entity.kind, 'list', { q, includeArchived, limit, after: cursors[page] }],
    queryFn: () => api<{ items: MasterRecord[]; next: string | null }>(`/api/${entity.kind}${qs({ q, includeArchived, limit, after: cursors[page] })}`),
    placeholderData: (prev) => prev,
  });
  const restart = () => setCursors([undefined]);

  const archive = useMutation({
    mutationFn: (id: string) => api<MasterRecord>(`/api/${entity.kind}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: async (_r, id) => {
      message.success(t('archived', { id }));
      await queryClient.invalidateQueries({ queryKey: ['md', entity.kind] });
    },
    onError: (e) => message.error(e instanceof ApiError ? `${e.title}: ${e.message}` : String(e)),
  });

  const name = labelOf(entity, lang);
  const shown = entity.fields.filter((f) => f.type !== 'json');
  const columns = [
    ...shown.map((f) => ({
      title: labelOf(f, lang),
      dataIndex: f.name,
      key: f.name,
      fixed: f.identifier ? ('left' as const) : undefined,
      render: (v: unknown) => cell(f, v),
      ellipsis: f.name === 'address',
    })),
    {
      title: t('status'),
      key: 'archived',
      render: (_: unknown, r: MasterRecord) => (r.archived ? <Tag style={tone.grey}>{t('archivedTag')}</Tag> : <Tag style={tone.green}>{t('active')}</Tag>),
    },
    ...(writable
      ? [{
          title: t('actions'),
          key: 'actions',
          fixed: 'right' as const,
          render: (_: unknown, r: MasterRecord) => {
            const id = String(r[entity.idField]);
            return (
              <Space size={0} wrap>
                <Button type="link" size="small" style={{ color: '#1d39c4' }} onClick={() => setEditing(r)} aria-label={t('editOne', { id })} data-testid="md-edit">{t('edit')}</Button>
                {!r.archived && (
                  <Popconfirm title={t('archiveConfirm', { id })} description={t('archiveHint')} okText={t('archive')} cancelText={t('cancel')} onConfirm={() => archive.mutate(id)}>
                    <Button type="link" size="small" danger style={{ color: '#a8071a' }} aria-label={t('archiveOne', { id })}>{t('archive')}</Button>
                  </Popconfirm>
                )}
              </Space>
            );
          },
        }]
      : []),
  ];

  const upload = async (text: string, validRows: boolean, onProgress: Parameters<typeof uploadText>[4]) => {
    const report = await uploadText<ImportReport>('POST', `/api/${entity.kind}/import${qs({ mode: validRows ? 'valid-rows' : undefined })}`, 'text/csv', text, onProgress);
    await queryClient.invalidateQueries({ queryKey: ['md', entity.kind] });
    return { summary: t('imported', { total: report.total, created: report.created, updated: report.updated, rejected: report.rejected }), errors: report.errors };
  };

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8} justify="space-between" align="center">
        <Flex wrap gap={8} align="center">
          <Input.Search
            enterButton={t('searchButton')}
            aria-label={t('search', { entity: name })}
            placeholder={t('search', { entity: name })}
            style={{ width: 260, maxWidth: '100%' }}
            onSearch={(v) => {
              setQ(v.trim());
              restart();
            }}
            data-testid="md-search"
          />
          <Checkbox checked={includeArchived} onChange={(e) => { setIncludeArchived(e.target.checked); restart(); }}>{t('includeArchived')}</Checkbox>
        </Flex>
        <Space wrap>
          {writable && <Button type="primary" onClick={() => setEditing('new')} data-testid="md-new">{t('new', { entity: name })}</Button>}
          {writable && <Button onClick={() => setImporting(true)} data-testid="md-import">{t('import')}</Button>}
          <Button onClick={() => void download(`/api/${entity.kind}/template.csv`, `${entity.kind}-template.csv`)}>{t('template')}</Button>
        </Space>
      </Flex>
      {list.error && <Typography.Text type="danger" role="alert">{list.error instanceof ApiError ? list.error.title : String(list.error)}</Typography.Text>}
      <Table
        data-testid={`md-table-${entity.kind}`}
        size="small"
        rowKey={(r) => String(r[entity.idField])}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <Flex wrap gap={8} align="center" justify="flex-end">
        <Typography.Text type="secondary">{t('page', { page: page + 1 })}</Typography.Text>
        <Button disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>{t('prev')}</Button>
        <Button disabled={!list.data?.next} onClick={() => setCursors((c) => [...c, list.data?.next ?? undefined])} data-testid="md-next">{t('next')}</Button>
        <Select
          aria-label={t('pageSize')}
          value={limit}
          onChange={(v) => { setLimit(v); restart(); }}
          options={[20, 50, 100].map((n) => ({ value: n, label: t('perPage', { n }) }))}
          style={{ width: 110 }}
        />
      </Flex>
      <RecordForm entity={entity} record={editing === 'new' ? null : editing} open={editing !== null} onClose={() => setEditing(null)} />
      <CsvImport
        open={importing}
        title={t('importTitle', { entity: name })}
        onClose={() => setImporting(false)}
        upload={upload}
        onTemplate={() => void download(`/api/${entity.kind}/template.csv`, `${entity.kind}-template.csv`)}
      />
    </Flex>
  );
}
