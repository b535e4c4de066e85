import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';

/** Which engine a database runs on. Both speak the same PostgreSQL dialect. */
export type Engine = 'pglite' | 'postgres';

/** A session on one connection inside one transaction, for multi-statement scripts. */
export interface ScriptSession {
  /** Run several `;`-separated statements without parameters. */
  exec(script: string): Promise<void>;
  /** Run one statement with parameters. */
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** An open database: the typed query builder plus what migrations and tests need. */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<Schema>;
  /** Run `fn` on one connection inside one transaction (committed when `fn` resolves). */
  script<T>(fn: (session: ScriptSession) => Promise<T>): Promise<T>;
  /** The embedded instance, when the engine is PGlite (tests dump and load its data folder). */
  readonly pglite: PGlite | null;
  /**
   * Tell the database that `rows` rows were written to `table`. PGlite has no autovacuum, so without
   * this its planner has no statistics and picks full scans; it re-analyses a table each time it has
   * doubled (a few hundred milliseconds each, so rarely). PostgreSQL's autovacuum does this itself.
   */
  noteWrites(table: string, rows: number): Promise<void>;
  close(): Promise<void>;
}

/** Where to open a database. */
export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly dataDir: string | null; readonly loadDataDir?: Blob }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Told about errors on idle connections (a server restart, a terminated backend); the pool replaces them. */
      readonly onIdleError?: (error: Error) => void;
    };

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Open the database named by `target` (no migrations are run here; see migrate.ts). */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target) : openPostgres(target);
}

async function openPglite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<Database> {
  const pglite = await PGlite.create({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    extensions: { btree_gin },
    // int8 counts and sequence numbers stay well below 2^53; read them as numbers on both engines.
    // Calendar dates (the legal clocks' holiday calendar) stay `YYYY-MM-DD` text: a Date would shift them by the time zone.
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v), [DATE]: (v: string) => v },
  });
  const db = new Kysely<Schema>({ dialect: new PGliteDialect({ pglite }) });
  const statistics = new Map<string, { since: number; analysedAt: number }>();
  return {
    engine: 'pglite',
    db,
    pglite,
    noteWrites: async (table, rows) => {
      const s = statistics.get(table) ?? { since: 0, analysedAt: 0 };
      s.since += rows;
      statistics.set(table, s);
      if (s.since < Math.max(10_000, s.analysedAt)) return;
      const counted = await pglite.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1`, [table]);
      // Statistics of large jsonb documents cost most of an ANALYZE and help no query: leave them out.
      const columns = await pglite.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND atttypid <> 'jsonb'::regtype`,
        [table],
      );
      await pglite.exec(`ANALYZE ${table.replace(/[^a-z_]/g, '')} (${columns.rows.map((c) => `"${c.attname}"`).join(', ')})`);
      s.analysedAt = Math.max(0, counted.rows[0]?.n ?? 0) + s.since;
      s.since = 0;
    },
    script: (fn) =>
      pglite.transaction((tx) =>
        fn({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <R>(text: string, params: readonly unknown[] = []) => (await tx.query<R>(text, [...params])).rows,
        }),
      ),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Database> {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : oid === DATE ? (v: string) => v : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10, types });
  // Without a listener, an idle connection that the server closes would crash the process.
  pool.on('error', (error) => target.onIdleError?.(error));
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    pglite: null,
    noteWrites: async () => undefined,
    script: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <R>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, [...params])).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await db.destroy();
    },
  };
}
