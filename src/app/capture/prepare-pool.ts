import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CaptureShape, type PrepareOutcome, prepareCapture } from './prepare.ts';

/** Prepares capture bodies: large ones on worker threads, so validation and hashing overlap database writes. */
export interface Preparer {
  prepare(body: string, shape: CaptureShape, captureLimit: number): Promise<PrepareOutcome>;
  close(): Promise<void>;
}

/** Bodies smaller than this are prepared inline: a thread hop costs more than it saves. */
const INLINE_BYTES = 128 * 1024;

interface Pending {
  resolve(outcome: PrepareOutcome): void;
  reject(error: Error): void;
}

/** A preparer with `threads` workers (default: cores − 1, at least 1; 0 prepares everything inline). */
export function createPreparer(threads = Math.max(1, availableParallelism() - 1)): Preparer {
  const workers: { worker: Worker; busy: number }[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const spawn = (): { worker: Worker; busy: number } => {
    const worker = new Worker(new URL('./prepare.worker.ts', import.meta.url));
    const slot = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (m: { id: number; outcome?: PrepareOutcome; failure?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      slot.busy--;
      if (m.outcome) p.resolve(m.outcome);
      else p.reject(new Error(`capture preparation failed: ${m.failure ?? 'unknown'}`));
    });
    worker.on('error', (error) => {
      // A crashed worker fails its jobs (they were never acknowledged) and is replaced.
      for (const [id, p] of pending) {
        p.reject(error);
        pending.delete(id);
      }
      const i = workers.indexOf(slot);
      if (i >= 0) workers.splice(i, 1);
      if (!closed) workers.push(spawn());
    });
    return slot;
  };

  for (let i = 0; i < threads; i++) workers.push(spawn());

  return {
    prepare(body, shape, captureLimit) {
      if (workers.length === 0 || body.length < INLINE_BYTES) return Promise.resolve(prepareCapture(body, shape, captureLimit));
      const slot = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      return new Promise<PrepareOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, body, shape, captureLimit });
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
      workers.length = 0;
    },
  };
}
