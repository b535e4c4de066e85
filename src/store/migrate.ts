import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

/** A migration file that was applied (or already had been). */
export interface MigrationResult {
  readonly name: string;
  readonly status: 'applied' | 'already-applied';
}

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
// Arbitrary, fixed key: serialises concurrent migrators on one PostgreSQL server.
const MIGRATION_LOCK_KEY = 720_524_211;

/** The plain `.sql` migration files, in the order they apply. */
export function migrationFiles(): { name: string; sql: string; checksum: string }[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(migrationsDir + name, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Apply every pending migration in one transaction, on either engine.
 * A migration that was applied and has since been edited is an error: migrations are append-only.
 */
export async function migrate(database: Database): Promise<MigrationResult[]> {
  const files = migrationFiles();
  const results = await database.script(async (s) => {
    if (database.engine === 'postgres') await s.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await s.exec(`CREATE TABLE IF NOT EXISTS lotline_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (await s.query<{ name: string; checksum: string }>('SELECT name, checksum FROM lotline_migrations')).map((r) => [r.name, r.checksum]),
    );
    const results: MigrationResult[] = [];
    for (const file of files) {
      const applied = done.get(file.name);
      if (applied !== undefined) {
        if (applied !== file.checksum) {
          throw new Error(`migration ${file.name} was changed after it was applied; add a new migration instead`);
        }
        results.push({ name: file.name, status: 'already-applied' });
        continue;
      }
      await s.exec(file.sql);
      await s.query('INSERT INTO lotline_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
      results.push({ name: file.name, status: 'applied' });
    }
    return results;
  });
  // Fresh statistics for the planner (PGlite never gathers them by itself).
  if (database.engine === 'pglite') await database.script((s) => s.exec('ANALYZE'));
  return results;
}
