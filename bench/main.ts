/**
 * Benchmark entry: `npm run bench -- <name> [options]`.
 * Each benchmark lives in bench/<name>.bench.ts and exports `run(args: string[]): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [options]\n`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(`./${name}.bench.ts`)) as { run: (args: string[]) => Promise<void> };
await mod.run(args);
