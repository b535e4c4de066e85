import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the shared GS1 conformance folder (beside the repository, never copied into it). */
export const conformanceRoot: string =
  process.env.LOTLINE_CONFORMANCE_DIR ?? fileURLToPath(new URL('../../../shared/conformance/', import.meta.url));

/** Path of a file inside the conformance folder. */
export function conformancePath(...parts: string[]): string {
  return join(conformanceRoot, ...parts);
}

/** Whether the conformance folder is present (it is in CI and on developer machines). */
export const hasConformance: boolean = existsSync(conformanceRoot);

/** Read a conformance file as UTF-8 text. */
export function readConformanceText(...parts: string[]): string {
  return readFileSync(conformancePath(...parts), 'utf8');
}

/** Read and parse a conformance JSON file. */
export function readConformanceJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readConformanceText(...parts)) as T;
}

/** Every file below a conformance sub-folder whose name ends with one of `endings`, as paths relative to the conformance root. */
export function listConformanceFiles(folder: string, endings: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (endings.some((e) => name.endsWith(e))) out.push(relative(conformanceRoot, full));
    }
  };
  walk(conformancePath(folder));
  return out;
}
