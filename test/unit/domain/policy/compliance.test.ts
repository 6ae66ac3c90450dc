import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import {
  type ComplianceStats,
  type ComplianceThresholds,
  complianceReport,
  DEFAULT_COMPLIANCE_THRESHOLDS,
  resolveComplianceThresholds,
} from '../../../../shared/domain/policy/index.js';

function stats(overrides: Partial<ComplianceStats> = {}): ComplianceStats {
  return {
    simulations: 10,
    mergeable: 9,
    conflicts: 1,
    retriesTotal: 5,
    queueTracked: 20,
    ...overrides,
  };
}

describe('complianceReport', () => {
  it('passes all four checks within the default thresholds', () => {
    // Act
    const report = complianceReport(stats());

    // Assess
    expect(report.passed).toBe(true);
    expect(report.alerts).toEqual([]);
    expect(report.checks).toEqual([
      {
        name: 'mergeable_rate',
        value: 0.9,
        threshold: 0.8,
        op: '>=',
        passed: true,
      },
      {
        name: 'conflict_rate',
        value: 0.1,
        threshold: 0.2,
        op: '<=',
        passed: true,
      },
      {
        name: 'retries_total',
        value: 5,
        threshold: 200,
        op: '<=',
        passed: true,
      },
      {
        name: 'queue_tracked',
        value: 20,
        threshold: 1000,
        op: '<=',
        passed: true,
      },
    ]);
  });

  it('reports mergeable rate 1.0 and conflict rate 0 with no simulations', () => {
    // Act
    const report = complianceReport(
      stats({ simulations: 0, mergeable: 0, conflicts: 0 }),
    );

    // Assess
    expect(report.mergeable_rate).toBe(1);
    expect(report.conflict_rate).toBe(0);
    expect(report.passed).toBe(true);
  });

  it('raises an alert per failed check', () => {
    // Act
    const report = complianceReport(
      stats({
        mergeable: 5,
        conflicts: 5,
        retriesTotal: 201,
        queueTracked: 1000,
      }),
    );

    // Assess
    expect(report.passed).toBe(false);
    expect(report.alerts.map((a) => a.alert)).toEqual([
      'SLO breach: mergeable_rate',
      'SLO breach: conflict_rate',
      'SLO breach: retries_total',
    ]);
    expect(report.alerts[0]).toMatchObject({
      value: 0.5,
      threshold: 0.8,
      passed: false,
    });
  });

  it('rounds rates to 3 decimals before comparing, as the original', () => {
    // Act: 0.7996 rounds to 0.8, which meets the 0.80 minimum
    const report = complianceReport(
      stats({ simulations: 10_000, mergeable: 7996, conflicts: 2004 }),
    );

    // Assess
    expect(report.mergeable_rate).toBe(0.8);
    expect(report.checks[0]?.passed).toBe(true);
  });

  it('applies tenant thresholds', () => {
    // Prepare
    const strict = resolveComplianceThresholds({ min_mergeable_rate: 0.95 });

    // Act
    const report = complianceReport(stats(), strict);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.alerts.map((a) => a.name)).toEqual(['mergeable_rate']);
  });

  it.each([
    [{ simulations: -1 }],
    [{ mergeable: 11 }],
    [{ conflicts: 11 }],
    [{ retriesTotal: 1.5 }],
    [{ queueTracked: Number.NaN }],
  ])('rejects impossible counts %j', (overrides) => {
    // Act
    const run = () => complianceReport(stats(overrides));

    // Assess
    expect(run).toThrow(ValidationError);
  });
});

describe('resolveComplianceThresholds', () => {
  it('returns the defaults without a tenant row', () => {
    // Act
    const thresholds = resolveComplianceThresholds(null);

    // Assess
    expect(thresholds).toEqual({
      min_mergeable_rate: 0.8,
      max_conflict_rate: 0.2,
      max_retries_total: 200,
      max_queue_tracked: 1000,
    });
  });

  it('merges a tenant row over the defaults', () => {
    // Act
    const thresholds = resolveComplianceThresholds({ max_retries_total: 50 });

    // Assess
    expect(thresholds).toEqual({
      ...DEFAULT_COMPLIANCE_THRESHOLDS,
      max_retries_total: 50,
    });
  });

  it.each([
    ['min_mergeable_rate', { min_mergeable_rate: 1.1 }],
    ['max_conflict_rate', { max_conflict_rate: -0.1 }],
    ['max_retries_total', { max_retries_total: 2.5 }],
    ['max_queue_tracked', { max_queue_tracked: -1 }],
    ['mergeable_rate', { mergeable_rate: 0.9 }],
  ])('rejects a bad %s', (path, tenant) => {
    // Act
    const run = () =>
      resolveComplianceThresholds(tenant as Partial<ComplianceThresholds>);

    // Assess
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(path);
  });
});
