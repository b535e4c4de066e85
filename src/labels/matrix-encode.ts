/**
 * Module matrices of 2D symbols for vector drawing on label sheets. QR Codes take one bwip-js
 * encode with a fixed mask, then re-masking with the lowest-penalty mask in TypeScript (see
 * qr-mask.ts): the symbols equal bwip-js's automatic output at about a third of the time.
 */
import bwipjs from 'bwip-js';
import { remaskQr, type ModuleMatrix, type QrEcLevel } from './qr-mask.ts';

/** One symbol to encode: a QR Code in byte mode, or a DataMatrix from bwip-js `parsefnc` text (`^FNC1…`). */
export type MatrixJob = { readonly symbology: 'qrCode'; readonly text: string; readonly ec?: QrEcLevel } | { readonly symbology: 'dataMatrix'; readonly text: string };

/** The fixed mask (bwip-js numbering 1-8) used for the first encode; any works, this one is quick. */
const FIXED_MASK = 4;

/**
 * Encode one symbol. QR Codes use error-correction level `ec` (default M) or higher: BWIPP raises
 * the level when the data fits the same version at a higher one. Throws only on encoder failure;
 * callers validate the data first.
 */
export function encodeMatrix(job: MatrixJob): ModuleMatrix {
  switch (job.symbology) {
    case 'qrCode': {
      const first = bwipjs.raw('qrcode', job.text, `eclevel=${job.ec ?? 'M'} mask=${FIXED_MASK}`)[0];
      if (first === undefined || !('pixs' in first)) throw new Error('bwip-js returned no QR Code matrix');
      const remasked = remaskQr({ size: first.pixx, modules: Uint8Array.from(first.pixs) });
      if (remasked === null) throw new Error('QR Code format information unreadable');
      return remasked.matrix;
    }
    case 'dataMatrix': {
      const first = bwipjs.raw('datamatrix', job.text, 'parsefnc')[0];
      if (first === undefined || !('pixs' in first) || first.pixx !== first.pixy) throw new Error('bwip-js returned no square DataMatrix');
      return { size: first.pixx, modules: Uint8Array.from(first.pixs) };
    }
    default: {
      const never: never = job;
      return never;
    }
  }
}
