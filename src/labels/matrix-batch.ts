/**
 * Module matrices for many 2D symbols at once, spread over worker threads when the batch is
 * large enough to pay for their start-up (about 40 ms each). Used by label sheets of many units.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { err, ok, type Result } from '../core/result.ts';
import type { LabelError } from './label-error.ts';
import { encodeMatrix, type MatrixJob } from './matrix-encode.ts';
import type { ModuleMatrix } from './qr-mask.ts';

/** Options of encodeMatrixBatch. */
export interface MatrixBatchOptions {
  /** Threads to use, the calling thread included; default: available parallelism, at most 8. */
  readonly threads?: number;
  /** Below this many symbols everything is encoded on the calling thread. Default 200. */
  readonly minParallel?: number;
  /**
   * The calling thread's share relative to a worker's (default 0.5): it has other work to do
   * afterwards (drawing the PDF), so it encodes fewer symbols and finishes with the workers.
   */
  readonly callerShare?: number;
}

interface WorkerReply {
  readonly ok: boolean;
  readonly sizes?: readonly number[];
  readonly buffer?: Uint8Array;
  readonly message?: string;
}

function runWorker(jobs: readonly MatrixJob[]): Promise<Result<ModuleMatrix[], LabelError>> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./matrix-worker.ts', import.meta.url), { workerData: jobs });
    let settled = false;
    const settle = (r: Result<ModuleMatrix[], LabelError>): void => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once('message', (reply: WorkerReply) => {
      if (!reply.ok || reply.sizes === undefined || reply.buffer === undefined) {
        settle(err({ kind: 'encoding', message: `barcode worker failed: ${reply.message ?? 'no result'}` }));
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
    worker.once('error', (e) => settle(err({ kind: 'encoding', message: `barcode worker failed: ${e.message}` })));
    worker.once('exit', (code) => settle(err({ kind: 'encoding', message: `barcode worker exited with code ${code}` })));
  });
}

/** Encode every symbol (data already validated), in order. */
export async function encodeMatrixBatch(jobs: readonly MatrixJob[], opts: MatrixBatchOptions = {}): Promise<Result<ModuleMatrix[], LabelError>> {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), 8, jobs.length));
  const inline = (chunk: readonly MatrixJob[]): Result<ModuleMatrix[], LabelError> => {
    try {
      return ok(chunk.map(encodeMatrix));
    } catch (e) {
      return err({ kind: 'encoding', message: e instanceof Error ? e.message : String(e) });
    }
  };
  if (threads === 1 || jobs.length < (opts.minParallel ?? 200)) return inline(jobs);
  const callerShare = Math.max(0, Math.min(1, opts.callerShare ?? 0.5));
  const per = jobs.length / (threads - 1 + callerShare);
  const own = Math.floor(per * callerShare);
  const chunks: (readonly MatrixJob[])[] = [jobs.slice(0, own)];
  for (let i = own; i < jobs.length; i += Math.ceil(per)) chunks.push(jobs.slice(i, i + Math.ceil(per)));
  // Start the workers first, then encode the first chunk here while they run.
  const pending = chunks.slice(1).map(runWorker);
  const mine = inline(chunks[0] as readonly MatrixJob[]);
  const rest = await Promise.all(pending);
  if (!mine.ok) return mine;
  const out = [...mine.value];
  for (const r of rest) {
    if (!r.ok) return r;
    out.push(...r.value);
  }
  return ok(out);
}
