import { sql } from 'kysely';
import { DomainError } from '../core/errors.ts';
import {
  type BatchCodeConfig,
  type BatchCodeParts,
  type BatchCodeScheme,
  DEFAULT_BATCH_CODE_CONFIG,
  compileBatchCodeScheme,
  formatBatchCode,
  parseBatchCode,
} from '../core/gs1/batch-code.ts';
import type { Gs1Error } from '../core/gs1/gs1-error.ts';
import { takeSequence } from '../store/sequences.ts';
import { type Actor, recordAudit } from './audit.ts';
import type { AppContext } from './context.ts';

/** What to allocate: `count` consecutive batch codes for one production day, line and shift. */
export interface AllocateRequest {
  readonly productLine?: string;
  /** Production date `YYYY-MM-DD`; today in `timeZone` when omitted. */
  readonly date?: string;
  readonly timeZone?: string;
  readonly line: string;
  readonly shift: string;
  readonly variant?: string;
  readonly count: number;
}

/** The allocated codes, in sequence order. */
export interface Allocation {
  readonly codes: readonly string[];
  readonly firstSequence: number;
  readonly date: string;
  readonly scheme: BatchCodeConfig;
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The scheme that applies to a product line: its own, else the organisation's default, else the built-in one. */
export async function schemeFor(ctx: AppContext, orgId: string, productLine = ''): Promise<{ config: BatchCodeConfig; scheme: BatchCodeScheme }> {
  const rows = await ctx.database.db
    .selectFrom('batch_code_schemes')
    .select(['product_line', 'config'])
    .where('org_id', '=', orgId)
    .where('product_line', 'in', productLine ? [productLine, ''] : [''])
    .execute();
  const row = rows.find((r) => r.product_line === productLine) ?? rows.find((r) => r.product_line === '');
  const config = (row?.config as BatchCodeConfig | undefined) ?? DEFAULT_BATCH_CODE_CONFIG;
  const compiled = compileBatchCodeScheme(config);
  if (!compiled.ok) throw new DomainError('InvalidStateException', `the stored batch-code scheme is not valid: ${compiled.error.message}`);
  return { config, scheme: compiled.value };
}

/** Set the scheme of a product line ('' for the organisation's default); the pattern is checked first. */
export async function saveScheme(ctx: AppContext, actor: Actor, productLine: string, config: BatchCodeConfig): Promise<BatchCodeConfig> {
  const compiled = compileBatchCodeScheme(config);
  if (!compiled.ok) {
    throw new DomainError('ValidationException', compiled.error.message, [{ pointer: '/pattern', message: compiled.error.message, rule: 'batchCodePattern' }]);
  }
  await ctx.database.db.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO batch_code_schemes (org_id, product_line, config) VALUES (${actor.orgId}, ${productLine}, ${JSON.stringify(config)}::jsonb)
      ON CONFLICT (org_id, product_line) DO UPDATE SET config = EXCLUDED.config, version = batch_code_schemes.version + 1, updated_at = now()`.execute(tx);
    await recordAudit(tx, actor, { action: 'batchCodeScheme.save', targetType: 'batchCodeScheme', targetId: productLine || '(default)', detail: { config } });
  });
  return config;
}

/** Every scheme of the organisation. */
export async function listSchemes(ctx: AppContext, orgId: string): Promise<{ productLine: string; config: BatchCodeConfig; version: number }[]> {
  const rows = await ctx.database.db.selectFrom('batch_code_schemes').select(['product_line', 'config', 'version']).where('org_id', '=', orgId).orderBy('product_line').execute();
  return rows.map((r) => ({ productLine: r.product_line, config: r.config as BatchCodeConfig, version: r.version }));
}

/**
 * Allocate `count` batch codes. Sequence numbers come from one atomic upsert per day, line and shift,
 * so concurrent scanners never receive the same code, on either engine.
 */
export async function allocateBatchCodes(ctx: AppContext, actor: Actor, req: AllocateRequest): Promise<Allocation> {
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > 1000) {
    throw new DomainError('ValidationException', 'count must be a whole number from 1 to 1000', [{ pointer: '/count', message: 'expected 1..1000', rule: 'range' }]);
  }
  const date = req.date ?? localDate(ctx.clock.now(), req.timeZone ?? DEFAULT_TIME_ZONE);
  const { config, scheme } = await schemeFor(ctx, actor.orgId, req.productLine);
  const base: BatchCodeParts = { date, line: req.line, shift: req.shift, ...(req.variant ? { variant: req.variant } : {}) };
  // Check the parts before taking numbers, so a bad request does not burn sequence numbers.
  const probe = formatBatchCode(scheme, { ...base, sequence: 1 });
  if (!probe.ok) throw new DomainError('ValidationException', probe.error.message, [{ pointer: fieldPointer(probe.error), message: probe.error.message, rule: 'batchCode' }]);
  const scope = `${date}|${req.line}|${req.shift}`;
  return ctx.database.db.transaction().execute(async (tx) => {
    const { first, last } = await takeSequence(tx, actor.orgId, scope, req.count);
    const codes: string[] = [];
    for (let seq = first; seq <= last; seq++) {
      const code = formatBatchCode(scheme, { ...base, sequence: seq });
      if (!code.ok) throw new DomainError('ValidationException', `sequence ${seq} does not fit the pattern: ${code.error.message}`, [{ pointer: '/count', message: code.error.message, rule: 'batchCode' }]);
      codes.push(code.value);
    }
    await recordAudit(tx, actor, { action: 'batchCode.allocate', targetType: 'batchCode', targetId: codes[0], detail: { scope, count: req.count, first: codes[0], last: codes[codes.length - 1] } });
    return { codes, firstSequence: first, date, scheme: config };
  });
}

/** Parse a batch code with the scheme of its product line. */
export async function parseOrgBatchCode(ctx: AppContext, orgId: string, code: string, productLine?: string): Promise<BatchCodeParts> {
  const { scheme } = await schemeFor(ctx, orgId, productLine);
  const parsed = parseBatchCode(scheme, code);
  if (!parsed.ok) throw new DomainError('ValidationException', parsed.error.message, [{ pointer: '/query/code', message: parsed.error.message, rule: 'batchCode' }]);
  return parsed.value;
}

function localDate(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    throw new DomainError('ValidationException', `unknown time zone ${timeZone}`, [{ pointer: '/timeZone', message: 'expected an IANA time zone, e.g. Asia/Shanghai', rule: 'timeZone' }]);
  }
}

function fieldPointer(e: Gs1Error): string {
  const f = 'field' in e ? e.field?.toLowerCase() : undefined;
  return f === 'line' || f === 'shift' || f === 'variant' || f === 'date' ? `/${f}` : '';
}
