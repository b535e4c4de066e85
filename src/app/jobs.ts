/**
 * Long operations the console starts and watches (issue 6: "long operations show progress"): a job
 * runs in the background of this server process and reports how far it got. Jobs are kept in memory
 * for an hour after they end; what they write is durable in the database as usual (a job that dies with
 * the process is simply started again: the operations are idempotent).
 */
import type { IdGenerator } from './context.ts';

export interface JobView {
  readonly jobId: string;
  readonly kind: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly done: number;
  readonly total: number | null;
  /** What is being done now, zh-CN and en. */
  readonly step: { readonly 'zh-CN': string; readonly en: string } | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly result: unknown;
  readonly error: { readonly title: string; readonly detail: string } | null;
}

export interface JobProgress {
  (done: number, total: number | null, step?: JobView['step']): void;
}

interface Entry {
  orgId: string;
  view: JobView;
}

const KEEP_MS = 60 * 60 * 1000;

export interface JobRegistry {
  /** Start `run` for `orgId`; it reports progress through the callback. */
  start(orgId: string, kind: string, run: (progress: JobProgress) => Promise<unknown>): JobView;
  /** A job of `orgId` (another organisation's is null). */
  get(orgId: string, jobId: string): JobView | null;
  /** Whether `orgId` has a job of `kind` running. */
  running(orgId: string, kind: string): JobView | null;
}

export function createJobRegistry(ids: IdGenerator, onError: (error: unknown) => void = () => undefined): JobRegistry {
  const jobs = new Map<string, Entry>();
  const prune = () => {
    const now = Date.now();
    for (const [id, e] of jobs) if (e.view.finishedAt && now - Date.parse(e.view.finishedAt) > KEEP_MS) jobs.delete(id);
  };
  return {
    start(orgId, kind, run) {
      prune();
      const jobId = ids.next('job');
      const entry: Entry = { orgId, view: { jobId, kind, status: 'running', done: 0, total: null, step: null, startedAt: new Date().toISOString(), finishedAt: null, result: null, error: null } };
      jobs.set(jobId, entry);
      const progress: JobProgress = (done, total, step) => {
        entry.view = { ...entry.view, done, total, step: step ?? entry.view.step };
      };
      void run(progress).then(
        (result) => {
          entry.view = { ...entry.view, status: 'done', result, finishedAt: new Date().toISOString() };
        },
        (error: unknown) => {
          onError(error);
          const e = error as { message?: string; name?: string; code?: string };
          entry.view = { ...entry.view, status: 'failed', finishedAt: new Date().toISOString(), error: { title: e.code ?? e.name ?? 'Error', detail: e.message ?? String(error) } };
        },
      );
      return entry.view;
    },
    get(orgId, jobId) {
      const e = jobs.get(jobId);
      return e && e.orgId === orgId ? e.view : null;
    },
    running(orgId, kind) {
      for (const e of jobs.values()) if (e.orgId === orgId && e.view.kind === kind && e.view.status === 'running') return e.view;
      return null;
    },
  };
}
