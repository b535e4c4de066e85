import { CBV_NAMESPACE } from './cbv-vocabulary.ts';
import { canonicalDigitalLink } from './canonical-digital-link.ts';
import { canonicalNumber } from './canonical-number.ts';

/** CBV 1.x URN vocabulary prefixes and their CBV 2.0 web URI equivalents (CBV 2.0 §8.9 rule 14). */
const URN_VOCABULARIES: readonly (readonly [string, string])[] = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV_NAMESPACE}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV_NAMESPACE}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV_NAMESPACE}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV_NAMESPACE}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV_NAMESPACE}ER-`],
];

/** Replace CBV 1.x vocabulary URNs by their web URIs wherever they occur, as the reference implementation does. */
function webVocabulary(text: string): string {
  let out = text;
  for (const [urn, web] of URN_VOCABULARIES) if (out.includes(urn)) out = out.replaceAll(urn, web);
  return out;
}

/** Whether `c` can start a number: a digit, a sign or a point. */
const mayStartNumber = (c: number): boolean => (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;

/**
 * A trimmed, prefix-expanded value in the form the pre-hash string carries it: CBV URNs become web
 * URIs, numbers lose redundant zeros, and GS1 identifiers (EPC URIs, Digital Link URIs) become
 * canonical `https://id.gs1.org/...` URIs. Anything else is returned as it is.
 *
 * @example canonicalValue('urn:epcglobal:cbv:bizstep:shipping') // 'https://ref.gs1.org/cbv/BizStep-shipping'
 * @example canonicalValue('452.0') // '452'
 */
export function canonicalValue(text: string): string {
  let out = text;
  if (out.includes('urn:epcglobal:cbv:')) out = webVocabulary(out);
  if (mayStartNumber(out.charCodeAt(0))) {
    const n = canonicalNumber(out);
    if (n !== null) return n;
  }
  return canonicalDigitalLink(out) ?? out;
}
