import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import {
  calibrate,
  DEFAULT_PROFILES,
} from '../../../../shared/domain/policy/index.js';

const ONE_TO_TWENTY = Array.from({ length: 20 }, (_, i) => i + 1);

describe('calibrate', () => {
  it('returns the defaults unchanged with data_points 0 for empty data', () => {
    // Act
    const result = calibrate([]);

    // Assess
    expect(result.data_points).toBe(0);
    expect(result.percentiles).toBeNull();
    expect(result.profiles).toEqual(DEFAULT_PROFILES);
    expect(result.raw).toEqual({ low: 25, medium: 18, high: 12, critical: 6 });
    expect(result.budgets).toEqual(result.raw);
    expect(result.capped).toEqual([]);
  });

  it('computes the original budgets and a monotonic version from data', () => {
    // Act
    const result = calibrate(ONE_TO_TWENTY);

    // Assess
    expect(result.data_points).toBe(20);
    expect(result.percentiles).toEqual({ p75: 16, p90: 19, p95: 20 });
    expect(result.raw).toEqual({ low: 24, medium: 16, high: 19, critical: 16 });
    expect(result.budgets).toEqual({
      low: 24,
      medium: 16,
      high: 16,
      critical: 16,
    });
    expect(result.capped).toEqual(['high']);
    expect(result.profiles.high).toEqual({
      ...DEFAULT_PROFILES.high,
      entropy_budget: 16,
    });
  });

  it('sorts numerically, not as text', () => {
    // Act
    const result = calibrate([100, 9, 80, 10, 2, 3, 4, 5]);

    // Assess: sorted 2,3,4,5,9,10,80,100; int(8*.75)=6 -> 80
    expect(result.percentiles?.p75).toBe(80);
  });

  it('applies the floors to small entropies', () => {
    // Act
    const result = calibrate([0, 0, 0]);

    // Assess
    expect(result.raw).toEqual({ low: 10, medium: 8, high: 5, critical: 3 });
  });

  it('always yields low >= medium >= high >= critical and only tightens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        (entropies) => {
          // Act
          const { raw, budgets } = calibrate(entropies);

          // Assess
          expect(budgets.low).toBeGreaterThanOrEqual(budgets.medium);
          expect(budgets.medium).toBeGreaterThanOrEqual(budgets.high);
          expect(budgets.high).toBeGreaterThanOrEqual(budgets.critical);
          expect(budgets.low).toBe(raw.low);
          for (const level of ['medium', 'high', 'critical'] as const) {
            expect(budgets[level]).toBeLessThanOrEqual(raw[level]);
          }
        },
      ),
    );
  });

  it('does not reorder the caller array', () => {
    // Prepare
    const entropies = [3, 1, 2];

    // Act
    calibrate(entropies);

    // Assess
    expect(entropies).toEqual([3, 1, 2]);
  });

  it('rejects a non-finite entropy', () => {
    // Act
    const run = () => calibrate([1, Number.NaN]);

    // Assess
    expect(run).toThrow(ValidationError);
  });
});
