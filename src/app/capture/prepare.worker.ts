/** Worker-thread entry: prepares capture bodies off the main thread (see prepare-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { type CaptureShape, prepareCapture } from './prepare.ts';

interface Job {
  readonly id: number;
  readonly body: string;
  readonly shape: CaptureShape;
  readonly captureLimit: number;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, outcome: prepareCapture(job.body, job.shape, job.captureLimit) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, failure: (error as Error).stack ?? String(error) });
  }
});
