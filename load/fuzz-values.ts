/**
 * Bad values for load/fuzz-cases.ts, and the bit of zod introspection that
 * picks, per field, a value its schema must refuse.
 */

import type { Rng } from './chaos-support.js';

export type { Rng } from './chaos-support.js';

/** Random choices over an Rng. */
export interface Gen {
  int(n: number): number;
  bool(): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T extends { weight: number }>(items: readonly T[]): T;
}

/** A Gen over `rng`. */
export function makeGen(rng: Rng): Gen {
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)] ?? items[0];
    if (item === undefined) throw new Error('pick from nothing');
    return item;
  };
  return {
    int,
    bool: () => rng() < 0.5,
    pick,
    weighted: (items) => {
      const total = items.reduce((sum, m) => sum + m.weight, 0);
      let left = rng() * total;
      for (const item of items) {
        left -= item.weight;
        if (left < 0) return item;
      }
      return pick(items);
    },
  };
}

/** Not JSON at all (a signed one must still be refused by the webhook). */
export const BAD_JSON = [
  '{',
  '{"a":',
  '[1,2',
  'nul',
  '{"id":"x",}',
  "{'single':1}",
  '{"a":1}{"b":2}',
  '\uFEFF{}',
  'NaN',
  '{"a":NaN}',
  '\u0000',
  '<xml/>',
];

export const BAD_KEYS = [
  '',
  'cvg_',
  'x'.repeat(8000),
  'cvg_bench_admin_key_0123456789abcdeX',
  "' OR '1'='1",
  'Bearer cvg_bench_admin_key_0123456789abcdef',
  '%00',
  'null',
  '[object Object]',
];

/** Path parameter values, already URL-encoded. */
export const BAD_PARAMS = [
  'A'.repeat(300),
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%00',
  '%20',
  '%E2%80%AE',
  '%zz',
  "'%20OR%201%3D1--",
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(20_000),
];

export const UNKNOWN_PATHS = {
  suffixes: [
    '/zz-fuzz',
    '.json',
    '/%00',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/../../../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    ';jsessionid=1',
    '%20',
  ],
  absolute: [
    '/v1',
    '/v2/intents',
    '/admin',
    '/.env',
    '/.git/config',
    '/v1/intents%2Fx',
    '/V1/HEALTH',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/v1/%',
    '/v1/intents/%zz',
    // the dashboard's static files (`/` and `/web/*`)
    '/web/',
    '/web/../package.json',
    '/web/..%2fpackage.json',
    '/web/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/web/app.js%00.html',
    '/web/.env',
  ],
};

/** A top-level field of an object schema. */
export interface Field {
  name: string;
  type: string;
  coerce: boolean;
  required: boolean;
  maxLength: number | null;
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  coerce?: boolean;
  checks?: unknown[];
}

const WRAPPERS = new Set([
  'optional',
  'default',
  'nullable',
  'prefault',
  'readonly',
  'catch',
]);

function defOf(schema: unknown): Def {
  const zod = (schema as { _zod?: { def?: Def } } | undefined)?._zod;
  return zod?.def ?? {};
}

function unwrap(schema: unknown): { def: Def; required: boolean } {
  let def = defOf(schema);
  let required = true;
  for (let i = 0; i < 10; i++) {
    if (def.type === 'pipe') def = defOf(def.in);
    else if (def.type && WRAPPERS.has(def.type)) {
      required = false;
      def = defOf(def.innerType);
    } else break;
  }
  return { def, required };
}

function maxLengthOf(def: Def): number | null {
  for (const check of def.checks ?? []) {
    const c = defOf(check) as { check?: string; maximum?: number };
    if (c.check === 'max_length' && typeof c.maximum === 'number') {
      return c.maximum;
    }
  }
  return null;
}

/** The fields of an object schema (through optional/pipe wrappers). */
export function fieldsOf(schema: unknown): Field[] | null {
  const { def } = unwrap(schema);
  if (def.type !== 'object' || !def.shape) return null;
  return Object.entries(def.shape).map(([name, value]) => {
    const inner = unwrap(value);
    return {
      name,
      type: inner.def.type ?? 'unknown',
      coerce: inner.def.coerce === true,
      required: inner.required,
      maxLength: inner.def.type === 'string' ? maxLengthOf(inner.def) : null,
    };
  });
}

/** A JSON value the field's schema refuses, or undefined when unsure. */
function wrongValue(f: Field): unknown {
  switch (f.type) {
    case 'string':
      return f.coerce ? undefined : 12345;
    case 'number':
    case 'int':
    case 'bigint':
      return 'not-a-number';
    case 'boolean':
      return f.coerce ? undefined : 'yes';
    case 'enum':
      return 'NOT_A_MEMBER_ZZ';
    case 'array':
      return { a: 1 };
    case 'record':
      return [1, 2];
    case 'object':
      return 42;
    default:
      return undefined;
  }
}

/** A JSON root that is not an object. */
export function wrongTypeRoot(gen: Gen): string {
  return gen.pick(['[]', '"x"', '42', 'null', 'true', '[{}]']);
}

/** One field set to a value of the wrong type. */
export function wrongTypeBody(fields: Field[], gen: Gen): string {
  const wrong = fields.filter((f) => wrongValue(f) !== undefined);
  if (wrong.length === 0) return wrongTypeRoot(gen);
  const f = gen.pick(wrong);
  return JSON.stringify({ [f.name]: wrongValue(f) });
}

/** A huge string where the schema cannot take it (under the 1 MiB cap). */
export function hugeFieldBody(fields: Field[], gen: Gen): string {
  const size = gen.pick([50_000, 500_000]);
  const bounded = fields.filter((f) => f.maxLength !== null);
  const typed = fields.filter((f) => f.type !== 'string' && !f.coerce);
  const f = bounded.length > 0 ? gen.pick(bounded) : typed[0];
  const name = f?.name ?? 'fuzz_huge';
  const length = Math.max(size, (f?.maxLength ?? 0) + 1);
  return JSON.stringify({ [name]: 'A'.repeat(length) });
}

function badQueryValue(f: Field, gen: Gen, huge: boolean): string | null {
  if (f.maxLength !== null) {
    return 'A'.repeat(huge ? 10_000 : f.maxLength + 1);
  }
  if (f.type === 'number' || f.type === 'int') {
    return huge ? '9'.repeat(10_000) : gen.pick(['abc', '1e999', '%zz']);
  }
  if (f.type === 'enum') return huge ? 'Z'.repeat(10_000) : 'NOT_A_MEMBER';
  return null;
}

/**
 * A query string the route's strict query schema refuses: an unknown
 * parameter, a value of the wrong type or length, or (when some are
 * required) none at all.
 */
export function queryMutation(
  route: { schemas: { query?: unknown } },
  gen: Gen,
  mode: 'any' | 'huge',
): string {
  const fields = fieldsOf(route.schemas.query) ?? [];
  const huge = mode === 'huge';
  const typed = fields
    .map((f) => ({ f, v: badQueryValue(f, gen, huge) }))
    .filter((x): x is { f: Field; v: string } => x.v !== null);
  const required = fields.some((f) => f.required);
  const choice = gen.int(3);
  if (choice === 0 && typed.length > 0) {
    const { f, v } = gen.pick(typed);
    return `${f.name}=${v}`;
  }
  if (choice === 1 && required && !huge) return '';
  return `fuzz_unknown=${huge ? 'U'.repeat(10_000) : '1'}`;
}
