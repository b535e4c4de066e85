#!/usr/bin/env node
/**
 * The `lotline` command line: serve, migrate, org, token, verify, capture.
 * Run `lotline help` for the list.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { DomainError } from '../core/errors.ts';
import { commands } from './commands.ts';

const [name = 'help', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  process.stderr.write(`lotline: unknown command ${JSON.stringify(name)}\n\n`);
  process.stderr.write(usage());
  process.exit(2);
}

try {
  const { values, positionals } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  const code = await command.run({ config: loadConfig(), values: values as Record<string, string | boolean | undefined>, positionals, usage });
  process.exitCode = code;
} catch (error) {
  if (DomainError.is(error)) {
    process.stderr.write(`lotline ${name}: ${error.message}\n`);
    for (const d of error.details) process.stderr.write(`  ${d.pointer || '(document)'}: ${d.message}\n`);
    process.exitCode = 1;
  } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lotline ${name}: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } else {
    // Expected failures (a locked data folder, an unreachable server) read best without a stack trace.
    process.stderr.write(`lotline ${name}: ${process.env.LOTLINE_DEBUG ? ((error as Error).stack ?? String(error)) : ((error as Error).message ?? String(error))}\n`);
    process.exitCode = 1;
  }
}

function usage(): string {
  const zh = /^zh/i.test(process.env.LOTLINE_LANG || process.env.LC_ALL || process.env.LANG || '');
  const lines = Object.entries(commands).map(([n, c]) => `  lotline ${n.padEnd(14)} ${zh ? `${c.summaryZh}\n  ${' '.repeat(23)}${c.summary}` : c.summary}`);
  const env = 'DATABASE_URL (PostgreSQL; default: embedded PGlite in LOTLINE_DATA_DIR=./lotline-data), PORT, HOST,\nLOTLINE_BOOTSTRAP_TOKEN, LOTLINE_BOOTSTRAP_ORG, LOTLINE_LEDGER_KEY_FILE, LOG_LEVEL.';
  return zh ? `用法 Usage:\n${lines.join('\n')}\n\n环境变量 Environment: ${env}\n` : `Usage:\n${lines.join('\n')}\n\nEnvironment: ${env}\n`;
}
