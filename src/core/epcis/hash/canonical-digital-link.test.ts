import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasConformance, readConformanceJson } from '../../../../test/support/conformance.ts';
import { canonicalDigitalLink } from './canonical-digital-link.ts';
import { gs1CheckDigit } from './gs1-check-digit.ts';

interface NormaliserVector {
  readonly test: string;
  readonly line: number;
  readonly input: string | number;
  readonly expected: string | null;
}

describe.skipIf(!hasConformance)('canonicalDigitalLink: reference dl_normaliser vectors', () => {
  const vectors = hasConformance
    ? readConformanceJson<NormaliserVector[]>('epcis-event-hash-generator', '_derived', 'dl_normaliser_vectors.json')
    : [];

  it('has all 71 vectors', () => {
    expect(vectors).toHaveLength(71);
  });

  // One vector passes the number 42: non-strings must be rejected at run time too.
  it.each(vectors.map((v) => [`${v.test}:${v.line} ${String(v.input)}`, v] as const))('%s', (_, v) => {
    expect(canonicalDigitalLink(v.input as string)).toBe(v.expected);
    if (v.expected !== null) expect(canonicalDigitalLink(v.expected)).toBe(v.expected);
  });
});

describe('canonicalDigitalLink', () => {
  it('rejects what is not a GS1 identifier', () => {
    for (const id of ['', 'OBSERVE', 'urn:epc:id:sgtin:4012345.011111', 'urn:epc:id:sgtin:401234.011111.1',
      'urn:epc:id:sgtin:4012345.011111.a#b', 'urn:epcglobal:cbv:bt:4012345000009:ASN1099', 'geo:47.5,11.1',
      'https://example.com/', 'http://transaction.acme.com/po/12345678', 'ftp://id.gs1.org/01/09780345418913']) {
      expect(canonicalDigitalLink(id), id).toBeNull();
    }
  });

  it('keeps a canonical Digital Link URI as it is', () => {
    for (const id of ['https://id.gs1.org/01/04012345111118/21/9876', 'https://id.gs1.org/00/340123451111111111',
      'https://id.gs1.org/414/4012345000054/254/122', 'https://id.gs1.org/8010/0628165987/8011/9876']) {
      expect(canonicalDigitalLink(id)).toBe(id);
    }
  });

  it('strips the fragment as well as the query string', () => {
    expect(canonicalDigitalLink('https://brand.example/01/04012345111118/21/9876#top')).toBe(
      'https://id.gs1.org/01/04012345111118/21/9876',
    );
  });

  it('drops a CPV however long the rest of the path is', () => {
    expect(canonicalDigitalLink('https://id.gs1.org/01/04012345111118/22/A1/10/LOT-2024-0001/21/SERIAL-000000000001')).toBe(
      'https://id.gs1.org/01/04012345111118/21/SERIAL-000000000001',
    );
  });

  // Lotline indexes EPCs by this value, so a query in either form must find events in the other.
  it('gives an SGTIN the same canonical form from its EPC URI and from any Digital Link URI', () => {
    const serialChar = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._'.split(''));
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.array(serialChar, { minLength: 1, maxLength: 20 }).map((cs) => cs.join('')),
        fc.constantFrom('https://id.gs1.org', 'https://brand.example.com', 'http://shop.example.org/p'),
        (cpLength, digits, serial, domain) => {
          const d = digits.join('');
          const cp = d.slice(1, 1 + cpLength);
          const itemRef = d.slice(0, 1) + d.slice(1 + cpLength);
          const gtin13 = d.slice(0, 1) + cp + d.slice(1 + cpLength);
          const gtin = gtin13 + gs1CheckDigit(gtin13);
          const fromUrn = canonicalDigitalLink(`urn:epc:id:sgtin:${cp}.${itemRef}.${serial}`);
          expect(fromUrn).toBe(`https://id.gs1.org/01/${gtin}/21/${serial}`);
          expect(canonicalDigitalLink(`${domain}/01/${gtin}/21/${serial}?17=251231`)).toBe(fromUrn);
          expect(canonicalDigitalLink(`${domain}/gtin/${gtin}/lot/L1/ser/${serial}`)).toBe(fromUrn);
        },
      ),
    );
  });

  it('never throws, and its output is a fixed point (so indexing by it is stable)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('urn:epc:id:sgtin:', 'urn:epc:id:sgln:', 'urn:epc:id:cpi:', 'urn:epc:idpat:itip:', 'urn:epc:class:lgtin:',
        'https://id.gs1.org/', 'http://x.example/', '/01/', '/gtin/', '/21/', '/10/', '/22/', '/254/', '/8010/', '/8011/', '.',
        '4012345', '011111', '09780345418913', '%2F', '%21', '!', '*', "'", '?a=1', '#f'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const out = canonicalDigitalLink(pieces.join(''));
        if (out !== null) expect(canonicalDigitalLink(out)).toBe(out);
      }),
      { numRuns: 5000 },
    );
  });
});
