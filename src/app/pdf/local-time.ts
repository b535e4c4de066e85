/**
 * Times in reports are shown at one fixed offset (a report is read by people in one place, and a
 * regulator compares it with their own records in local time), not in the server's time zone.
 * Extracted for the recall reports; src/app/trace/report-export.ts has its own copy and could use this.
 */

/** China Standard Time: the default for reports. */
export const DEFAULT_REPORT_OFFSET = '+08:00';

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** Whether `offset` is `±HH:MM` with hours 00–14 and minutes 00–59 (what the report routes accept). */
export function isReportOffset(offset: string): boolean {
  const m = OFFSET.exec(offset);
  return m !== null && Number(m[2]) <= 14 && Number(m[3]) < 60;
}

/** Minutes east of UTC of `±HH:MM` (0 for anything else). */
export function offsetMinutes(offset: string): number {
  const m = OFFSET.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * Date `YYYY-MM-DD` and time `HH:MM:SS` of an instant at a fixed offset.
 * @example localParts('2025-09-05T02:10:00Z', '+08:00') // { date: '2025-09-05', time: '10:10:00' }
 */
export function localParts(iso: string, offset: string): { date: string; time: string } {
  const shifted = new Date(Date.parse(iso) + offsetMinutes(offset) * 60_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 19) };
}

/**
 * `YYYY-MM-DD HH:MM` at the offset (with seconds only when they are not zero); `—` for null.
 * @example localDateTime('2025-09-05T02:10:00Z', '+08:00') // '2025-09-05 10:10'
 */
export function localDateTime(iso: string | null, offset: string): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return '—';
  const t = localParts(iso, offset);
  return `${t.date} ${t.time.endsWith(':00') ? t.time.slice(0, 5) : t.time}`;
}

/** The zone as a caption: `UTC+08:00`. */
export function zoneCaption(offset: string): string {
  return `UTC${offset}`;
}
