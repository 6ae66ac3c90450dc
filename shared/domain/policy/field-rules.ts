import { type ErrorDetail, ValidationError } from '../errors.js';

/** How one field of a policy document is checked. */
export type FieldRule =
  | {
      readonly kind: 'number';
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
    }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'stringList' }
  | { readonly kind: 'isoDateOrNull' }
  | { readonly kind: 'stringOrNull' };

/** One rule per field of `T`: the shape of a validated section. */
export type FieldRules<T> = { readonly [K in keyof T]-?: FieldRule };

/** A non-null, non-array object, as JSON objects are. */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a parent path and a key the way error details show them. */
export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Reads the fields of `input` that `rules` knows, checking each one. Every
 * problem (not an object, unknown field, wrong type, out of range) is pushed
 * to `issues`; valid fields are returned. An absent section gives `{}`.
 */
export function readFields<T>(
  input: unknown,
  rules: FieldRules<T>,
  path: string,
  issues: ErrorDetail[],
): Partial<T> {
  if (input === undefined) return {};
  if (!isPlainObject(input)) {
    issues.push({ path, message: 'must be an object' });
    return {};
  }
  const known: Record<string, FieldRule> = rules;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const rule = known[key];
    const fieldPath = joinPath(path, key);
    if (rule === undefined) {
      issues.push({ path: fieldPath, message: 'is not a known field' });
      continue;
    }
    const problem = checkField(value, rule);
    if (problem === undefined) out[key] = normalise(value, rule);
    else issues.push({ path: fieldPath, message: problem });
  }
  return out as Partial<T>;
}

/** Throws one `ValidationError` carrying every collected issue. */
export function failOnIssues(
  issues: readonly ErrorDetail[],
  what: string,
): void {
  if (issues.length === 0) return;
  const summary = issues
    .map((i) => (i.path === '' ? i.message : `${i.path} ${i.message}`))
    .join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, [...issues]);
}

function checkField(value: unknown, rule: FieldRule): string | undefined {
  if (rule.kind === 'number') {
    return checkNumber(value, rule.min, rule.max, rule.integer === true);
  }
  if (rule.kind === 'enum') {
    return typeof value === 'string' && rule.values.includes(value)
      ? undefined
      : `must be one of ${rule.values.join(', ')}`;
  }
  const [accepts, message] = SIMPLE_CHECKS[rule.kind];
  return accepts(value) ? undefined : message;
}

/** Checks that need no parameters: a predicate and its failure message. */
const SIMPLE_CHECKS: Readonly<
  Record<
    Exclude<FieldRule['kind'], 'number' | 'enum'>,
    readonly [(value: unknown) => boolean, string]
  >
> = {
  boolean: [(v) => typeof v === 'boolean', 'must be a boolean'],
  string: [isNonEmptyString, 'must be a non-empty string'],
  stringList: [
    (v) => Array.isArray(v) && v.every(isNonEmptyString),
    'must be a list of non-empty strings',
  ],
  isoDateOrNull: [
    (v) =>
      v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v))),
    'must be an ISO-8601 date or null',
  ],
  stringOrNull: [
    (v) => v === null || isNonEmptyString(v),
    'must be a non-empty string or null',
  ],
};

/**
 * Checks a number against an inclusive range. Exported for callers that
 * validate single values (counts, coverage) outside a document.
 */
export function checkNumber(
  value: unknown,
  min: number,
  max: number,
  integer = false,
): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return 'must be a finite number';
  }
  if (integer && !Number.isInteger(value)) return 'must be an integer';
  if (value < min || value > max) {
    return max === Number.MAX_SAFE_INTEGER
      ? `must be at least ${min}`
      : `must be between ${min} and ${max}`;
  }
  return undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function normalise(value: unknown, rule: FieldRule): unknown {
  // Lists are copied and de-duplicated so callers never share arrays.
  return rule.kind === 'stringList' && Array.isArray(value)
    ? [...new Set(value)]
    : value;
}
