/**
 * Small pieces every recall page shows the same way: the level (colour AND text, never colour
 * alone), the case status, the drill marker, the legal clocks counting down, and server errors
 * placed next to the field they name.
 */
import { Alert, Flex, type FormInstance, type TablePaginationConfig, Tag, Tooltip, Typography } from 'antd';
import { type ReactElement, cloneElement, isValidElement, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import '../pages/recall/texts.ts';

/** China's levels: 一级 red, 二级 yellow, 三级 blue. Text colours keep ≥ 4.5:1 contrast on each. */
const LEVEL_STYLE: Record<number, { background: string; color: string }> = {
  1: { background: '#cf1322', color: '#fff' },
  2: { background: '#fadb14', color: '#000' },
  3: { background: '#1d39c4', color: '#fff' },
};

export function LevelBadge({ level }: { readonly level: number | null | undefined }) {
  const { t } = useTranslation('recall');
  if (!level) return <Tag data-testid="level-badge">{t('level.none')}</Tag>;
  const style = LEVEL_STYLE[level] ?? LEVEL_STYLE[3];
  return (
    <span data-testid="level-badge" data-level={level} style={{ ...style, borderRadius: 4, padding: '1px 8px', fontSize: 12, lineHeight: '20px', display: 'inline-block', whiteSpace: 'nowrap' }}>
      {t(`level.${level}`)}
    </span>
  );
}

const STATUS_COLOUR: Record<string, string> = { open: 'default', assessed: 'processing', scope_proposed: 'warning', active: 'error', closed: 'success', cancelled: 'default' };

export function StatusTag({ status }: { readonly status: string }) {
  const { t } = useTranslation('recall');
  return <Tag color={STATUS_COLOUR[status]} data-testid="case-status" data-status={status}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}

export function DrillTag() {
  const { t } = useTranslation('recall');
  return <Tag color="gold" data-testid="drill-tag">{t('drill')}</Tag>;
}

export interface ClockView {
  readonly id: string;
  readonly label: { readonly 'zh-CN': string; readonly en: string };
  readonly dueAt: string;
  readonly metAt: string | null;
  readonly status: 'pending' | 'due_soon' | 'overdue' | 'met' | 'met_late';
  readonly remainingMs: number;
}

/** A re-render every `ms` (clocks count down while the page is open). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** "3 d 4 h 12 min" / "3天4小时12分" */
export function useDuration(): (ms: number) => string {
  const { t, i18n } = useTranslation('recall');
  return (ms: number) => {
    const total = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
    const d = Math.floor(total / 1440);
    const h = Math.floor((total % 1440) / 60);
    const m = total % 60;
    const parts = [d ? t('clock.d', { n: d }) : '', d || h ? t('clock.h', { n: h }) : '', t('clock.m', { n: m })].filter(Boolean);
    return parts.join(i18n.language === 'en' ? ' ' : '');
  };
}

const CLOCK_COLOUR: Record<string, string> = { pending: 'processing', due_soon: 'warning', overdue: 'error', met: 'success', met_late: 'orange' };

export function Clocks({ clocks, compact = false }: { readonly clocks: readonly ClockView[]; readonly compact?: boolean }) {
  const { t, i18n } = useTranslation('recall');
  const now = useNow(compact ? 30_000 : 1000);
  const fmt = useDuration();
  if (clocks.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex wrap gap={compact ? 4 : 12} data-testid="clocks">
      {clocks.map((c) => {
        const left = Date.parse(c.dueAt) - now;
        const running = c.metAt === null;
        const label = i18n.language === 'en' ? c.label.en : c.label['zh-CN'];
        const status = running && left < 0 ? 'overdue' : c.status;
        return (
          <Tooltip key={c.id} title={`${label}: ${new Date(c.dueAt).toLocaleString(i18n.language)}`}>
            <Tag color={CLOCK_COLOUR[status]} data-testid={`clock-${c.id}`} style={{ whiteSpace: 'normal' }}>
              {label} · {t(`clock.${status}`)}
              {running ? ` · ${left >= 0 ? t('clock.left', { t: fmt(left) }) : t('clock.late', { t: fmt(left) })}` : ''}
            </Tag>
          </Tooltip>
        );
      })}
    </Flex>
  );
}

/** Turn a JSON pointer ("/reason", "/lots/0", "/instructions/en") into a form field path. */
export function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .replace(/^\/(body|query)(?=\/)/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/**
 * Put a server's field errors next to the fields of `form` they point at (trying the full path, then
 * shorter prefixes: "/lots/0" lands on "lots" when there is no "lots.0" field); what matches no field
 * is returned for an alert above the form.
 */
export function applyServerErrors(form: FormInstance | null, error: unknown, fieldNames: readonly (string | (string | number)[])[]): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)];
  const known = fieldNames.map((f) => (Array.isArray(f) ? f.join('.') : f));
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const e of error.errors) {
    const path = pointerToPath(e.pointer);
    let matched: (string | number)[] | null = null;
    for (let n = path.length; n > 0 && !matched; n--) if (known.includes(path.slice(0, n).join('.'))) matched = path.slice(0, n);
    if (matched && form) fields.push({ name: matched, errors: [e.message] });
    else rest.push(e.pointer ? `${e.pointer}: ${e.message}` : e.message);
  }
  if (form && fields.length) form.setFields(fields);
  if (fields.length === 0 || rest.length) rest.unshift(error.message);
  return [...new Set(rest)];
}

/** The errors that matched no field, and illegal transitions (409) explained. */
export function FormErrors({ messages, status }: { readonly messages: readonly string[]; readonly status?: number }) {
  const { t } = useTranslation('recall');
  if (messages.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="form-error"
      title={status === 409 ? t('error.conflict') : messages[0]}
      description={status === 409 ? messages.join(' · ') : messages.length > 1 ? messages.slice(1).join(' · ') : undefined}
      style={{ marginBottom: 12 }}
    />
  );
}

/** State for a form's server errors: `fail(e)` maps them, `errors` shows the rest. */
export function useServerErrors(form: FormInstance | null, fieldNames: readonly (string | (string | number)[])[]) {
  const [state, setState] = useState<{ messages: string[]; status?: number }>({ messages: [] });
  return {
    errors: <FormErrors messages={state.messages} status={state.status} />,
    fail: (e: unknown) => setState({ messages: applyServerErrors(form, e, fieldNames), status: e instanceof ApiError ? e.status : undefined }),
    clear: () => setState({ messages: [] }),
  };
}

/** Table pagination whose icon-only previous/next buttons are named (for screen readers). */
export function usePagination(pageSize: number): TablePaginationConfig {
  const { t } = useTranslation('recall');
  return {
    pageSize,
    hideOnSinglePage: true,
    showSizeChanger: false,
    itemRender: (_page, type, element) =>
      (type === 'prev' || type === 'next') && isValidElement(element) ? cloneElement(element as ReactElement<{ 'aria-label'?: string }>, { 'aria-label': t(type === 'prev' ? 'common.prev' : 'common.next') }) : element,
  };
}
