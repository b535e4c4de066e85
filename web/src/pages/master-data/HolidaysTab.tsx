/**
 * The holiday calendar (节假日) the legal recall clocks count working days on: a year's holidays and
 * make-up workdays with their source (the built-in official notice, or the organisation's own import),
 * working days per month, CSV import of a year (all or nothing, errors by row and column), and a way
 * back to the built-in year.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Flex, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { CsvImport } from '../../components/md-csv-import.tsx';
import { saveBlob, uploadText } from './md-http.ts';
import { tone } from './md-schema.ts';

interface Entry { readonly day: string; readonly kind: 'holiday' | 'workday'; readonly name: string | null; readonly source: 'organisation' | 'built-in' }
interface CalendarYear {
  readonly year: number;
  readonly offset: string;
  readonly source: 'organisation' | 'built-in' | 'none';
  readonly builtIn: { readonly 'zh-CN': string; readonly en: string; readonly documentNumber?: string } | null;
  readonly entries: readonly Entry[];
  readonly workingDays: number;
  readonly months: readonly { readonly month: string; readonly workingDays: number; readonly holidays: number; readonly makeUpWorkdays: number }[];
  readonly notice?: { readonly 'zh-CN': string; readonly en: string };
}
interface ReplaceReport { readonly calendar: CalendarYear; readonly replaced: number; readonly warnings: readonly { pointer: string; message: string; row?: number; column?: string }[] }

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function HolidaysTab() {
  const { t, i18n } = useTranslation('master-data');
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { can } = useAuth();
  const configurable = can('recall:configure');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [importing, setImporting] = useState(false);

  const cal = useQuery({ queryKey: ['calendar', year], queryFn: () => api<CalendarYear>(`/api/calendar${qs({ year })}`) });
  const revert = useMutation({
    mutationFn: () => api<ReplaceReport>(`/api/calendar/${year}`, { method: 'PUT', body: { entries: [] } }),
    onSuccess: async () => {
      message.success(t('holidays.reverted', { year }));
      await queryClient.invalidateQueries({ queryKey: ['calendar', year] });
    },
    onError: (e) => message.error(e instanceof ApiError ? `${e.title}: ${e.message}` : String(e)),
  });

  const weekday = (day: string) => new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  const data = cal.data;
  const exportCsv = () => {
    const lines = ['day,kind,name', ...(data?.entries ?? []).map((e) => [e.day, e.kind, csvCell(e.name ?? '')].join(','))];
    saveBlob(new Blob([`\ufeff${lines.join('\n')}\n`], { type: 'text/csv' }), `holidays-${year}.csv`);
  };
  const template = () => saveBlob(new Blob([`\ufeffday,kind,name\n${year}-01-01,holiday,元旦 New Year\n`], { type: 'text/csv' }), `holidays-template.csv`);
  const upload = async (text: string, _validRows: boolean, onProgress: Parameters<typeof uploadText>[4]) => {
    const r = await uploadText<ReplaceReport>('PUT', `/api/calendar/${year}`, 'text/csv', text, onProgress);
    await queryClient.invalidateQueries({ queryKey: ['calendar', year] });
    return { summary: t('holidays.imported', { year, count: r.calendar.entries.length, replaced: r.replaced }), errors: r.warnings };
  };

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8} justify="space-between" align="center">
        <Space wrap>
          <label htmlFor="holiday-year">{t('holidays.year')}</label>
          <InputNumber id="holiday-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} data-testid="holiday-year" />
        </Space>
        <Space wrap>
          {configurable && <Button type="primary" onClick={() => setImporting(true)} data-testid="holiday-import">{t('holidays.import')}</Button>}
          <Button onClick={exportCsv} disabled={!data?.entries.length}>{t('holidays.export')}</Button>
          {configurable && data?.source === 'organisation' && (
            <Popconfirm title={t('holidays.revertConfirm', { year })} okText={t('holidays.revert')} cancelText={t('cancel')} onConfirm={() => revert.mutate()}>
              <Button danger>{t('holidays.revert')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Flex>
      {cal.error && <Typography.Text type="danger" role="alert">{cal.error instanceof ApiError ? cal.error.title : String(cal.error)}</Typography.Text>}
      {data && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }} data-testid="holiday-summary">
            <Descriptions.Item label={t('holidays.source')}>
              <Tag style={tone[data.source === 'organisation' ? 'blue' : data.source === 'built-in' ? 'green' : 'gold']}>{t(`holidays.sources.${data.source}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('holidays.workingDays')}>{data.workingDays}</Descriptions.Item>
            <Descriptions.Item label={t('holidays.offset')}>UTC{data.offset}</Descriptions.Item>
            {data.builtIn && <Descriptions.Item label={t('holidays.notice')} span={3}>{data.builtIn[lang]}{data.builtIn.documentNumber ? `（${data.builtIn.documentNumber}）` : ''}</Descriptions.Item>}
          </Descriptions>
          {data.notice && <Alert type="warning" showIcon title={data.notice[lang]} />}
          <Table
            size="small"
            rowKey="day"
            data-testid="holiday-table"
            dataSource={[...data.entries]}
            pagination={data.entries.length > 40 ? { pageSize: 40 } : false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('holidays.day'), dataIndex: 'day', render: (d: string) => `${d}（${weekday(d)}）` },
              { title: t('holidays.kind'), dataIndex: 'kind', render: (k: Entry['kind']) => <Tag style={tone[k === 'holiday' ? 'red' : 'gold']}>{t(`holidays.kinds.${k}`)}</Tag> },
              { title: t('holidays.name'), dataIndex: 'name', render: (n: string | null) => n ?? '—' },
              { title: t('holidays.source'), dataIndex: 'source', render: (s: Entry['source']) => t(`holidays.sources.${s}`) },
            ]}
          />
          <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>{t('holidays.months')}</Typography.Title>
          <Table
            size="small"
            rowKey="month"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={[...data.months]}
            columns={[
              { title: t('holidays.month'), dataIndex: 'month' },
              { title: t('holidays.workingDays'), dataIndex: 'workingDays' },
              { title: t('holidays.kinds.holiday'), dataIndex: 'holidays' },
              { title: t('holidays.kinds.workday'), dataIndex: 'makeUpWorkdays' },
            ]}
          />
        </>
      )}
      <CsvImport open={importing} title={t('holidays.importTitle', { year })} onClose={() => setImporting(false)} upload={upload} onTemplate={template} allowValidRows={false} />
    </Flex>
  );
}
