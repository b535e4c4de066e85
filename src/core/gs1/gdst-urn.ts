/**
 * GDST (Global Dialogue on Seafood Traceability) product identifiers for organisations without
 * GS1 keys: `urn:gdst:{domain}:product:lot:class:{company}.{product}.{lot}`,
 * `urn:gdst:{domain}:product:serial:obj:{company}.{product}.{serial}` and the class itself,
 * `urn:gdst:{domain}:product:class:{company}.{product}`.
 */
import { err, ok, type Result } from '../result.ts';
import type { Gs1Error } from './gs1-error.ts';

/** A GDST product class, optionally narrowed to a lot or a serialised instance. */
export interface GdstProductIdentifier {
  readonly kind: 'gdstProduct';
  /** The product class URN, `urn:gdst:{domain}:product:class:{company}.{product}`. */
  readonly classUrn: string;
  readonly lot?: string;
  readonly serial?: string;
}

const RE = /^urn:gdst:([A-Za-z0-9.-]+):product:(lot:class|serial:obj|class):([^.\s]+)\.([^.\s]+)(?:\.(\S+))?$/;

/**
 * Parse a GDST product URN. Company, product and lot/serial keep their percent-encoding.
 * @example parseGdstUrn('urn:gdst:example.org:product:lot:class:processor.2u.v1-0122-2022')
 */
export function parseGdstUrn(urn: string): Result<GdstProductIdentifier, Gs1Error> {
  const m = RE.exec(urn);
  if (!m) return err({ kind: 'unrecognised', position: 0, message: 'not a GDST product URN (urn:gdst:<domain>:product:lot:class:…, :product:serial:obj:… or :product:class:…)' });
  const [, domain, form, company, product, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  const classUrn = `urn:gdst:${domain}:product:class:${company}.${product}`;
  if (form === 'class') {
    if (rest !== undefined) return err({ kind: 'unrecognised', position: m[0].length - rest.length - 1, message: 'a GDST product class URN has only company and product' });
    return ok({ kind: 'gdstProduct', classUrn });
  }
  if (rest === undefined || rest.length === 0) return err({ kind: 'unrecognised', position: urn.length, message: `a GDST ${form === 'lot:class' ? 'lot' : 'serial'} URN needs company.product.${form === 'lot:class' ? 'lot' : 'serial'}` });
  return ok(form === 'lot:class' ? { kind: 'gdstProduct', classUrn, lot: rest } : { kind: 'gdstProduct', classUrn, serial: rest });
}
