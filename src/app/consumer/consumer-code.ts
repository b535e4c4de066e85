/**
 * What a consumer's scan names: the GS1 Digital Link path Lotline answers on its own host
 * (`/01/{gtin}[/10/{lot}][/21/{serial}]`, GTIN-8/12/13 padded to 14 digits as the Digital Link
 * standard allows, data attributes such as `?17=YYMMDD` in the query), and the non-AI query
 * parameters the resolver understands (`linkType`, `lang`). Pure.
 */
import { buildDigitalLink, parseDigitalLink } from '../../core/gs1/digital-link.ts';
import type { AiElement } from '../../core/gs1/ai-element.ts';
import { type Result, err, ok } from '../../core/result.ts';
import { lotNode, nodeId } from '../trace/identifiers.ts';

/** A scanned trade item: always a GTIN, with the lot and serial when the code carries them. */
export interface ConsumerCode {
  readonly gtin: string;
  readonly lot: string | null;
  readonly serial: string | null;
  /** The other AIs of the query, e.g. `{ '17': '260926' }` (expiry printed on the pack). */
  readonly attributes: Readonly<Record<string, string>>;
  /** `/01/{gtin14}[/10/{lot}][/21/{serial}]`, percent-encoded: the path every link of the page uses. */
  readonly path: string;
  /** The same path on https://id.gs1.org: how complaints and return tickets name the code. */
  readonly canonical: string;
  /** The trace node of the unit (canonical `…/01/{gtin}/21/{serial}`), or null without a serial. */
  readonly unitNode: string | null;
  /** The lot node the code prints, or null without a lot. */
  readonly printedLot: string | null;
}

/** The non-AI query parameters of a resolver request. */
export interface ResolverQuery {
  /** `linkType` as sent (a CURIE such as `gs1:pip`, a full URI, `linkset` or `all`), or null. */
  readonly linkType: string | null;
  /** `lang` when it is one of the page's languages, else null. */
  readonly lang: 'zh-CN' | 'en' | null;
}

/** Why a path is not a code Lotline can answer. */
export interface CodeError {
  readonly message: string;
}

/**
 * Read the request URL (path and query as received) of a resolver request.
 * @example readConsumerCode('/01/6901234567892/10/B1/21/1003?linkType=gs1:pip')
 * // ok({ code: { gtin: '06901234567892', lot: 'B1', serial: '1003', … }, query: { linkType: 'gs1:pip', lang: null } })
 */
export function readConsumerCode(url: string): Result<{ code: ConsumerCode; query: ResolverQuery }, CodeError> {
  if (!url.startsWith('/')) return err({ message: 'the path must start with /' });
  const parsed = parseDigitalLink(`https://resolver.invalid${url}`, { permitZeroSuppressedGtin: true });
  if (!parsed.ok) return err({ message: parsed.error.message });
  const dl = parsed.value;
  // The host serves trade items only: the primary key must be the GTIN at the start of the path.
  if (dl.stem !== 'https://resolver.invalid' || dl.elements[0]?.ai !== '01') return err({ message: 'only /01/{gtin}/… paths are answered here' });
  const path = dl.elements.slice(0, dl.pathLength);
  const value = (ai: string) => path.find((e) => e.ai === ai)?.value ?? null;
  if (path.some((e) => e.ai !== '01' && e.ai !== '10' && e.ai !== '21')) return err({ message: 'only the lot (10) and serial (21) qualifiers are answered here' });
  const gtin = value('01') as string;
  const lot = value('10');
  const serial = value('21');
  const attributes: Record<string, string> = {};
  for (const e of dl.elements.slice(dl.pathLength)) attributes[e.ai] = e.value;
  const keyElements: AiElement[] = [{ ai: '01', value: gtin }, ...(lot === null ? [] : [{ ai: '10', value: lot }]), ...(serial === null ? [] : [{ ai: '21', value: serial }])];
  const canonical = buildDigitalLink(keyElements);
  if (!canonical.ok) return err({ message: canonical.error.message });
  const code: ConsumerCode = {
    gtin,
    lot,
    serial,
    attributes,
    path: canonical.value.slice('https://id.gs1.org'.length),
    canonical: canonical.value,
    unitNode: serial === null ? null : nodeId(`https://id.gs1.org/01/${gtin}/21/${encodeURIComponent(serial)}`),
    printedLot: lot === null ? null : lotNode(gtin, lot),
  };
  return ok({ code, query: readQuery(dl.otherParameters) });
}

function readQuery(parameters: readonly string[]): ResolverQuery {
  let linkType: string | null = null;
  let lang: 'zh-CN' | 'en' | null = null;
  for (const p of parameters) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    let v: string;
    try {
      v = decodeURIComponent((eq < 0 ? '' : p.slice(eq + 1)).replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (key === 'linkType' && linkType === null) linkType = v;
    if (key === 'lang' && (v === 'zh-CN' || v === 'en')) lang = v;
  }
  return { linkType, lang };
}
