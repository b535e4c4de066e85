/**
 * Deterministic JSON for hashing: what `JSON.stringify` prints, with the keys of every object
 * sorted by UTF-16 code unit order (`Array.prototype.sort` without a comparator) and no whitespace.
 * Arrays keep their order; members whose value is undefined, a function or a symbol are dropped
 * (and become `null` inside arrays); non-finite numbers print as `null`; `toJSON` (e.g. on Date)
 * is honoured. For I-JSON data this is the RFC 8785 (JCS) form. Meant for JSON data as
 * `JSON.parse` returns it; unlike JSON.stringify it does not unwrap boxed primitives (`new String('x')`).
 *
 * @example canonicalJson({ b: [1, { d: 1, c: 'x' }], a: null }) === '{"a":null,"b":[1,{"c":"x","d":1}]}'
 * @throws TypeError for a bigint anywhere, or when the top-level value has no JSON form (undefined, a function).
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, '');
  if (out === undefined) throw new TypeError(`canonicalJson: a value of type ${typeof value} has no JSON form`);
  return out;
}

/** Characters JSON.stringify escapes: `"`, `\\`, C0 controls, and (when unpaired) surrogates. */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;
const plainPrototype = Object.prototype;

function quote(s: string): string {
  return needsEscape.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

function write(value: unknown, key: string): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value);
      return writeObject(value as Record<string, unknown>, key);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form');
    default:
      return undefined;
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += write(items[i], String(i)) ?? 'null';
  }
  return out + ']';
}

function writeObject(record: Record<string, unknown>, key: string): string | undefined {
  // A toJSON lookup on plain objects (all JSON.parse makes) misses through the prototype chain
  // and costs a third of the time; an own toJSON member is caught in the loop below instead.
  if (Object.getPrototypeOf(record) !== plainPrototype) {
    const toJSON = record.toJSON;
    if (typeof toJSON === 'function') return write(toJSON.call(record, key), key);
  }
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = record[k];
    if (k === 'toJSON' && typeof v === 'function') return write(v.call(record, key), key);
    const member = write(v, k);
    if (member === undefined) continue;
    out += (out.length === 1 ? '' : ',') + quote(k) + ':' + member;
  }
  return out + '}';
}
