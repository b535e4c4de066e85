import { type ChildProcess, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl, testEngines } from '../support/engines.ts';
import { objectEventsDocument } from '../support/epcis-fixtures.ts';

const root = new URL('../../', import.meta.url).pathname;
const TOKEN = 'crash-test-bootstrap-token-0123456789';
const EVENTS_PER_DOC = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function start(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['src/cli/main.ts', 'serve', '--host', '127.0.0.1'], { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitHealthy(port: number, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

/** Resolve when `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

const serialsOf = (doc: number): number[] => Array.from({ length: EVENTS_PER_DOC }, (_, i) => doc * EVENTS_PER_DOC + i);

describe.each(testEngines())('a server killed during capture (%s)', (engine) => {
  const dirs: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    for (const drop of drops) await drop();
  });

  it('keeps every acknowledged event and no half-written document', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lotline-crash-'));
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { LOTLINE_DATA_DIR: dataDir, LOTLINE_BOOTSTRAP_TOKEN: TOKEN, LOTLINE_BOOTSTRAP_ORG: 'crash' };
    if (engine === 'postgres') {
      const pg = await freshPostgresUrl();
      drops.push(pg.drop);
      env.DATABASE_URL = pg.url;
    } else {
      env.DATABASE_URL = '';
    }
    const port = await freePort();
    env.PORT = String(port);
    const server = start(env);
    await waitHealthy(port, server);

    const acknowledged = new Set<number>();
    const sent = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (!killed) {
        const doc = next++;
        sent.add(doc);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/epcis/capture`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/ld+json' },
            body: objectEventsDocument(serialsOf(doc)),
          });
          if (res.status === 202) acknowledged.add(doc);
          else if (!killed) throw new Error(`capture answered ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const workers = [worker(), worker(), worker()];
    // Kill without warning once a good number of documents were acknowledged, with requests in flight.
    while (acknowledged.size < 15) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    server.kill('SIGKILL');
    await Promise.all(workers);
    await exited(server);

    const again = start(env);
    await waitHealthy(port, again);
    try {
      const stored = new Map<number, number>();
      let url = `http://127.0.0.1:${port}/epcis/events?perPage=10000`;
      for (;;) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { epcisBody: { queryResults: { resultsBody: { eventList: { epcList: string[] }[] } } }; nextPageToken?: string };
        for (const e of body.epcisBody.queryResults.resultsBody.eventList) {
          const serial = Number(e.epcList[0]!.split('.').pop());
          const doc = Math.floor(serial / EVENTS_PER_DOC);
          stored.set(doc, (stored.get(doc) ?? 0) + 1);
        }
        if (!body.nextPageToken) break;
        url = `http://127.0.0.1:${port}/epcis/events?perPage=10000&nextPageToken=${body.nextPageToken}`;
      }
      for (const doc of acknowledged) expect({ doc, stored: stored.get(doc) }).toEqual({ doc, stored: EVENTS_PER_DOC });
      for (const doc of sent) expect([0, EVENTS_PER_DOC]).toContain(stored.get(doc) ?? 0);
    } finally {
      again.kill('SIGTERM');
      await exited(again);
    }
    // The ledger is intact after the crash.
    const out = execFileSync(process.execPath, ['src/cli/main.ts', 'verify', '--org', 'crash'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(out).toMatch(/^OK {3}crash: \d+ entries/);
  });
});
