/**
 * The master-data field definitions, read from `GET /api/master-data/schema` (the server's own
 * definitions, so tables and forms follow it), and small helpers to show them in the current language.
 */
import { useQuery } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import { api, type ProblemDetail } from '../../api.ts';

export const KINDS = ['products', 'locations', 'parties', 'equipment', 'operators'] as const;
export type Kind = (typeof KINDS)[number];

export interface FieldView {
  readonly name: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly type: 'id' | 'text' | 'enum' | 'int' | 'number' | 'gtin' | 'gln' | 'email' | 'ref' | 'json';
  readonly required: boolean;
  readonly identifier: boolean;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly values?: readonly string[];
  readonly refersTo?: Kind;
}

export interface EntityView {
  readonly kind: Kind;
  readonly idField: string;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly fields: readonly FieldView[];
}

/** A record as the API lists it: its fields plus bookkeeping. */
export type MasterRecord = Record<string, unknown> & { readonly archived: boolean; readonly version: number; readonly updatedAt: string };

export function useSchema() {
  return useQuery({ queryKey: ['master-data-schema'], queryFn: () => api<{ kinds: EntityView[] }>('/api/master-data/schema'), staleTime: Infinity });
}

/** A label in the language shown. */
export function labelOf(x: { readonly labelZh: string; readonly labelEn: string }, lang: string): string {
  return lang === 'en' ? x.labelEn : x.labelZh;
}

/**
 * Server errors by form field: the first useful message per pointer (`/gtin` → gtin). Schema
 * validation reports a pattern failure and then the union's "must be null" and "anyOf" noise for the
 * same field; only the first is worth showing.
 */
export function fieldErrors(errors: readonly ProblemDetail[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of errors) {
    const name = /^\/(?:body\/)?([^/]+)/.exec(e.pointer)?.[1];
    if (!name || out.has(name) || e.rule === 'anyOf') continue;
    out.set(name, e.message);
  }
  return out;
}

/** Text for screen readers only (e.g. the name of an icon-only button). */
export const srOnly: CSSProperties = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0,0,0,0)', whiteSpace: 'nowrap', border: 0 };

/**
 * Tag colours with dark text (contrast above 4.5:1 on their pale backgrounds); antd's preset green
 * and gold tags are too light to read. Meaning is always in the tag's text as well.
 */
export const tone: Readonly<Record<'green' | 'gold' | 'red' | 'blue' | 'grey', CSSProperties>> = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  gold: { color: '#613400', background: '#fffbe6', borderColor: '#ffe58f' },
  red: { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' },
  blue: { color: '#10239e', background: '#f0f5ff', borderColor: '#adc6ff' },
  grey: { color: '#262626', background: '#fafafa', borderColor: '#d9d9d9' },
};
