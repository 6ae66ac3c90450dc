import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatFixed,
  roundHalfEven,
} from '../../../../shared/domain/risk/rounding.js';

/** Expected values printed by CPython's `round(x, d)` and `format(x, '.df')`. */
const PYTHON_ROUND: readonly [number, number, number, string][] = [
  [0.125, 2, 0.12, '0.12'],
  [0.375, 2, 0.38, '0.38'],
  [2.5, 0, 2, '2'],
  [3.5, 0, 4, '4'],
  [0.5, 0, 0, '0'],
  [1.5, 0, 2, '2'],
  [-2.5, 0, -2, '-2'],
  [0.25, 1, 0.2, '0.2'],
  [-0.25, 1, -0.2, '-0.2'],
  [0.35, 1, 0.3, '0.3'],
  [0.45, 1, 0.5, '0.5'],
  [0.15, 1, 0.1, '0.1'],
  [1.05, 1, 1.1, '1.1'],
  [2.675, 2, 2.67, '2.67'],
  [23.65, 1, 23.6, '23.6'],
  [64.44999999999999, 1, 64.4, '64.4'],
  [88.5, 0, 88, '88'],
  [89.5, 0, 90, '90'],
  [123456.785, 2, 123456.79, '123456.79'],
  [1e22, 1, 1e22, '10000000000000000000000.0'],
  [5e-324, 1, 0, '0.0'],
];

/**
 * Independent reference: round the exact decimal expansion that
 * `toFixed(100)` prints, half to even, with string arithmetic.
 */
function referenceRound(x: number, digits: number): string {
  const exact = Math.abs(x).toFixed(100);
  const [whole = '0', fraction = ''] = exact.split('.');
  const kept = `${whole}${fraction.slice(0, digits)}`;
  const rest = fraction.slice(digits);
  const firstDropped = rest.charCodeAt(0) - 48;
  const beyondHalf = /[1-9]/.test(rest.slice(1));
  const lastKept = kept.charCodeAt(kept.length - 1) - 48;
  const up =
    firstDropped > 5 ||
    (firstDropped === 5 && (beyondHalf || lastKept % 2 === 1));
  const scaled = BigInt(kept) + (up ? 1n : 0n);
  const text = scaled.toString().padStart(digits + 1, '0');
  const cut = text.length - digits;
  const body = digits === 0 ? text : `${text.slice(0, cut)}.${text.slice(cut)}`;
  return `${x < 0 || Object.is(x, -0) ? '-' : ''}${body}`;
}

describe('roundHalfEven', () => {
  it.each(PYTHON_ROUND)(
    'rounds %s to %s decimals like Python round()',
    (x, digits, expected) => {
      // Act
      const rounded = roundHalfEven(x, digits);

      // Assess
      expect(rounded).toBe(expected);
    },
  );

  it('keeps the sign of a negative value rounded to zero', () => {
    // Act
    const rounded = roundHalfEven(-0.04, 1);

    // Assess
    expect(Object.is(rounded, -0)).toBe(true);
  });

  it('returns non-finite values unchanged', () => {
    // Assess
    expect(roundHalfEven(Number.POSITIVE_INFINITY, 1)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(roundHalfEven(Number.NaN, 1)).toBeNaN();
  });

  it('rejects a negative or fractional digit count', () => {
    // Assess
    expect(() => roundHalfEven(1.25, -1)).toThrow(RangeError);
    expect(() => roundHalfEven(1.25, 0.5)).toThrow(RangeError);
  });

  it('differs from Math.round-style rounding only on exact binary ties', () => {
    // Assess: 0.125 is an exact tie, 0.135 is not (its double is above it)
    expect(roundHalfEven(0.125, 2)).toBe(0.12);
    expect(Number((0.125).toFixed(2))).toBe(0.13);
    expect(roundHalfEven(0.135, 2)).toBe(Number((0.135).toFixed(2)));
  });

  it('agrees with exact decimal half-even rounding for any double', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (x, digits) => {
          const expected = Number(referenceRound(x, digits));
          expect(roundHalfEven(x, digits)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees on exact ties k/2^n, where half-even matters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        (k, n, digits) => {
          const x = k / 2 ** n;
          expect(roundHalfEven(x, digits)).toBe(
            Number(referenceRound(x, digits)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees next to decimal ties, where the double is just off the tie', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: -3, max: 3 }),
        (k, digits, ulps) => {
          const tie = (k + 0.5) / 10 ** digits;
          const x = tie + ulps * Number.EPSILON * Math.abs(tie);
          expect(roundHalfEven(x, digits)).toBe(
            Number(referenceRound(x, digits)),
          );
          expect(formatFixed(x, digits)).toBe(referenceRound(x, digits));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 4 }),
        (x, digits) => {
          const once = roundHalfEven(x, digits);
          expect(roundHalfEven(once, digits)).toBe(once);
        },
      ),
    );
  });
});

describe('formatFixed', () => {
  it.each(PYTHON_ROUND)(
    'formats %s with %s decimals like Python format()',
    (x, digits, _rounded, expected) => {
      // Act
      const text = formatFixed(x, digits);

      // Assess
      expect(text).toBe(expected);
    },
  );

  it('formats a negative value that rounds to zero with its sign', () => {
    // Assess
    expect(formatFixed(-0.4, 0)).toBe('-0');
    expect(formatFixed(-0.04, 1)).toBe('-0.0');
  });

  it('formats non-finite values the way Python does', () => {
    // Assess
    expect(formatFixed(Number.NaN, 0)).toBe('nan');
    expect(formatFixed(Number.NEGATIVE_INFINITY, 2)).toBe('-inf');
  });

  it('matches the exact-decimal reference', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (x, digits) => {
          expect(formatFixed(x, digits)).toBe(referenceRound(x, digits));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
