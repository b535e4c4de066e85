/**
 * Test support: decode barcodes from PNG images or bwip-js SVG output with @zxing/library.
 */
import {
  BinaryBitmap,
  Code128Reader,
  DataMatrixReader,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
  type Reader,
} from '@zxing/library';
import { PNG } from 'pngjs';

/** The symbologies the tests decode. */
export type DecodableSymbology = 'qrCode' | 'dataMatrix' | 'code128';

/** A grey-scale image, one byte per pixel (0 black, 255 white). */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8ClampedArray;
}

/** Read a PNG into grey levels, compositing transparency onto white. */
export function pngToGrey(png: Buffer): GreyImage {
  const img = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(img.width * img.height);
  for (let i = 0; i < pixels.length; i++) {
    const a = (img.data[i * 4 + 3] as number) / 255;
    const lum = ((img.data[i * 4] as number) * 299 + (img.data[i * 4 + 1] as number) * 587 + (img.data[i * 4 + 2] as number) * 114) / 1000;
    pixels[i] = Math.round(255 * (1 - a) + a * lum);
  }
  return { width: img.width, height: img.height, pixels };
}

/** Cut a rectangle out of an image. */
export function crop(img: GreyImage, x: number, y: number, w: number, h: number): GreyImage {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const width = Math.min(img.width - x0, Math.floor(w));
  const height = Math.min(img.height - y0, Math.floor(h));
  const pixels = new Uint8ClampedArray(width * height);
  for (let r = 0; r < height; r++) pixels.set(img.pixels.subarray((y0 + r) * img.width + x0, (y0 + r) * img.width + x0 + width), r * width);
  return { width, height, pixels };
}

function reader(s: DecodableSymbology): Reader {
  switch (s) {
    case 'qrCode':
      return new QRCodeReader();
    case 'dataMatrix':
      return new DataMatrixReader();
    case 'code128':
      return new Code128Reader();
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Decode one symbol. FNC1 comes back as GS: in first position for DataMatrix, and as the
 * `]C1` symbology identifier for GS1-128 (zxing's GS1 mode).
 */
export function decodeGrey(img: GreyImage, symbology: DecodableSymbology): string {
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.pixels, img.width, img.height)));
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.TRY_HARDER, true],
    [DecodeHintType.ASSUME_GS1, true],
  ]);
  return reader(symbology).decode(bitmap, hints).getText();
}

/** Decode a PNG. */
export function decodePng(png: Buffer, symbology: DecodableSymbology): string {
  return decodeGrey(pngToGrey(png), symbology);
}

/**
 * Rasterise a bwip-js SVG at `scale` pixels per unit, on white with a white margin, then decode it:
 * filled axis-aligned polygons (2D symbols, even-odd rule) and stroked lines (bars of linear symbols).
 */
export function decodeSvg(svg: string, symbology: DecodableSymbology, scale: number = 4): string {
  const view = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!view) throw new Error('SVG has no viewBox');
  const margin = 20;
  const width = Math.ceil(Number(view[1]) * scale) + 2 * margin;
  const height = Math.ceil(Number(view[2]) * scale) + 2 * margin;
  const edges: [number, number, number][] = [];
  const pixels = new Uint8ClampedArray(width * height).fill(255);
  const fillRect = (x0: number, y0: number, x1: number, y1: number): void => {
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(height, Math.round(y1)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(width, Math.round(x1)); x++) pixels[y * width + x] = 0;
    }
  };
  for (const p of svg.matchAll(/<path([^>]*) d="([^"]+)"/g)) {
    const stroke = / stroke-width="([\d.]+)"/.exec(p[1] as string);
    const d = p[2] as string;
    if (stroke) {
      // Stroked lines (linear symbols): each "Mx y0 Lx y1" is a bar of the stroke width.
      const w = Number(stroke[1]) * scale;
      for (const m of d.matchAll(/M\s*([\d.-]+)[ ,]([\d.-]+)\s*L\s*([\d.-]+)[ ,]([\d.-]+)/g)) {
        const [x0, y0, x1, y1] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])].map((v) => v * scale + margin) as [number, number, number, number];
        if (x0 === x1) fillRect(x0 - w / 2, Math.min(y0, y1), x0 + w / 2, Math.max(y0, y1));
        else fillRect(Math.min(x0, x1), y0 - w / 2, Math.max(x0, x1), y0 + w / 2);
      }
      continue;
    }
    for (const poly of d.split('Z')) {
      const pts = [...poly.matchAll(/[ML]\s*([\d.-]+)[ ,]([\d.-]+)/g)].map((m) => [Number(m[1]) * scale + margin, Number(m[2]) * scale + margin] as const);
      for (let i = 0; i < pts.length; i++) {
        const a = pts[i] as readonly [number, number];
        const b = pts[(i + 1) % pts.length] as readonly [number, number];
        if (a[0] === b[0] && a[1] !== b[1]) edges.push([a[0], Math.min(a[1], b[1]), Math.max(a[1], b[1])]);
      }
    }
  }
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    const xs = edges.filter(([, y0, y1]) => cy > y0 && cy < y1).map(([x]) => x).sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let x = Math.ceil((xs[k] as number) - 0.5); x < Math.ceil((xs[k + 1] as number) - 0.5); x++) pixels[y * width + x] = 0;
    }
  }
  return decodeGrey({ width, height, pixels }, symbology);
}
