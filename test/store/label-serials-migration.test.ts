import { readFileSync, readdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/store/migrations/', import.meta.url);
const sqlOf = (name: string) => readFileSync(new URL(name, dir), 'utf8');

describe('migration 0004: label serials become unique per GTIN', () => {
  it('keeps every serial printed under the old per-batch counters, and continues after the highest', async () => {
    const db = await PGlite.create({ extensions: { btree_gin } });
    try {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.sql') && n < '0004').sort()) await db.exec(sqlOf(f));
      await db.exec(`INSERT INTO orgs (org_id, name) VALUES ('acme', 'Acme');
        INSERT INTO batch_code_sequences (org_id, scope, last_seq) VALUES
          ('acme', 'serial|06901234567892|250905-MC-AM-001', 30),
          ('acme', 'serial|06901234567892|250905-MC-AM-002', 12),
          ('acme', 'serial|06901234000014|B-7', 5),
          ('acme', '250905|A1|D', 3);`);
      await db.exec(sqlOf('0004_label_serials.sql'));
      const counters = await db.query<{ scope: string; last_seq: number }>(`SELECT scope, last_seq FROM batch_code_sequences WHERE scope NOT LIKE 'serial|%|%' ORDER BY scope`);
      expect(counters.rows).toEqual([
        { scope: '250905|A1|D', last_seq: 3 },
        { scope: 'serial|06901234000014', last_seq: 5 },
        { scope: 'serial|06901234567892', last_seq: 30 },
      ]);
      const runs = await db.query<{ gtin: string; batch_code: string; first_serial: number; last_serial: number }>(
        `SELECT gtin, batch_code, first_serial::int, last_serial::int FROM label_print_runs ORDER BY gtin, batch_code`,
      );
      expect(runs.rows).toEqual([
        { gtin: '06901234000014', batch_code: 'B-7', first_serial: 1, last_serial: 5 },
        { gtin: '06901234567892', batch_code: '250905-MC-AM-001', first_serial: 1, last_serial: 30 },
        { gtin: '06901234567892', batch_code: '250905-MC-AM-002', first_serial: 1, last_serial: 12 },
      ]);
    } finally {
      await db.close();
    }
  });
});
