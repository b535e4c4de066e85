/**
 * Barcode symbols with bwip-js: QR Code (for GS1 Digital Link URIs), GS1 DataMatrix and GS1-128
 * (for SSCCs on cases and pallets), as SVG, PNG, or a module matrix for vector drawing in PDFs.
 * GS1 data is validated against the GS1 Barcode Syntax Dictionary before encoding, and encoded
 * with FNC1 in first position (and as separator after variable-length AIs).
 */
import bwipjs from 'bwip-js';
import { err, ok, type Result } from '../core/result.ts';
import type { AiElement } from '../core/gs1/ai-element.ts';
import { parseDigitalLink } from '../core/gs1/digital-link.ts';
import { formatHri, formatRaw, validateElements } from '../core/gs1/element-string.ts';
import { invalidInput, type LabelError } from './label-error.ts';
import { encodeMatrix } from './matrix-encode.ts';
import type { ModuleMatrix, QrEcLevel } from './qr-mask.ts';

/** What to encode. */
export type BarcodeContent =
  /** A QR Code in byte mode, e.g. a GS1 Digital Link URI (validated when it starts with http). */
  | { readonly kind: 'qrCode'; readonly data: string; readonly ecLevel?: QrEcLevel }
  /** GS1 DataMatrix carrying AI elements. */
  | { readonly kind: 'gs1DataMatrix'; readonly elements: readonly AiElement[] }
  /** GS1-128 carrying AI elements, typically an SSCC (00). */
  | { readonly kind: 'gs1-128'; readonly elements: readonly AiElement[] };

/** Rendering options. */
export interface BarcodeRenderOptions {
  /** Pixels per module for PNG (default 4); SVG scales freely. */
  readonly scale?: number;
  /** Add the symbology's quiet zone: 4 modules for QR, 1 for DataMatrix, 10 for GS1-128. Default true. */
  readonly quietZone?: boolean;
  /** Print the human-readable interpretation under GS1-128. Default true. */
  readonly humanReadable?: boolean;
  /** GS1-128 bar height in millimetres at scale 1 (default 25; GS1 logistic labels print 32 mm bars at X = 0.495 mm). */
  readonly barHeightMm?: number;
}

/** GS1-128 may carry at most 48 data characters, FNC1 separators included. */
export const GS1_128_MAX_DATA = 48;

/** The bwip-js encoder, its text and options for a validated content. */
interface BwipSpec {
  readonly bcid: string;
  readonly text: string;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly padding: readonly [number, number];
}

/** bwip-js `parsefnc` text: FNC1 first, then FNC1 after each variable-length AI followed by another. */
export function fncText(elements: readonly AiElement[]): string {
  return `^FNC1${formatRaw(elements, '^FNC1')}`;
}

function spec(content: BarcodeContent, opts: BarcodeRenderOptions): Result<BwipSpec, LabelError> {
  switch (content.kind) {
    case 'qrCode': {
      if (content.data.length === 0) return err(invalidInput('/data', 'a QR Code needs data'));
      if (/^https?:\/\//i.test(content.data)) {
        const dl = parseDigitalLink(content.data);
        if (!dl.ok) return err(invalidInput('/data', `not a valid GS1 Digital Link URI: ${dl.error.message}`, dl.error));
      }
      return ok({ bcid: 'qrcode', text: content.data, options: { eclevel: content.ecLevel ?? 'M' }, padding: [8, 8] });
    }
    case 'gs1DataMatrix': {
      const e = validateElements(content.elements);
      if (e) return err(invalidInput('/elements', e.message, e));
      if (content.elements.length === 0) return err(invalidInput('/elements', 'GS1 DataMatrix needs at least one AI'));
      return ok({ bcid: 'datamatrix', text: fncText(content.elements), options: { parsefnc: true }, padding: [2, 2] });
    }
    case 'gs1-128': {
      const e = validateElements(content.elements);
      if (e) return err(invalidInput('/elements', e.message, e));
      if (content.elements.length === 0) return err(invalidInput('/elements', 'GS1-128 needs at least one AI'));
      const raw = formatRaw(content.elements);
      if (raw.length > GS1_128_MAX_DATA) return err(invalidInput('/elements', `GS1-128 carries at most ${GS1_128_MAX_DATA} data characters; these AIs need ${raw.length}`));
      const hri = opts.humanReadable !== false;
      return ok({
        bcid: 'code128',
        text: fncText(content.elements),
        options: { parsefnc: true, height: opts.barHeightMm ?? 25, ...(hri ? { includetext: true, alttext: formatHri(content.elements), textsize: 9 } : {}) },
        padding: [10, 2],
      });
    }
    default: {
      const never: never = content;
      return never;
    }
  }
}

function bwipOptions(s: BwipSpec, opts: BarcodeRenderOptions): bwipjs.RenderOptions {
  const quiet = opts.quietZone !== false;
  return {
    bcid: s.bcid,
    text: s.text,
    scale: opts.scale ?? 4,
    backgroundcolor: 'FFFFFF',
    ...(quiet ? { paddingwidth: s.padding[0], paddingheight: s.padding[1] } : {}),
    ...s.options,
  };
}

function encodingError(e: unknown): LabelError {
  return { kind: 'encoding', message: `barcode encoder failed: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * Render a barcode as an SVG document.
 * @example renderBarcodeSvg({ kind: 'gs1-128', elements: [{ ai: '00', value: '095201234567891235' }] })
 */
export function renderBarcodeSvg(content: BarcodeContent, opts: BarcodeRenderOptions = {}): Result<string, LabelError> {
  const s = spec(content, opts);
  if (!s.ok) return s;
  try {
    return ok(bwipjs.toSVG(bwipOptions(s.value, opts)));
  } catch (e) {
    return err(encodingError(e));
  }
}

/** Render a barcode as a PNG image (white background, quiet zone included by default). */
export async function renderBarcodePng(content: BarcodeContent, opts: BarcodeRenderOptions = {}): Promise<Result<Buffer, LabelError>> {
  const s = spec(content, opts);
  if (!s.ok) return s;
  try {
    return ok(await bwipjs.toBuffer(bwipOptions(s.value, opts)));
  } catch (e) {
    return err(encodingError(e));
  }
}

/** The module matrix of a 2D symbol, after validation; QR Codes are encoded once and re-masked (see qr-mask.ts). */
export function matrixOf(content: Exclude<BarcodeContent, { kind: 'gs1-128' }>): Result<ModuleMatrix, LabelError> {
  const s = spec(content, {});
  if (!s.ok) return s;
  try {
    return ok(encodeMatrix(content.kind === 'qrCode' ? { symbology: 'qrCode', text: content.data, ec: content.ecLevel ?? 'M' } : { symbology: 'dataMatrix', text: s.value.text }));
  } catch (e) {
    return err(encodingError(e));
  }
}
