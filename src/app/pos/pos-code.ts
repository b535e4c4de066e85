/**
 * Read whatever a till or a dock scanner sends (any code form, or a GTIN and a lot as separate
 * parameters) into what the block index can answer: a unit, a lot, a product, a bare batch code or
 * a container. Pure; a code that cannot be read is a 400 pointing at the parameter.
 */
import { DomainError } from '../../core/errors.ts';
import { parseAnyCode, toCanonicalDigitalLink } from '../../core/gs1/any-code.ts';
import { toDomainError } from '../../core/gs1/gs1-error.ts';
import type { Gs1Error } from '../../core/gs1/gs1-error.ts';
import { parseGtin } from '../../core/gs1/keys.ts';
import { isCset82 } from '../../core/gs1/linters/charset.ts';
import { CANONICAL_DL_STEM } from '../../core/gs1/digital-link.ts';
import { classifyNode, nodeId, unitSeries } from '../trace/identifiers.ts';

/** A code as the block index sees it. */
export type PosCode =
  | { readonly kind: 'unit'; readonly gtin: string; readonly node: string; readonly series: string; readonly n: number; readonly lot: string | null }
  | { readonly kind: 'lot'; readonly gtin: string; readonly lot: string }
  | { readonly kind: 'product'; readonly gtin: string }
  | { readonly kind: 'batchCode'; readonly lot: string; readonly node: string | null }
  | { readonly kind: 'container'; readonly node: string };

/** The query of a check: a code, or a GTIN with a lot (either may complete the code). */
export interface PosCodeQuery {
  readonly code?: string;
  readonly gtin?: string;
  readonly lot?: string;
}

const URI_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function badParam(pointer: string, e: Gs1Error): DomainError {
  const d = toDomainError(e, pointer);
  return new DomainError('QueryParameterException', d.message, d.details);
}

function lotParam(lot: string): string {
  if (lot.length < 1 || lot.length > 20 || !isCset82(lot)) {
    throw new DomainError('QueryParameterException', 'lot must be 1 to 20 characters of the GS1 batch/lot character set (AI 10)', [{ pointer: '/query/lot', message: 'not a GS1 batch/lot number', rule: 'lot' }]);
  }
  return lot;
}

function gtinParam(gtin: string): string {
  const g = parseGtin(gtin.trim());
  if (!g.ok) throw badParam('/query/gtin', g.error);
  return g.value.gtin14;
}

function lotCode(gtin: string, lot: string): PosCode {
  return { kind: 'lot', gtin, lot };
}

/** Serials that the canonical Digital Link writes as they are (no percent-encoding). */
const PLAIN_SERIAL = /^[A-Za-z0-9]+$/;

/**
 * What the query names.
 * @example readPosCode({ code: '(01)06901234100037(10)B1(21)1003' }) // { kind: 'unit', lot: 'B1', series: '06901234100037||4', n: 1003, … }
 */
export function readPosCode(q: PosCodeQuery): PosCode {
  const lot = q.lot === undefined || q.lot === '' ? null : lotParam(q.lot);
  const gtin = q.gtin === undefined || q.gtin === '' ? null : gtinParam(q.gtin);
  const code = q.code?.trim() ?? '';
  if (code === '') {
    if (gtin !== null) return lot !== null ? lotCode(gtin, lot) : { kind: 'product', gtin };
    if (lot !== null) return { kind: 'batchCode', lot, node: null };
    throw new DomainError('QueryParameterException', 'give the code to check (code=…), or gtin=… with lot=…', [{ pointer: '/query/code', message: 'no code given', rule: 'required' }]);
  }
  const parsed = parseAnyCode(code);
  if (!parsed.ok) {
    // A non-GS1 identifier (a supplier's crate URI, say) may still be a container in the trace.
    if (URI_SCHEME.test(code) && !/^(https?|urn:epc|urn:gdst):/i.test(code)) return { kind: 'container', node: code };
    throw badParam('/query/code', parsed.error);
  }
  const id = parsed.value;
  switch (id.kind) {
    case 'gtin': {
      if (id.serial !== undefined) {
        // The usual numeric serial: its node and series without building the canonical link.
        if (PLAIN_SERIAL.test(id.serial)) {
          return { kind: 'unit', gtin: id.gtin, node: `${CANONICAL_DL_STEM}/01/${id.gtin}/21/${id.serial}`, ...unitSeries(id.gtin, id.serial), lot: id.lot ?? lot };
        }
        const canonical = toCanonicalDigitalLink(id, { qualifiers: 'epcis' });
        if (!canonical.ok) throw badParam('/query/code', canonical.error);
        // The trace engine's own canonical form (it percent-encodes fewer characters than GS1's).
        const c = classifyNode(nodeId(canonical.value));
        if (c.kind !== 'unit') return { kind: 'container', node: canonical.value };
        return { kind: 'unit', gtin: c.gtin, node: c.id, series: c.series, n: c.n, lot: id.lot ?? lot };
      }
      if (id.lot !== undefined) return lotCode(id.gtin, id.lot);
      return lot !== null ? lotCode(id.gtin, lot) : { kind: 'product', gtin: id.gtin };
    }
    case 'batchCode':
      if (gtin !== null) return lotCode(gtin, lotParam(id.code));
      return { kind: 'batchCode', lot: id.code, node: URI_SCHEME.test(id.code) ? id.code : null };
    case 'gdstProduct':
      return { kind: 'container', node: code };
    default: {
      // SSCC, GRAI, GIAI, …: containers as the trace engine names them.
      const canonical = toCanonicalDigitalLink(id, { qualifiers: 'epcis' });
      return { kind: 'container', node: canonical.ok ? canonical.value : code };
    }
  }
}
