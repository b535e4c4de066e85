/**
 * QR Code matrices for many texts at once, spread over worker threads when the batch is large
 * enough to pay for their start-up (about 40 ms each). Used by label sheets of many units.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { err, ok, type Result } from '../core/result.ts';
import type { LabelError } from './label-error.ts';
import { encodeQrMatrix } from './qr-encode.ts';
import type { ModuleMatrix, QrEcLevel } from './qr-mask.ts';

/** Options of encodeQrBatch. */
export interface QrBatchOptions {
  readonly ec?: QrEcLevel;
  /** Threads to use, the calling thread included; default: available parallelism, at most 8. */
  readonly threads?: number;
  /** Below this many texts everything is encoded on the calling thread. Default 200. */
  readonly minParallel?: number;
}

interface WorkerReply {
  readonly ok: boolean;
  readonly sizes?: readonly number[];
  readonly buffer?: Uint8Array;
  readonly message?: string;
}

function runWorker(texts: readonly string[], ec: QrEcLevel): Promise<Result<ModuleMatrix[], LabelError>> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { workerData: { texts, ec } });
    let settled = false;
    const settle = (r: Result<ModuleMatrix[], LabelError>): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once('message', (reply: WorkerReply) => {
      if (!reply.ok || reply.sizes === undefined || reply.buffer === undefined) {
        settle(err({ kind: 'encoding', message: `QR Code worker failed: ${reply.message ?? 'no result'}` }));
        return;
      }
      const out: ModuleMatrix[] = [];
      let at = 0;
      for (const size of reply.sizes) {
        out.push({ size, modules: reply.buffer.subarray(at, at + size * size) });
        at += size * size;
      }
      settle(ok(out));
    });
    worker.once('error', (e) => settle(err({ kind: 'encoding', message: `QR Code worker failed: ${e.message}` })));
    worker.once('exit', (code) => settle(err({ kind: 'encoding', message: `QR Code worker exited with code ${code}` })));
  });
}

/** Encode every text (already validated) as a QR Code matrix, in order. */
export async function encodeQrBatch(texts: readonly string[], opts: QrBatchOptions = {}): Promise<Result<ModuleMatrix[], LabelError>> {
  const ec = opts.ec ?? 'M';
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), 8, texts.length));
  const inline = (chunk: readonly string[]): Result<ModuleMatrix[], LabelError> => {
    try {
      return ok(chunk.map((t) => encodeQrMatrix(t, ec)));
    } catch (e) {
      return err({ kind: 'encoding', message: e instanceof Error ? e.message : String(e) });
    }
  };
  if (threads === 1 || texts.length < (opts.minParallel ?? 200)) return inline(texts);
  const per = Math.ceil(texts.length / threads);
  const chunks: (readonly string[])[] = [];
  for (let i = 0; i < texts.length; i += per) chunks.push(texts.slice(i, i + per));
  // Start the workers first, then encode the first chunk here while they run.
  const pending = chunks.slice(1).map((c) => runWorker(c, ec));
  const mine = inline(chunks[0] as readonly string[]);
  const rest = await Promise.all(pending);
  if (!mine.ok) return mine;
  const out = [...mine.value];
  for (const r of rest) {
    if (!r.ok) return r;
    out.push(...r.value);
  }
  return ok(out);
}
