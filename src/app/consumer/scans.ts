/**
 * Consumer scans and the authenticity hint. A genuine pack is usually scanned once or a few times
 * by the same household; a code copied onto fakes is scanned many times, or from far apart within a
 * short time. The hint says what the record shows and never calls a pack fake: a shop assistant and
 * a curious buyer scan the same box too.
 *
 * Privacy: no address is stored. `ip_hash` hashes the network prefix (/24 or /48) with the
 * organisation, which is enough to tell "different networks" apart; `ua_hash` hashes the User-Agent.
 */
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/** Scans of one code at which the hint turns into a warning. */
export const MANY_SCANS = 10;
/** Distinct networks within SPREAD_HOURS at which the hint turns into a warning. */
export const SPREAD_NETWORKS = 3;
export const SPREAD_HOURS = 48;

export interface ScanInput {
  readonly orgId: string;
  /** The canonical code scanned. */
  readonly code: string;
  readonly unitNode: string | null;
  readonly lotNode: string | null;
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly geoHint?: string | null;
}

/** What the scan record of one pack says, including the scan just recorded. */
export type Authenticity =
  | { readonly level: 'first' }
  | { readonly level: 'repeat' | 'warn'; readonly scans: number; readonly since: Date; readonly networks: number };

/** The network prefix of an address: /24 for IPv4, /48 for IPv6 (IPv4-mapped IPv6 as IPv4). */
export function networkPrefix(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? (mapped[1] as string) : ip;
  if (!isIPv6(v4)) return v4.split('.').slice(0, 3).join('.');
  const [head = ''] = v4.split('::');
  const groups = v4.includes('::') ? [...head.split(':').filter(Boolean), '0', '0', '0'] : v4.split(':');
  return groups.slice(0, 3).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':');
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22);

/** Record one scan (a consumer page view of a code). */
export async function recordScan(ctx: AppContext, scan: ScanInput): Promise<void> {
  await sql`
    INSERT INTO consumer_scans (org_id, scan_id, code, unit_node, lot_node, at, ip_hash, ua_hash, geo_hint)
    VALUES (${scan.orgId}, ${ctx.ids.next('scan')}, ${scan.code}, ${scan.unitNode}, ${scan.lotNode}, ${ctx.clock.now()},
            ${hash(`${scan.orgId}|${networkPrefix(scan.ip)}`)}, ${scan.userAgent ? hash(scan.userAgent) : null}, ${scan.geoHint ?? null})`.execute(ctx.database.db);
}

/** The hint for a unit's code from its recorded scans. */
export async function authenticityOf(ctx: AppContext, orgId: string, unitNode: string): Promise<Authenticity> {
  const recent = new Date(ctx.clock.now().getTime() - SPREAD_HOURS * 3_600_000);
  const r = await sql<{ n: number; first: Date | null; networks: number }>`
    SELECT count(*)::int AS n, min(at) AS first, count(DISTINCT ip_hash) FILTER (WHERE at >= ${recent})::int AS networks
    FROM consumer_scans WHERE org_id = ${orgId} AND unit_node = ${unitNode}`.execute(ctx.database.db);
  const row = r.rows[0];
  const n = Number(row?.n ?? 0);
  if (n <= 1 || !row?.first) return { level: 'first' };
  const networks = Number(row.networks);
  return { level: n >= MANY_SCANS || networks >= SPREAD_NETWORKS ? 'warn' : 'repeat', scans: n, since: row.first, networks };
}
