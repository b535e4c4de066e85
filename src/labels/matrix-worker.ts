/**
 * Worker thread of encodeMatrixBatch: encodes its share of the symbols and sends the matrices
 * back as one transferred buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeMatrix, type MatrixJob } from './matrix-encode.ts';

const jobs = workerData as readonly MatrixJob[];
try {
  const matrices = jobs.map(encodeMatrix);
  const buffer = new Uint8Array(matrices.reduce((n, m) => n + m.modules.length, 0));
  let at = 0;
  for (const m of matrices) {
    buffer.set(m.modules, at);
    at += m.modules.length;
  }
  parentPort?.postMessage({ ok: true, sizes: matrices.map((m) => m.size), buffer }, [buffer.buffer]);
} catch (e) {
  parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
