import bwipjs from 'bwip-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMatrixBatch } from './matrix-batch.ts';
import { encodeMatrix } from './matrix-encode.ts';
import { readFormat, remaskQr, type ModuleMatrix } from './qr-mask.ts';

function bwipAuto(text: string): ModuleMatrix {
  const first = bwipjs.raw('qrcode', text, 'eclevel=M')[0];
  if (first === undefined || !('pixs' in first)) throw new Error('no matrix');
  return { size: first.pixx, modules: Uint8Array.from(first.pixs) };
}

describe('QR mask selection', () => {
  it('chooses exactly the symbol bwip-js chooses, for versions 1 to 40 (property)', () => {
    const text = fc.oneof(
      fc.integer({ min: 1, max: 1200 }).chain((n) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./?=&%'), minLength: n, maxLength: n })),
      fc.integer({ min: 1, max: 2000 }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })),
      fc.integer({ min: 0, max: 999999 }).map((n) => `https://id.gs1.org/01/09520123456788/10/251215-CS-AM-001/21/${n}?11=251215&17=261215`),
    );
    const seen = new Set<number>();
    fc.assert(
      fc.property(text, (t) => {
        const auto = bwipAuto(t);
        seen.add(auto.size);
        const fast = encodeMatrix({ symbology: 'qrCode', text: t });
        expect(fast.size).toBe(auto.size);
        expect(Buffer.from(fast.modules).equals(Buffer.from(auto.modules))).toBe(true);
      }),
      { numRuns: 120 },
    );
    expect(seen.size).toBeGreaterThan(10);
  });

  it('reads format information and refuses a damaged one', () => {
    const m = bwipAuto('hello');
    // BWIPP raises the level to H because "hello" fits version 1 at H.
    expect(readFormat(m)).toEqual({ ec: 'H', mask: expect.any(Number) });
    const broken = new Uint8Array(m.modules);
    for (let i = 0; i < 6; i++) broken[i * m.size + 8] = 1 - (broken[i * m.size + 8] as number);
    expect(remaskQr({ size: m.size, modules: broken })).toBeNull();
  });

  it('encodes batches on worker threads, in order', async () => {
    const texts = Array.from({ length: 240 }, (_, i) => `https://id.gs1.org/01/09520123456788/21/${i}`);
    const r = await encodeMatrixBatch(
      texts.map((text) => ({ symbology: 'qrCode' as const, text })),
      { threads: 2, minParallel: 10 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(240);
    for (const i of [0, 119, 120, 121, 239]) expect(Buffer.from((r.value[i] as ModuleMatrix).modules).equals(Buffer.from(bwipAuto(texts[i] as string).modules))).toBe(true);
  });
});
