/**
 * Fast QR Code module matrices for label sheets: one bwip-js encode with a fixed mask, then
 * re-masking with the lowest-penalty mask in TypeScript (see qr-mask.ts). The symbols equal
 * bwip-js's automatic output but take about a third of the time.
 */
import bwipjs from 'bwip-js';
import { remaskQr, type ModuleMatrix, type QrEcLevel } from './qr-mask.ts';

/** The fixed mask (bwip-js numbering 1-8) used for the first encode; any works, this one is quick. */
const FIXED_MASK = 4;

/**
 * Encode `text` as a QR Code at error-correction level `ec` or higher (BWIPP raises the level when
 * the data fits the same version at a higher one); throws only on encoder failure.
 */
export function encodeQrMatrix(text: string, ec: QrEcLevel = 'M'): ModuleMatrix {
  const first = bwipjs.raw('qrcode', text, `eclevel=${ec} mask=${FIXED_MASK}`)[0];
  if (first === undefined || !('pixs' in first)) throw new Error('bwip-js returned no QR Code matrix');
  const remasked = remaskQr({ size: first.pixx, modules: Uint8Array.from(first.pixs) });
  if (remasked === null) throw new Error('QR Code format information unreadable');
  return remasked.matrix;
}
