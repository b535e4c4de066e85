/**
 * Master data (主数据): products, locations, parties, equipment and operators — each a searchable,
 * paged table with forms and CSV import built from the server's field definitions — and the holiday
 * calendar the legal clocks count on. The open tab is in the URL (/console/master-data/locations).
 */
import { EllipsisOutlined } from '@ant-design/icons';
import { Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { addTranslations } from '../../i18n.ts';
import { EntityTab } from './EntityTab.tsx';
import { HolidaysTab } from './HolidaysTab.tsx';
import { KINDS, type Kind, labelOf, srOnly, useSchema } from './md-schema.ts';

addTranslations('master-data', {
  'zh-CN': {
    title: '主数据',
    moreTabs: '更多标签页',
    searchButton: '搜索',
    intro: '产品、地点、合作方、设备和操作员；可搜索、编辑、归档和用 CSV 批量导入。',
    search: '搜索{{entity}}',
    includeArchived: '包含已归档',
    new: '新建{{entity}}',
    import: '导入 CSV',
    importTitle: '导入{{entity}}（CSV）',
    template: '下载 CSV 模板',
    imported: '共 {{total}} 行：新增 {{created}}，更新 {{updated}}，拒绝 {{rejected}}',
    status: '状态',
    active: '在用',
    archivedTag: '已归档',
    actions: '操作',
    edit: '编辑',
    editOne: '编辑 {{id}}',
    archive: '归档',
    archiveOne: '归档 {{id}}',
    archiveConfirm: '归档 {{id}}？',
    archiveHint: '归档后不再出现在列表中，历史记录保留。',
    archived: '{{id}} 已归档',
    cancel: '取消',
    page: '第 {{page}} 页',
    prev: '上一页',
    next: '下一页',
    pageSize: '每页条数',
    perPage: '每页 {{n}}',
    holidays: {
      tab: '节假日',
      year: '年份',
      import: '导入 CSV',
      importTitle: '导入 {{year}} 年节假日（CSV：day,kind,name）',
      imported: '{{year}} 年已替换：{{count}} 条（原有 {{replaced}} 条）',
      export: '导出本年 CSV',
      revert: '恢复内置日历',
      revertConfirm: '删除本组织的 {{year}} 年日历，恢复使用国务院内置安排？',
      reverted: '{{year}} 年已恢复为内置日历',
      source: '来源',
      sources: { organisation: '本组织导入', 'built-in': '内置（国务院通知）', none: '无（仅按周末计算）' },
      workingDays: '工作日',
      offset: '时区',
      notice: '依据',
      day: '日期',
      kind: '类型',
      kinds: { holiday: '放假', workday: '调休上班' },
      name: '名称',
      months: '每月工作日',
      month: '月份',
    },
  },
  en: {
    title: 'Master data',
    moreTabs: 'More tabs',
    searchButton: 'Search',
    intro: 'Products, locations, parties, equipment and operators: search, edit, archive, and import in bulk from CSV.',
    search: 'Search {{entity}}',
    includeArchived: 'Include archived',
    new: 'New: {{entity}}',
    import: 'Import CSV',
    importTitle: 'Import {{entity}} (CSV)',
    template: 'Download CSV template',
    imported: '{{total}} rows: {{created}} added, {{updated}} updated, {{rejected}} refused',
    status: 'Status',
    active: 'Active',
    archivedTag: 'Archived',
    actions: 'Actions',
    edit: 'Edit',
    editOne: 'Edit {{id}}',
    archive: 'Archive',
    archiveOne: 'Archive {{id}}',
    archiveConfirm: 'Archive {{id}}?',
    archiveHint: 'It leaves the list; its history is kept.',
    archived: '{{id}} archived',
    cancel: 'Cancel',
    page: 'Page {{page}}',
    prev: 'Previous',
    next: 'Next',
    pageSize: 'Rows per page',
    perPage: '{{n}} / page',
    holidays: {
      tab: 'Holidays',
      year: 'Year',
      import: 'Import CSV',
      importTitle: 'Import the {{year}} holidays (CSV: day,kind,name)',
      imported: '{{year}} replaced: {{count}} entries ({{replaced}} before)',
      export: 'Export this year as CSV',
      revert: 'Back to the built-in calendar',
      revertConfirm: 'Delete your organisation\'s {{year}} calendar and use the built-in official one?',
      reverted: '{{year}} uses the built-in calendar again',
      source: 'Source',
      sources: { organisation: 'Imported by your organisation', 'built-in': 'Built-in (State Council notice)', none: 'None (weekends only)' },
      workingDays: 'Working days',
      offset: 'Time zone',
      notice: 'Based on',
      day: 'Date',
      kind: 'Kind',
      kinds: { holiday: 'Holiday', workday: 'Make-up workday' },
      name: 'Name',
      months: 'Working days per month',
      month: 'Month',
    },
  },
});

type TabKey = Kind | 'holidays';

export default function MasterDataPage() {
  const { t, i18n } = useTranslation('master-data');
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useParams<{ kind?: string }>();
  const schema = useSchema();
  const showHolidays = can('recall:read');
  const keys: TabKey[] = [...KINDS, ...(showHolidays ? (['holidays'] as const) : [])];
  const active: TabKey = keys.includes(params.kind as TabKey) ? (params.kind as TabKey) : 'products';

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>{t('title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      {schema.isLoading && <Spin />}
      {schema.error && <Typography.Text type="danger" role="alert">{schema.error instanceof ApiError ? `${schema.error.title}` : String(schema.error)}</Typography.Text>}
      {schema.data && (
        <Tabs
          activeKey={active}
          onChange={(k) => void navigate(`/master-data/${k}`)}
          data-testid="md-tabs"
          destroyOnHidden
          more={{ icon: <><EllipsisOutlined /><span style={srOnly}>{t('moreTabs')}</span></> }}
          items={keys.map((k) => {
            if (k === 'holidays') return { key: k, label: t('holidays.tab'), children: <HolidaysTab /> };
            const entity = schema.data.kinds.find((e) => e.kind === k);
            return { key: k, label: entity ? labelOf(entity, i18n.language) : k, children: entity ? <EntityTab key={k} entity={entity} /> : null };
          })}
        />
      )}
    </div>
  );
}
