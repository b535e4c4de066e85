/**
 * Building blocks of the scenario documents: JSON types, local times in China Standard Time, and the
 * split of a story's events into EPCISDocuments, one per local day, in capture (event-time) order.
 */

/** A JSON value as an EPCIS JSON-LD document carries it. */
export type Json = string | number | boolean | null | readonly Json[] | JsonObject;

/** A JSON object: an EPCIS document, event, or one of their members. */
export interface JsonObject {
  readonly [key: string]: Json;
}

/** The time zone of every event in the scenarios (China Standard Time). */
export const TZ = '+08:00';
const TZ_MS = 8 * 3_600_000;

/** The standard EPCIS 2.0 context. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** Milliseconds since the epoch of a local date and time, e.g. `ms('2025-09-05', '10:30')`. */
export function ms(date: string, time: string): number {
  const t = time.length === 5 ? `${time}:00` : time;
  const v = Date.parse(`${date}T${t}${TZ}`);
  if (Number.isNaN(v)) throw new Error(`bad local time ${date} ${time}`);
  return v;
}

/** The EPCIS date-time of `millis` in China Standard Time, e.g. `2025-09-05T10:30:00+08:00`. */
export function iso(millis: number): string {
  return `${new Date(millis + TZ_MS).toISOString().slice(0, 19)}${TZ}`;
}

/** The local calendar date of `millis`, e.g. `2025-09-05`. */
export function localDate(millis: number): string {
  return new Date(millis + TZ_MS).toISOString().slice(0, 10);
}

/** `eventTime` and `eventTimeZoneOffset` of an event at `millis`. */
export function when(millis: number): { eventTime: string; eventTimeZoneOffset: string } {
  return { eventTime: iso(millis), eventTimeZoneOffset: TZ };
}

/** An event and the time it sorts by. */
export interface TimedEvent {
  readonly at: number;
  readonly event: JsonObject;
}

/**
 * EPCISDocuments of `events`, one per local day (events before `firstDay` go into one opening
 * document), each in event-time order (ties keep the order they were added in).
 */
export function documentsByDay(events: readonly TimedEvent[], prefixes: Readonly<Record<string, string>>, firstDay: string): JsonObject[] {
  const sorted = events.map((e, i) => ({ ...e, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const days = new Map<string, TimedEvent[]>();
  for (const e of sorted) {
    const day = localDate(e.at) < firstDay ? 'before' : localDate(e.at);
    const list = days.get(day) ?? [];
    list.push(e);
    days.set(day, list);
  }
  return [...days.values()].map((list) => ({
    '@context': [EPCIS_CONTEXT, { ...prefixes }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: iso((list[list.length - 1]?.at ?? 0) + 60_000),
    epcisBody: { eventList: list.map((e) => e.event) },
  }));
}

/**
 * `n` moments spread evenly over the opening hours (`open`–`close`, local) between `from` and `to`:
 * when a store's units are sold.
 */
export function openingMoments(from: number, to: number, n: number, open = 9, close = 21): number[] {
  const slots: [number, number][] = [];
  for (let day = ms(localDate(from), '00:00'); day < to; day += 86_400_000) {
    const a = Math.max(from, day + open * 3_600_000);
    const b = Math.min(to, day + close * 3_600_000);
    if (b > a) slots.push([a, b]);
  }
  const total = slots.reduce((s, [a, b]) => s + (b - a), 0);
  if (total <= 0 && n > 0) throw new Error(`no opening hours between ${iso(from)} and ${iso(to)}`);
  return Array.from({ length: n }, (_, k) => {
    let offset = Math.floor((total * (k + 0.5)) / n);
    for (const [a, b] of slots) {
      if (offset < b - a) return a + Math.floor(offset / 60_000) * 60_000;
      offset -= b - a;
    }
    throw new Error('unreachable: offset beyond the opening hours');
  });
}

/** Split `items` into groups of the sizes in `pattern`, repeated (a till sale takes 1 to 3 boxes). */
export function groups<T>(items: readonly T[], pattern: readonly number[] = [1, 2, 1, 1, 3, 2]): T[][] {
  const out: T[][] = [];
  for (let i = 0, k = 0; i < items.length; k++) {
    const size = pattern[k % pattern.length] ?? 1;
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}
