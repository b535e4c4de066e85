import { randomBytes } from 'node:crypto';
import { type Database, type Engine, openDatabase } from '../../src/store/database.ts';
import { migrate, migrationFiles } from '../../src/store/migrate.ts';
import { createHash } from 'node:crypto';

/**
 * The engines the medium tests run on: PGlite always; PostgreSQL too when LOTLINE_TEST_PG_URL is set
 * (.ci/run starts a server and sets it). LOTLINE_TEST_ENGINES=pglite narrows the list.
 */
export function testEngines(): Engine[] {
  const wanted = (process.env.LOTLINE_TEST_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim());
  const engines: Engine[] = [];
  if (wanted.includes('pglite')) engines.push('pglite');
  if (wanted.includes('postgres') && process.env.LOTLINE_TEST_PG_URL) engines.push('postgres');
  return engines;
}

let pgliteDump: Promise<Blob> | null = null;
let pgTemplate: Promise<string> | null = null;

/** A freshly migrated, empty database on `engine`; close() drops it. */
export async function freshDatabase(engine: Engine): Promise<Database> {
  if (engine === 'pglite') {
    pgliteDump ??= (async () => {
      const seed = await openDatabase({ kind: 'pglite', dataDir: null });
      await migrate(seed);
      const dump = await seed.pglite!.dumpDataDir('none');
      await seed.close();
      return dump;
    })();
    return openDatabase({ kind: 'pglite', dataDir: null, loadDataDir: await pgliteDump });
  }
  const adminUrl = process.env.LOTLINE_TEST_PG_URL;
  if (!adminUrl) throw new Error('LOTLINE_TEST_PG_URL is not set');
  pgTemplate ??= ensureTemplate(adminUrl);
  const template = await pgTemplate;
  const name = `lotline_test_${randomBytes(6).toString('hex')}`;
  await retryWhileBusy(() => adminExec(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`));
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, name), poolSize: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await adminExec(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** The URL of a new, empty PostgreSQL database (for tests that start the server process themselves). */
export async function freshPostgresUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.LOTLINE_TEST_PG_URL;
  if (!adminUrl) throw new Error('LOTLINE_TEST_PG_URL is not set');
  const name = `lotline_test_${randomBytes(6).toString('hex')}`;
  await adminExec(adminUrl, `CREATE DATABASE ${name}`);
  return { url: withDatabase(adminUrl, name), drop: () => adminExec(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function ensureTemplate(adminUrl: string): Promise<string> {
  const digest = createHash('sha256')
    .update(migrationFiles().map((f) => f.checksum).join(','))
    .digest('hex')
    .slice(0, 12);
  const name = `lotline_tpl_${digest}`;
  const admin = await openDatabase({ kind: 'postgres', url: adminUrl, poolSize: 1 });
  try {
    // Several test workers may race to build the template: an advisory lock makes one of them do it.
    await admin.script(async (s) => {
      await s.query('SELECT pg_advisory_xact_lock(720524212)');
      const exists = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]);
      if (exists[0]!.n === 0) await adminExec(adminUrl, `CREATE DATABASE ${name}`);
      // Migrating is idempotent, so a template left half-built by an interrupted run is completed here.
      const db = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, name), poolSize: 1 });
      await migrate(db);
      await db.close();
    });
  } finally {
    await admin.close();
  }
  return name;
}

/** A template database that a just-closed connection still holds for a moment answers 55006; wait and retry. */
async function retryWhileBusy(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function adminExec(adminUrl: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
