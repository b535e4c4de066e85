/**
 * Trace places (SGLN Digital Links, GLNs or location ids) as master-data locations with the contact
 * of the party that runs them: who gets a store's notice, and which EPCIS id a location has.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { DomainError } from '../../core/errors.ts';
import type { Schema } from '../../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface KnownPlace {
  readonly placeId: string;
  readonly locationId: string;
  readonly type: string;
  readonly name: string;
  readonly city: string | null;
  readonly region: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly lang: 'zh-CN' | 'en' | null;
}

const GLN_ID = /^https:\/\/id\.gs1\.org\/414\/(\d{13})(?:\/254\/([^/?#]+))?$/;

interface LocationRow {
  location_id: string;
  type: string;
  name_zh: string;
  name_en: string;
  city: string | null;
  region: string | null;
  gln: string | null;
  gln_extension: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown> | null;
}

/** Master-data locations of trace places; places without a master-data location are left out. */
export async function knownPlaces(db: Db, orgId: string, placeIds: Iterable<string>): Promise<Map<string, KnownPlace>> {
  const wanted = [...new Set(placeIds)];
  const out = new Map<string, KnownPlace>();
  if (wanted.length === 0) return out;
  const glns = wanted.map((id) => GLN_ID.exec(id)?.[1]).filter((g): g is string => g !== undefined);
  const rows = (
    await sql<LocationRow>`
      SELECT l.location_id, l.type, l.name_zh, l.name_en, l.city, l.region, l.gln, l.gln_extension, p.email, p.phone, l.attributes
      FROM locations l LEFT JOIN parties p ON p.org_id = l.org_id AND p.party_id = l.party_id
      WHERE l.org_id = ${orgId} AND (l.location_id = ANY(${wanted}::text[]) OR l.gln = ANY(${glns}::text[]))`.execute(db)
  ).rows;
  for (const id of wanted) {
    const g = GLN_ID.exec(id);
    const row =
      rows.find((r) => r.location_id === id) ??
      (g ? (rows.find((r) => r.gln === g[1] && (r.gln_extension ?? '0') === (g[2] ?? '0')) ?? rows.find((r) => r.gln === g[1] && r.gln_extension === null)) : undefined);
    if (row) out.set(id, asPlace(id, row));
  }
  return out;
}

/** One master-data location by id, with its contact; 404 naming `pointer` when it does not exist. */
export async function locationById(db: Db, orgId: string, locationId: string, pointer: string): Promise<KnownPlace & { readonly epcisId: string | null }> {
  const row = (
    await sql<LocationRow>`
      SELECT l.location_id, l.type, l.name_zh, l.name_en, l.city, l.region, l.gln, l.gln_extension, p.email, p.phone, l.attributes
      FROM locations l LEFT JOIN parties p ON p.org_id = l.org_id AND p.party_id = l.party_id
      WHERE l.org_id = ${orgId} AND l.location_id = ${locationId}`.execute(db)
  ).rows[0];
  if (!row) throw new DomainError('NoSuchResourceException', `no location ${locationId}`, [{ pointer, message: 'a location id of master data', rule: 'exists' }]);
  return { ...asPlace(locationId, row), epcisId: epcisLocationId(row) };
}

/** The EPCIS id of a location: its SGLN as a Digital Link, or null when it has no GLN. */
export function epcisLocationId(row: { gln: string | null; gln_extension: string | null }): string | null {
  if (!row.gln) return null;
  return row.gln_extension && row.gln_extension !== '0' ? `https://id.gs1.org/414/${row.gln}/254/${encodeURIComponent(row.gln_extension)}` : `https://id.gs1.org/414/${row.gln}`;
}

function asPlace(placeId: string, row: LocationRow): KnownPlace {
  const lang = row.attributes?.['lang'];
  return {
    placeId,
    locationId: row.location_id,
    type: row.type,
    name: row.name_zh === row.name_en ? row.name_zh : `${row.name_zh} / ${row.name_en}`,
    city: row.city,
    region: row.region,
    email: row.email,
    phone: row.phone,
    lang: lang === 'en' || lang === 'zh-CN' ? lang : null,
  };
}
