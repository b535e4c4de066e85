/**
 * Worker thread of encodeQrBatch: encodes its share of the texts and sends the matrices back as
 * one transferred buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { QrEcLevel } from './qr-mask.ts';
import { encodeQrMatrix } from './qr-encode.ts';

interface Job {
  readonly texts: readonly string[];
  readonly ec: QrEcLevel;
}

const job = workerData as Job;
try {
  const matrices = job.texts.map((t) => encodeQrMatrix(t, job.ec));
  const total = matrices.reduce((n, m) => n + m.modules.length, 0);
  const buffer = new Uint8Array(total);
  let at = 0;
  for (const m of matrices) {
    buffer.set(m.modules, at);
    at += m.modules.length;
  }
  parentPort?.postMessage({ ok: true, sizes: matrices.map((m) => m.size), buffer }, [buffer.buffer]);
} catch (e) {
  parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
