/**
 * fast-check arbitraries that produce valid GS1 AI values for every entry of the Syntax
 * Dictionary, honouring each component's character set, length and linters. Test support only.
 */
import fc from 'fast-check';
import type { AiComponent, AiDefinition } from '../ai-definition.ts';
import type { AiElement } from '../ai-element.ts';
import { gs1CheckDigit } from '../check-digit.ts';
import { checkCharacterPair } from '../linters/check-characters.ts';
import { CSET39_CHARACTERS, CSET64_CHARACTERS, CSET82_CHARACTERS } from '../linters/charset.ts';
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPES } from '../linters/code-lists.data.ts';

const list = (s: string): string[] => s.split(/\s+/).filter((x) => x.length > 0);
const DIGITS = '0123456789';
/** Set 82 without "%", so that values stay valid for the `pcenc` linter too. */
const CSET82_NO_PERCENT = CSET82_CHARACTERS.replace('%', '');

function charsOf(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function date(width: 6 | 8, zeroDay: boolean): fc.Arbitrary<string> {
  return fc.record({ y: fc.integer({ min: 2000, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: zeroDay ? 0 : 1, max: 28 }) }).map(({ y, m, d }) => (width === 8 ? pad(y, 4) : pad(y % 100, 2)) + pad(m, 2) + pad(d, 2));
}

function withCheckDigit(len: number): fc.Arbitrary<string> {
  return charsOf(DIGITS, len - 1, len - 1).map((b) => b + String(gs1CheckDigit(b)));
}

function iban(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...list(ISO3166_ALPHA2)), charsOf('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 8, 28)).map(([cc, bban]) => {
    const digits = [...`${bban}${cc}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
    let r = 0;
    for (const c of digits) r = (r * 10 + Number(c)) % 97;
    return `${cc}${pad(98 - r, 2)}${bban}`;
  });
}

const vli = (min: number, max: number, add: number): fc.Arbitrary<string> => fc.integer({ min, max }).chain((v) => charsOf(DIGITS, v + add, v + add).map((d) => `${v}${d}`));

function couponCode(): fc.Arbitrary<string> {
  const purchase = fc.tuple(vli(1, 5, 0), fc.constantFrom('0', '1', '2', '3', '4', '9'), charsOf(DIGITS, 3, 3)).map((p) => p.join(''));
  return fc
    .tuple(vli(0, 6, 6), charsOf(DIGITS, 6, 6), vli(1, 5, 0), purchase, fc.boolean(), fc.option(fc.tuple(fc.constantFrom('0', '1', '2', '5', '6'), fc.constantFrom('0', '1', '2'), fc.constantFrom('0', '1'), fc.constantFrom('0', '1')).map((t) => `9${t.join('')}`), { nil: '' }))
    .map(([gcp, offer, save, first, serial, misc]) => `${gcp}${offer}${save}${first}${serial ? '50123456' : ''}${misc}`)
    .filter((s) => s.length <= 70);
}

function couponPosOffer(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('0', '1'), vli(0, 6, 6), charsOf(DIGITS, 6, 6), vli(0, 9, 6)).map((t) => t.join(''));
}

/** An arbitrary for one component, given the room left (components are consumed greedily). */
export function componentArbitrary(c: AiComponent): fc.Arbitrary<string> {
  const L = new Set<string>(c.linters);
  const fixed = c.min === c.max;
  if (L.has('couponcode')) return couponCode();
  if (L.has('couponposoffer')) return couponPosOffer();
  if (L.has('iban')) return iban();
  if (L.has('yymmd0')) return date(6, true);
  if (L.has('yymmdd')) return date(6, false);
  if (L.has('yyyymmdd')) return date(8, false);
  if (L.has('yyyymmd0')) return date(8, true);
  if (L.has('hh')) return fc.integer({ min: 0, max: 23 }).map((h) => pad(h, 2));
  if (L.has('mi') || L.has('ss')) return fc.integer({ min: 0, max: 59 }).map((m) => pad(m, 2));
  if (L.has('hhmi')) return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => pad(h, 2) + pad(m, 2));
  if (L.has('iso3166')) return fc.constantFrom(...list(ISO3166_NUMERIC));
  if (L.has('iso3166999')) return fc.constantFrom('999', ...list(ISO3166_NUMERIC));
  if (L.has('iso3166alpha2')) return fc.constantFrom(...list(ISO3166_ALPHA2));
  if (L.has('iso4217')) return fc.constantFrom(...list(ISO4217_NUMERIC));
  if (L.has('iso5218')) return fc.constantFrom('0', '1', '2', '9');
  if (L.has('mediatype')) return fc.integer({ min: 1, max: 30 }).map((v) => pad(v <= 10 ? v : v + 69, 2));
  if (L.has('packagetype')) return fc.constantFrom(...list(PACKAGE_TYPES));
  if (L.has('yesno')) return fc.constantFrom('0', '1');
  if (L.has('winding')) return fc.constantFrom('0', '1', '9');
  if (L.has('zero')) return fc.constant('0'.repeat(c.min));
  if (L.has('hyphen')) return fc.constant('-'.repeat(c.min));
  if (L.has('importeridx')) return fc.constantFrom(...`${DIGITS}ABCXYZabcxyz-_`);
  if (L.has('latitude')) return fc.integer({ min: 0, max: 1800000000 }).map((v) => pad(v, 10));
  if (L.has('longitude')) return fc.integer({ min: 0, max: 3600000000 }).map((v) => pad(v, 10));
  if (L.has('pieceoftotal')) {
    const w = c.min / 2;
    return fc.integer({ min: 1, max: 10 ** w - 1 }).chain((total) => fc.integer({ min: 1, max: total }).map((piece) => pad(piece, w) + pad(total, w)));
  }
  if (L.has('posinseqslash')) return fc.integer({ min: 1, max: 9 }).chain((end) => fc.integer({ min: 1, max: end }).map((p) => `${p}/${end}`));
  if (L.has('nonzero')) return charsOf(DIGITS, c.min, c.max).filter((s) => /[1-9]/.test(s));
  if (L.has('nozeroprefix')) return fc.tuple(fc.constantFrom(...'123456789'), charsOf(DIGITS, c.min - 1, c.max - 1)).map(([a, b]) => a + b);
  if (L.has('csum')) {
    if (fixed) return withCheckDigit(c.min);
    return fc.integer({ min: Math.max(c.min, 5), max: c.max }).chain(withCheckDigit);
  }
  if (L.has('csumalpha')) {
    const gcp = L.has('gcppos1') ? 4 : 0;
    const nonDigit = L.has('hasnondigit');
    return fc
      .integer({ min: Math.max(c.min, gcp + 3), max: c.max })
      .chain((len) => fc.tuple(charsOf(DIGITS, gcp, gcp), charsOf(CSET82_NO_PERCENT, len - 2 - gcp, len - 2 - gcp)))
      .map(([prefix, body]) => {
        const data = nonDigit && !/\D/.test(body) ? `${prefix}${body.slice(0, -1)}A` : prefix + body;
        return data + (checkCharacterPair(data) as string);
      });
  }
  const alphabet = c.cset === 'N' ? DIGITS : c.cset === 'Y' ? CSET39_CHARACTERS : c.cset === 'Z' ? CSET64_CHARACTERS : CSET82_NO_PERCENT;
  if (L.has('gcppos1') || L.has('gcppos2')) {
    const off = L.has('gcppos2') ? 1 : 0;
    return fc.integer({ min: Math.max(c.min, 4 + off), max: c.max }).chain((len) => fc.tuple(charsOf(alphabet, off, off), charsOf(DIGITS, 4, 4), charsOf(alphabet, len - 4 - off, len - 4 - off)).map((t) => t.join('')));
  }
  if (L.has('pcenc')) {
    return charsOf(alphabet, c.min, c.max).chain((s) => fc.boolean().map((esc) => (esc && s.length >= 3 ? `%4A${s.slice(3)}` : s)));
  }
  if (L.has('hasnondigit')) return charsOf(alphabet, c.min, c.max).filter((s) => /\D/.test(s));
  return charsOf(alphabet, c.min, c.max);
}

/** A valid value for `d`: mandatory components, then a prefix of the optional ones. */
export function aiValueArbitrary(d: AiDefinition): fc.Arbitrary<string> {
  const mandatory = d.components.filter((c) => !c.optional).map(componentArbitrary);
  const optional = d.components.filter((c) => c.optional).map(componentArbitrary);
  return fc.tuple(fc.tuple(...mandatory), fc.integer({ min: 0, max: optional.length }).chain((k) => fc.tuple(...optional.slice(0, k)))).map(([m, o]) => [...m, ...o].join(''));
}

/** An element of AI `d` with a valid value. */
export function aiElementArbitrary(d: AiDefinition): fc.Arbitrary<AiElement> {
  return aiValueArbitrary(d).map((value) => ({ ai: d.ai, value }));
}
