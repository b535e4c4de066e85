/**
 * A location description as FSMA 204 asks for it (21 CFR 1.1310: business name, phone number,
 * physical address, city, state and country), from master data, in English where it has English.
 */

/** The master-data fields a description is built from. */
export interface PlaceFacts {
  /** The location's own name (English, else Chinese); null for a party without a location. */
  readonly name: string | null;
  /** The business (party) that runs the location. */
  readonly business: string | null;
  readonly address: string | null;
  readonly city: string | null;
  readonly region: string | null;
  readonly country: string | null;
  readonly phone: string | null;
}

/**
 * `Yuehuafang Foods, Shanghai plant, 88 Jinhai Rd, Shanghai, CN, Tel. +86 21 5555 0100`: business,
 * location name (when it is not the business name), address, city, region, country, phone.
 */
export function describePlace(f: PlaceFacts): string | null {
  const parts: string[] = [];
  const push = (value: string | null): void => {
    const v = value?.trim();
    if (v && !parts.includes(v)) parts.push(v);
  };
  push(f.business);
  push(f.name);
  push(f.address);
  push(f.city);
  push(f.region);
  push(f.country);
  if (f.phone?.trim()) parts.push(`Tel. ${f.phone.trim()}`);
  return parts.length ? parts.join(', ') : null;
}

/** An English name if there is one, else the Chinese one. */
export function englishName(en: string | null | undefined, zh: string | null | undefined): string | null {
  return en?.trim() || zh?.trim() || null;
}
