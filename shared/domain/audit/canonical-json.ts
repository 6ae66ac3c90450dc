/**
 * Canonical JSON and SHA-256: the byte-exact forms every audit hash (the
 * event hash chain, provenance records) is computed over.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (UTF-16 code unit order) at every depth and
 * no whitespace. Values are serialised as `JSON.stringify` would: keys whose
 * value is `undefined`, a function or a symbol are left out, non-finite
 * numbers become `null`. Equal data always gives equal text, whatever the
 * key order it was built or stored with.
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null';
}

function serialize(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item) => serialize(item) ?? 'null').join(',')}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = serialize(record[key]);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  // Strings, numbers, booleans; undefined, functions and symbols give
  // undefined, as JSON.stringify does.
  return JSON.stringify(value);
}

/**
 * The SHA-256 of a UTF-8 string, as 64 lowercase hex characters.
 * @example
 * sha256Hex('abc').slice(0, 8); // 'ba7816bf'
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
