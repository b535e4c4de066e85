/**
 * The README's "Run a recall" walk-through, run as written: `lotline demo` on a fresh data folder, the
 * server started with `lotline serve`, then the README's shell block with bash and curl. If the README
 * and the product drift apart, this fails.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** The shell blocks of a README section. */
function shellBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

const hasCurl = spawnSync('curl', ['--version']).status === 0;

describe.skipIf(!hasCurl && !process.env.CI)('README: run a recall', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotline-readme-'));
  const work = mkdtempSync(join(tmpdir(), 'lotline-readme-cwd-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const env = { ...process.env, LOTLINE_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', PORT: String(port) };
  let server: ChildProcess | null = null;
  let tokens: Record<string, string> = {};

  beforeAll(async () => {
    const demo = spawnSync(process.execPath, ['bin/lotline.js', 'demo', '--base-url', `http://localhost:${port}`], { cwd: root, env, encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    tokens = (JSON.parse(demo.stdout) as { tokens: Record<string, string> }).tokens;
    server = spawn(process.execPath, ['bin/lotline.js', 'serve'], { cwd: root, env, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://localhost:${port}/healthz`).then((r) => r.ok).catch(() => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the server did not start');
  }, 120_000);

  afterAll(async () => {
    if (server) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('walks a recall from opening to closing, and a drill, as the README says', () => {
    const blocks = shellBlocks(readFileSync(join(root, 'README.md'), 'utf8'), '## Run a recall');
    expect(blocks).toHaveLength(2);
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', blocks[1] as string], {
      cwd: work,
      env: { ...env, QA: tokens.qa, STORE: tokens.store, H: `localhost:${port}`, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const out = run.stdout;
    // The POS check before and after approval, for the same box.
    expect(out).toMatch(/"sellable":true[\s\S]*tasksIssued: 35[\s\S]*"sellable":false/);
    expect(out).toContain('"caseNumber":"RC-');
    expect(out).toMatch(/\nacknowledged\nreceived\n/);
    expect(out).toMatch(/recovered [\d.]+ %, accounted 100 %/);
    expect(out).toMatch(/\nclosed\n/);
    expect(out).toMatch(/drill DR-\d{4}-0001: score \d+/);
    expect(existsSync(join(work, 'closing.pdf'))).toBe(true);
    expect(readFileSync(join(work, 'closing.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  }, 180_000);
});
