/**
 * QR Code data-mask selection (ISO/IEC 18004:2015 §7.8), done in TypeScript so that label
 * sheets need only one bwip-js encode per symbol: bwip-js encodes with a fixed mask, and this
 * module re-masks the symbol with the pattern of lowest penalty, scored exactly as BWIPP does
 * (format modules dark, version and dark-module positions light during evaluation; ties go to
 * the lower mask number). The result equals bwip-js's own automatic choice (tested).
 */

/** A square module matrix, row-major, 1 = dark. */
export interface ModuleMatrix {
  readonly size: number;
  readonly modules: Uint8Array;
}

/** Error-correction levels and their format-information bits. */
export type QrEcLevel = 'L' | 'M' | 'Q' | 'H';
const EC_FORMAT_BITS: Readonly<Record<QrEcLevel, number>> = { L: 1, M: 0, Q: 3, H: 2 };

/** Whether mask pattern `m` (0-7) inverts the module at row `i`, column `j`. */
function masked(m: number, i: number, j: number): boolean {
  switch (m) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i + j) % 2) + ((i * j) % 3)) % 2 === 0;
  }
}

/** Centre coordinates of alignment patterns for a version. */
function alignmentPositions(version: number): number[] {
  if (version === 1) return [];
  const size = version * 4 + 17;
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

/** Cell roles: 0 data, 1 fixed function pattern, 2 format information, 3 version information, 4 dark module. */
function roles(size: number): Uint8Array {
  const version = (size - 17) / 4;
  const r = new Uint8Array(size * size);
  const set = (row: number, col: number, v: number): void => {
    if (row >= 0 && row < size && col >= 0 && col < size) r[row * size + col] = v;
  };
  for (const [fr, fc] of [[0, 0], [0, size - 7], [size - 7, 0]] as const) {
    for (let dr = -1; dr <= 7; dr++) for (let dc = -1; dc <= 7; dc++) set(fr + dr, fc + dc, 1);
  }
  for (let k = 0; k < size; k++) {
    set(6, k, 1);
    set(k, 6, 1);
  }
  const align = alignmentPositions(version);
  const last = align.length - 1;
  for (let a = 0; a < align.length; a++) {
    for (let b = 0; b < align.length; b++) {
      if ((a === 0 && b === 0) || (a === 0 && b === last) || (a === last && b === 0)) continue;
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set((align[a] as number) + dr, (align[b] as number) + dc, 1);
    }
  }
  for (let k = 0; k <= 8; k++) {
    if (k !== 6) {
      set(8, k, 2);
      set(k, 8, 2);
    }
  }
  for (let k = 0; k < 8; k++) set(8, size - 1 - k, 2);
  for (let k = 0; k < 7; k++) set(size - 1 - k, 8, 2);
  if (version >= 7) {
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 3; b++) {
        set(a, size - 11 + b, 3);
        set(size - 11 + b, a, 3);
      }
    }
  }
  set(size - 8, 8, 4);
  return r;
}

/** The 15 format-information bits for an error-correction level and mask (BCH(15,5), masked with 0x5412). */
function formatBits(ec: QrEcLevel, mask: number): number {
  const data = (EC_FORMAT_BITS[ec] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

function writeFormat(m: Uint8Array, size: number, bits: number): void {
  const bit = (i: number): number => (bits >>> i) & 1;
  for (let i = 0; i <= 5; i++) m[i * size + 8] = bit(i);
  m[7 * size + 8] = bit(6);
  m[8 * size + 8] = bit(7);
  m[8 * size + 7] = bit(8);
  for (let i = 9; i < 15; i++) m[8 * size + (14 - i)] = bit(i);
  for (let i = 0; i < 8; i++) m[8 * size + (size - 1 - i)] = bit(i);
  for (let i = 8; i < 15; i++) m[(size - 15 + i) * size + 8] = bit(i);
  m[(size - 8) * size + 8] = 1;
}

/** Runs of one row or column, starting with a (possibly empty) light run, scored for N1 and N3 as BWIPP does. */
function scoreLine(line: Uint8Array, len: number, runs: Int32Array): number {
  let n = 0;
  let color = 0;
  let count = 0;
  for (let k = 0; k < len; k++) {
    const v = line[k] as number;
    if (v === color) count++;
    else {
      runs[n++] = count;
      color = v;
      count = 1;
    }
  }
  runs[n++] = count;
  let score = 0;
  for (let k = 0; k < n; k++) {
    const r = runs[k] as number;
    if (r >= 5) score += r - 2;
  }
  for (let j = 3; j <= n - 3; j += 2) {
    const r = runs[j] as number;
    if (r % 3 !== 0) continue;
    const f = r / 3;
    if (runs[j - 2] !== f || runs[j - 1] !== f || runs[j + 1] !== f || runs[j + 2] !== f) continue;
    if (j === 3 || j + 4 >= n || (runs[j - 3] as number) >= 4 || (runs[j + 3] as number) >= 4) score += 40;
  }
  return score;
}

function penalty(sym: Uint8Array, size: number, row: Uint8Array, col: Uint8Array, runs: Int32Array): number {
  let score = 0;
  let dark = 0;
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      row[k] = sym[i * size + k] as number;
      col[k] = sym[k * size + i] as number;
    }
    score += scoreLine(col, size, runs) + scoreLine(row, size, runs);
    if (i > 0) {
      for (let k = 1; k < size; k++) {
        const s = (sym[(i - 1) * size + k - 1] as number) + (sym[(i - 1) * size + k] as number) + (sym[i * size + k - 1] as number) + (sym[i * size + k] as number);
        if (s === 0 || s === 4) score += 3;
      }
    }
    for (let k = 0; k < size; k++) dark += sym[i * size + k] as number;
  }
  return score + Math.trunc(Math.abs((dark * 100) / (size * size) - 50) / 5) * 10;
}

/**
 * Error-correction level and mask recorded in a finished symbol's first format-information
 * copy, or null when they cannot be read. (bwip-js may raise the level above the one asked for
 * when the data fits the same version at a higher level.)
 */
export function readFormat(symbol: ModuleMatrix): { readonly ec: QrEcLevel; readonly mask: number } | null {
  const size = symbol.size;
  let bits = 0;
  const at = (row: number, col: number, i: number): void => {
    bits |= (symbol.modules[row * size + col] as number) << i;
  };
  for (let i = 0; i <= 5; i++) at(i, 8, i);
  at(7, 8, 6);
  at(8, 8, 7);
  at(8, 7, 8);
  for (let i = 9; i < 15; i++) at(8, 14 - i, i);
  for (const ec of ['L', 'M', 'Q', 'H'] as const) for (let m = 0; m < 8; m++) if (formatBits(ec, m) === bits) return { ec, mask: m };
  return null;
}

/**
 * Re-mask a finished QR Code symbol with the mask of lowest penalty, keeping its error-correction
 * level. Returns a new matrix and the chosen mask, or null when the format information is unreadable.
 */
export function remaskQr(symbol: ModuleMatrix): { readonly matrix: ModuleMatrix; readonly mask: number } | null {
  const format = readFormat(symbol);
  if (format === null) return null;
  const { ec, mask: currentMask } = format;
  const size = symbol.size;
  const role = roles(size);
  const data = new Uint8Array(size * size);
  const base = new Uint8Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const p = i * size + j;
      const v = symbol.modules[p] as number;
      switch (role[p]) {
        case 0:
          data[p] = masked(currentMask, i, j) ? v ^ 1 : v;
          break;
        case 2:
          base[p] = 1;
          break;
        case 3:
        case 4:
          base[p] = 0;
          break;
        default:
          base[p] = v;
      }
    }
  }
  const sym = new Uint8Array(size * size);
  const row = new Uint8Array(size);
  const col = new Uint8Array(size);
  const runs = new Int32Array(size + 2);
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let m = 0; m < 8; m++) {
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const p = i * size + j;
        sym[p] = role[p] === 0 ? (masked(m, i, j) ? (data[p] as number) ^ 1 : (data[p] as number)) : (base[p] as number);
      }
    }
    const s = penalty(sym, size, row, col, runs);
    if (s < bestScore) {
      bestScore = s;
      best = m;
    }
  }
  const out = new Uint8Array(symbol.modules);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const p = i * size + j;
      if (role[p] === 0) out[p] = masked(best, i, j) ? (data[p] as number) ^ 1 : (data[p] as number);
    }
  }
  writeFormat(out, size, formatBits(ec, best));
  return { matrix: { size, modules: out }, mask: best };
}
