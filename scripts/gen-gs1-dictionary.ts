/**
 * Generate `src/core/gs1/ai-dictionary.generated.ts` from the GS1 Barcode Syntax Dictionary.
 *
 *   node scripts/gen-gs1-dictionary.ts [path/to/gs1-syntax-dictionary.txt] [--check]
 *
 * Without a path it reads the shared conformance copy. `--check` compares instead of writing and
 * exits 1 when the committed file is stale. The output is deterministic: regenerating from the
 * same dictionary gives the same bytes (a test checks this).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AiComponent, AiDefinition, CharacterSet } from '../src/core/gs1/ai-definition.ts';
import { isLinterName, type LinterName } from '../src/core/gs1/linters/linter-registry.ts';
import { conformancePath } from '../test/support/conformance.ts';

/** Where the generated module lives. */
export const generatedModulePath: string = fileURLToPath(new URL('../src/core/gs1/ai-dictionary.generated.ts', import.meta.url));

/** The dictionary in the shared conformance folder. */
export const defaultDictionaryPath: string = conformancePath('gs1-syntax-dictionary', 'gs1-syntax-dictionary.txt');

/** A dictionary parsed into AI definitions plus the provenance needed for the generated header. */
export interface ParsedDictionary {
  readonly release: string;
  readonly copyright: readonly string[];
  readonly definitions: readonly AiDefinition[];
}

class DictionaryError extends Error {
  constructor(line: number, message: string) {
    super(`gs1-syntax-dictionary.txt line ${line}: ${message}`);
    this.name = 'DictionaryError';
  }
}

const FLAG_CHARS = `*!?"$%&'()+,-./:;<=>@[\\]^_\`{|}~`;

function parseComponent(token: string, lineNo: number): AiComponent {
  let optional = false;
  let spec: string;
  let rest: string;
  if (token.startsWith('[')) {
    const close = token.indexOf(']');
    if (close < 0) throw new DictionaryError(lineNo, `unterminated optional component "${token}"`);
    optional = true;
    spec = token.slice(1, close);
    rest = token.slice(close + 1);
  } else {
    const comma = token.indexOf(',');
    spec = comma < 0 ? token : token.slice(0, comma);
    rest = comma < 0 ? '' : token.slice(comma);
  }
  const m = /^([NXYZ])(\.\.)?(\d+)$/.exec(spec);
  if (!m) throw new DictionaryError(lineNo, `bad component specification "${token}"`);
  const max = Number(m[3]);
  const linters: LinterName[] = [];
  for (const name of rest.split(',').filter((s) => s.length > 0)) {
    if (!isLinterName(name)) throw new DictionaryError(lineNo, `unknown linter "${name}" in "${token}"; implement it in src/core/gs1/linters first`);
    linters.push(name);
  }
  return { cset: m[1] as CharacterSet, min: m[2] ? 1 : max, max, optional, linters };
}

function expandAis(spec: string, lineNo: number): string[] {
  const m = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(spec);
  if (!m) throw new DictionaryError(lineNo, `bad AI or AI range "${spec}"`);
  const from = m[1] as string;
  const to = m[2] ?? from;
  if (to.length !== from.length || Number(to) < Number(from)) throw new DictionaryError(lineNo, `bad AI range "${spec}"`);
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, '0'));
  return out;
}

/** Parse the dictionary text; throws a DictionaryError naming the line for malformed entries. */
export function parseDictionary(text: string): ParsedDictionary {
  const release = /^#\s*Release:\s*(\S+)/m.exec(text)?.[1];
  if (!release) throw new DictionaryError(1, 'no "# Release:" line in the header');
  const copyright = [...text.matchAll(/^#\s*(Copyright .*)$/gm)].map((m) => (m[1] as string).trim());
  const definitions: AiDefinition[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] as string).replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const hash = raw.indexOf('#');
    const title = hash < 0 ? '' : raw.slice(hash + 1).trim();
    const tokens = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    const aiSpec = tokens.shift() as string;
    let flags = '';
    const first = tokens[0];
    if (first !== undefined && [...first].every((c) => FLAG_CHARS.includes(c))) flags = tokens.shift() as string;
    const components: AiComponent[] = [];
    const requires: string[][][] = [];
    const excludes: string[] = [];
    let dlPrimaryKey: string[][] | null = null;
    for (const token of tokens) {
      if (/^\[?[NXYZ]/.test(token) && !token.includes('=')) {
        if (requires.length > 0 || excludes.length > 0 || dlPrimaryKey !== null) throw new DictionaryError(lineNo, `component "${token}" after attributes`);
        const c = parseComponent(token, lineNo);
        const previous = components[components.length - 1];
        if (previous !== undefined && previous.optional && !c.optional) throw new DictionaryError(lineNo, 'mandatory component after an optional one');
        components.push(c);
      } else if (token.startsWith('req=')) {
        requires.push(token.slice(4).split(',').map((alt) => alt.split('+')));
      } else if (token.startsWith('ex=')) {
        excludes.push(...token.slice(3).split(','));
      } else if (token === 'dlpkey') {
        dlPrimaryKey = [[]];
      } else if (token.startsWith('dlpkey=')) {
        dlPrimaryKey = token.slice(7).split('|').map((seq) => seq.split(','));
      } else {
        throw new DictionaryError(lineNo, `unknown attribute "${token}"`);
      }
    }
    if (components.length === 0) throw new DictionaryError(lineNo, 'no component specification');
    for (const ai of expandAis(aiSpec, lineNo)) {
      definitions.push({
        ai,
        title,
        fnc1Required: !flags.includes('*'),
        dlDataAttribute: flags.includes('?'),
        components,
        requires,
        excludes,
        dlPrimaryKey,
      });
    }
  }
  for (let i = 1; i < definitions.length; i++) {
    const a = (definitions[i - 1] as AiDefinition).ai;
    const b = (definitions[i] as AiDefinition).ai;
    if (a >= b) throw new DictionaryError(0, `AIs out of lexical order or duplicated: ${a} then ${b}`);
  }
  return { release, copyright, definitions };
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const list = (items: readonly string[]): string => `[${items.map(q).join(', ')}]`;

function renderComponent(c: AiComponent): string {
  return `{ cset: '${c.cset}', min: ${c.min}, max: ${c.max}, optional: ${c.optional}, linters: ${list(c.linters)} }`;
}

function renderDefinition(d: AiDefinition): string {
  const req = `[${d.requires.map((r) => `[${r.map(list).join(', ')}]`).join(', ')}]`;
  const key = d.dlPrimaryKey === null ? 'null' : `[${d.dlPrimaryKey.map(list).join(', ')}]`;
  return [
    `  { ai: ${q(d.ai)}, title: ${q(d.title)}, fnc1Required: ${d.fnc1Required}, dlDataAttribute: ${d.dlDataAttribute},`,
    `    components: [${d.components.map(renderComponent).join(', ')}],`,
    `    requires: ${req}, excludes: ${list(d.excludes)}, dlPrimaryKey: ${key} },`,
  ].join('\n');
}

/** Render the TypeScript module for a dictionary text. */
export function renderDictionaryModule(text: string): string {
  const parsed = parseDictionary(text);
  const sha = createHash('sha256').update(text).digest('hex');
  return [
    '/**',
    ` * GS1 Barcode Syntax Dictionary, release ${parsed.release}, as a TypeScript table.`,
    ' *',
    ' * GENERATED by scripts/gen-gs1-dictionary.ts from gs1-syntax-dictionary.txt; do not edit by hand.',
    ' * Regenerate with `node scripts/gen-gs1-dictionary.ts` when a new dictionary release is adopted.',
    ' *',
    ` * Source: https://github.com/gs1/gs1-syntax-dictionary, release tag ${parsed.release}`,
    ` * Source SHA-256: ${sha}`,
    ' *',
    ...parsed.copyright.map((c) => ` * ${c}`),
    ' *',
    ' * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this',
    ' * file except in compliance with the License. You may obtain a copy of the License at',
    ' * http://www.apache.org/licenses/LICENSE-2.0. Unless required by applicable law or agreed',
    ' * to in writing, software distributed under the License is distributed on an "AS IS" BASIS,',
    ' * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.',
    ' */',
    "import type { AiDefinition } from './ai-definition.ts';",
    '',
    '/** Release of the GS1 Barcode Syntax Dictionary this table was generated from. */',
    `export const AI_DICTIONARY_RELEASE = ${q(parsed.release)};`,
    '',
    `/** Every AI of the dictionary (${parsed.definitions.length} after expanding ranges), in lexical order. */`,
    'export const AI_DEFINITIONS: readonly AiDefinition[] = [',
    ...parsed.definitions.map(renderDefinition),
    '];',
    '',
  ].join('\n');
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const source = argv.find((a) => !a.startsWith('--')) ?? defaultDictionaryPath;
  const out = renderDictionaryModule(readFileSync(source, 'utf8'));
  if (check) {
    let current = '';
    try {
      current = readFileSync(generatedModulePath, 'utf8');
    } catch {
      current = '';
    }
    if (current !== out) {
      process.stderr.write(`${generatedModulePath} is out of date; run node scripts/gen-gs1-dictionary.ts\n`);
      return 1;
    }
    process.stdout.write('ai-dictionary.generated.ts is up to date\n');
    return 0;
  }
  writeFileSync(generatedModulePath, out);
  process.stdout.write(`wrote ${generatedModulePath}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
