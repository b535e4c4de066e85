/**
 * The official calendars Lotline ships for China: used for a year until an organisation imports its own
 * entries for that year (which then replace the built-in year whole). Years not listed here have no
 * built-in holidays: the organisation imports them when the State Council publishes the notice
 * (usually in November of the year before; docs/legal-clocks.md, "Importing a year").
 */
import { CN_2025 } from './cn-2025.ts';
import { CN_2026 } from './cn-2026.ts';
import type { OfficialYear } from './official-year.ts';

export const CN_BUILT_IN: ReadonlyMap<number, OfficialYear> = new Map([CN_2025, CN_2026].map((y) => [y.year, y]));
