/**
 * Hostile values for fuzz-requests.ts: bad path parameters, unknown keys,
 * strict-query breakers and values of the wrong JSON type.
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { RouteInfo } from '../../../shared/http/routes.js';

export type Arb<T> = fc.Arbitrary<T>;

const BAD_PARAMS = [
  '..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc',
  '....%2F%2F....%2F%2F',
  '%00',
  'a%00b',
  '%252e%252e%252f',
  '%zz',
  '%',
  '%E2%80%AE',
  "'%20OR%201%3D1--",
  '%3Cscript%3E',
  'x'.repeat(4096),
];
const HOSTILE_VALUES = [
  '',
  '-1',
  'NaN',
  '1e999',
  'null',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
];
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'json',
];

export const shapeKeys = (schema: z.ZodType | undefined): string[] =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];

export const hostile: Arb<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_VALUES),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

export const unknownKey = (known: string[]): Arb<string> =>
  fc
    .string({ minLength: 1, maxLength: 12 })
    .map((s) => `zz_${s}`)
    .filter((k) => !known.includes(k));

export const param: Arb<string> = fc.oneof(
  fc.constantFrom(...BAD_PARAMS),
  fc.string({ minLength: 1, maxLength: 64 }).map(encodeURIComponent),
  fc.uuid().map((id) => `missing-${id}`),
);

export function fillPath(template: string): Arb<string> {
  const names = [...template.matchAll(/\{[^}]+\}/g)].length;
  return fc.array(param, { minLength: names, maxLength: names }).map((vs) => {
    let i = 0;
    return template.replace(/\{[^}]+\}/g, () => vs[i++] ?? 'x');
  });
}

/** Known keys with hostile values, plus at least one unknown key. */
export function badQuery(route: RouteInfo): Arb<string> {
  const known = shapeKeys(route.schemas.query);
  const pairs = fc.array(
    fc.tuple(
      known.length > 0 ? fc.constantFrom(...known) : unknownKey(known),
      hostile,
    ),
    { maxLength: 3 },
  );
  return fc
    .tuple(pairs, unknownKey(known), hostile, fc.boolean())
    .map(([kv, key, value, junk]) => {
      const q = new URLSearchParams([...kv, [key, value]]).toString();
      return junk ? `${q}&&=&%zz=1` : q;
    });
}

/** A value whose JSON type differs from the field's declared type. */
export function wrongType(field: z.ZodType): Arb<unknown> | undefined {
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' });
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant([]));
  const byType: Record<string, Arb<unknown>> = {
    string: notString,
    number: fc.oneof(fc.constantFrom('abc', ''), fc.boolean(), fc.object()),
    integer: fc.oneof(fc.constant(1.5), fc.constantFrom('abc'), fc.object()),
    boolean: fc.oneof(fc.constantFrom('yes', 'maybe'), fc.constant({})),
    array: fc.oneof(fc.string(), fc.integer(), fc.constant({ a: 1 })),
    object: fc.oneof(fc.string(), fc.integer(), fc.constant([1, 2])),
  };
  return typeof json.type === 'string' ? byType[json.type] : undefined;
}

export function notJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
