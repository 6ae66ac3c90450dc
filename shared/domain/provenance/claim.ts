/** One claim of a provenance record and how it is compared. */
import { canonicalJson } from '../audit/canonical-json.js';

/** PASS when the record's value is what the evidence shows. */
export type ClaimStatus = 'PASS' | 'FAIL';

/** One checked claim; values rendered as text (JSON for structures). */
export interface ProvenanceClaim {
  name: string;
  status: ClaimStatus;
  /** What the claim asserts, in words. */
  description: string;
  /** What the record says. */
  expected: string;
  /** What the store or git says now. */
  actual: string;
  /** Why they differ; only on FAIL. */
  mismatch?: string;
}

/** Text form of a value: strings as they are, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '(missing)' : canonicalJson(value);
}

/**
 * A claim that passes when `expected` (the record) and `actual` (the
 * evidence) have the same canonical JSON.
 */
export function claim(
  name: string,
  description: string,
  expected: unknown,
  actual: unknown,
  mismatch: string,
): ProvenanceClaim {
  // A field missing from the record never passes, even against a gap.
  const pass =
    expected !== undefined &&
    canonicalJson(expected) === canonicalJson(actual ?? null);
  return {
    name,
    status: pass ? 'PASS' : 'FAIL',
    description,
    expected: show(expected),
    actual: show(actual),
    ...(pass ? {} : { mismatch }),
  };
}
