import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openServices } from '../../src/app/services.ts';
import { buildApp } from '../../src/http/app.ts';
import { pino } from 'pino';
import { conformancePath } from '../support/conformance.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('the lotline command line (embedded database)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lotline-cli-'));
  const env = { ...process.env, LOTLINE_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  const lotline = (...args: string[]) => spawnSync(process.execPath, ['bin/lotline.js', ...args], { cwd: root, env, encoding: 'utf8' });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, creates an organisation and a token that the API accepts', async () => {
    const migrated = lotline('migrate');
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toMatch(/applied\s+0001_foundation\.sql/);
    expect(lotline('migrate').stdout).toMatch(/already-applied\s+0001_foundation\.sql/);

    expect(lotline('org', 'create', 'mooncake-co', '--name', '月华坊').status).toBe(0);
    const created = lotline('token', 'create', '--org', 'mooncake-co', '--role', 'qa');
    expect(created.status).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^llt_/);
    expect(created.stderr).toContain('shown once');

    const captured = lotline('capture', '--org', 'mooncake-co', conformancePath('gs1-epcis/JSON/Example_9.6.1-ObjectEvent.jsonld'));
    expect(captured.status).toBe(0);
    expect(JSON.parse(captured.stdout)).toMatchObject({ success: true, storedCount: 2 });

    const services = await openServices(loadConfig(env), pino({ level: 'silent' }));
    try {
      const app = await buildApp({ ...services, bodyLimit: 1_000_000, captureLimit: 1_000 });
      const res = await app.inject({ method: 'GET', url: '/epcis/events', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().epcisBody.queryResults.resultsBody.eventList).toHaveLength(2);
      await app.close();
    } finally {
      await services.close();
    }
  });

  it('verifies the ledger and exits 0', () => {
    const out = execFileSync(process.execPath, ['bin/lotline.js', 'verify'], { cwd: root, env, encoding: 'utf8' });
    expect(out).toMatch(/OK {3}mooncake-co: 2 entries/);
  });

  it('traces a captured code from the command line, as text and as JSON', () => {
    const text = lotline('trace', '--org', 'mooncake-co', '--direction', 'downstream', 'urn:epc:id:sgtin:0614141.107346.2018');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('https://id.gs1.org/01/10614141073464/21/2018 (unit), downstream');
    const json = lotline('trace', '--org', 'mooncake-co', '--json', '(01)10614141073464(21)2018');
    expect(JSON.parse(json.stdout)).toMatchObject({ query: { kind: 'unit', direction: 'both' } });
    const unknown = lotline('trace', '--org', 'mooncake-co', 'urn:epc:id:sgtin:0614141.107346.9999');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('not in the trace');
  });

  it('speaks Chinese in a Chinese locale and English otherwise', () => {
    const zh = spawnSync(process.execPath, ['bin/lotline.js', 'help'], { cwd: root, env: { ...env, LANG: 'zh_CN.UTF-8', LC_ALL: '', LOTLINE_LANG: '' }, encoding: 'utf8' });
    expect(zh.stdout).toContain('校验防篡改账本');
    expect(zh.stdout).toContain('verify the tamper-evident ledger');
    const en = spawnSync(process.execPath, ['bin/lotline.js', 'help'], { cwd: root, env: { ...env, LANG: 'en_GB.UTF-8', LC_ALL: '', LOTLINE_LANG: '' }, encoding: 'utf8' });
    expect(en.stdout).not.toContain('校验');
  });

  it('rejects an unknown role and an unknown command with a clear message', () => {
    const role = lotline('token', 'create', '--org', 'mooncake-co', '--role', 'root');
    expect(role.status).toBe(1);
    expect(role.stderr).toContain('unknown role "root"');
    const unknown = lotline('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });

  it('refuses to open the data folder while another process holds it', async () => {
    const services = await openServices(loadConfig(env), pino({ level: 'silent' }));
    try {
      const second = lotline('org', 'list');
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('in use by process');
    } finally {
      await services.close();
    }
    expect(lotline('org', 'list').status).toBe(0);
  });
});
