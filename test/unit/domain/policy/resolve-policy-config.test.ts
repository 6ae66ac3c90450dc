import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import {
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PROFILES,
  type PolicyConfigOverride,
  parsePolicyConfigOverride,
  profileFor,
  resolvePolicyConfig,
} from '../../../../shared/domain/policy/index.js';

function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('resolvePolicyConfig', () => {
  it('returns the defaults when there is no override', () => {
    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG);

    // Assess
    expect(config).toEqual(DEFAULT_POLICY_CONFIG);
    expect(config.queue).toEqual({ max_retries: 3, default_target: 'main' });
    expect(config.risk).toEqual({
      max_risk_score: 65,
      max_damage_score: 60,
      max_propagation_score: 55,
      mode: 'shadow',
      enforce_ratio: 1,
    });
    expect(config.security).toEqual({ max_critical: 0, max_high: 2 });
  });

  it('merges a partial config (queue only) and keeps default profiles and risk', () => {
    // Prepare
    const partial: PolicyConfigOverride = { queue: { max_retries: 7 } };

    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, partial);

    // Assess
    expect(config.queue).toEqual({ max_retries: 7, default_target: 'main' });
    expect(config.profiles).toEqual(DEFAULT_PROFILES);
    expect(config.risk.max_risk_score).toBe(65);
  });

  it('overrides one level and leaves the other levels untouched', () => {
    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
      profiles: {
        low: {
          entropy_budget: 99,
          containment_min: 0.1,
          blast_limit: 100,
          checks: [],
        },
      },
      risk: { max_risk_score: 90 },
    });

    // Assess
    expect(config.profiles.low).toEqual({
      entropy_budget: 99,
      containment_min: 0.1,
      blast_limit: 100,
      blast_gate: false,
      checks: [],
    });
    expect(config.profiles.medium).toEqual(DEFAULT_PROFILES.medium);
    expect(config.risk.max_risk_score).toBe(90);
    expect(config.risk.max_damage_score).toBe(60);
  });

  it('keeps the base fields of a level given only in part', () => {
    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
      profiles: { high: { entropy_budget: 15 } },
    });

    // Assess
    expect(config.profiles.high).toEqual({
      ...DEFAULT_PROFILES.high,
      entropy_budget: 15,
    });
  });

  it('applies overrides in order, so a tenant override wins over the file', () => {
    // Prepare
    const file: PolicyConfigOverride = {
      risk: { mode: 'enforce', enforce_ratio: 0.5 },
    };
    const tenant: PolicyConfigOverride = { risk: { enforce_ratio: 0.1 } };

    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, file, tenant);

    // Assess
    expect(config.risk.mode).toBe('enforce');
    expect(config.risk.enforce_ratio).toBe(0.1);
  });

  it('does not mutate the base config', () => {
    // Prepare
    const before = structuredClone(DEFAULT_POLICY_CONFIG);

    // Act
    resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
      profiles: { low: { checks: ['lint', 'lint', 'e2e'] } },
    });

    // Assess
    expect(DEFAULT_POLICY_CONFIG).toEqual(before);
  });

  it('de-duplicates check lists', () => {
    // Act
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
      profiles: { low: { checks: ['lint', 'lint', 'e2e'] } },
    });

    // Assess
    expect(config.profiles.low.checks).toEqual(['lint', 'e2e']);
  });

  it.each([
    [
      'profiles.medium.containment_min',
      { profiles: { medium: { containment_min: 1.5 } } },
    ],
    [
      'profiles.low.entropy_budget',
      { profiles: { low: { entropy_budget: -1 } } },
    ],
    ['profiles.high.blast_limit', { profiles: { high: { blast_limit: 101 } } }],
    ['risk.enforce_ratio', { risk: { enforce_ratio: 2 } }],
    ['risk.max_risk_score', { risk: { max_risk_score: -5 } }],
    ['risk.mode', { risk: { mode: 'strict' } }],
    ['queue.max_retries', { queue: { max_retries: 0 } }],
    ['queue.max_retries', { queue: { max_retries: 2.5 } }],
    ['queue.default_target', { queue: { default_target: '' } }],
    ['security.max_high', { security: { max_high: -1 } }],
    ['profiles.low.checks', { profiles: { low: { checks: 'lint' } } }],
    ['profiles.low.blast_gate', { profiles: { low: { blast_gate: 'yes' } } }],
  ])('rejects an out-of-range or mistyped %s', (path, override) => {
    // Act
    const error = validationErrorOf(() =>
      resolvePolicyConfig(
        DEFAULT_POLICY_CONFIG,
        override as unknown as PolicyConfigOverride,
      ),
    );

    // Assess
    expect(error.details?.map((d) => d.path)).toEqual([path]);
  });

  it('rejects a non-finite number', () => {
    // Act
    const error = validationErrorOf(() =>
      resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
        risk: { max_damage_score: Number.NaN },
      }),
    );

    // Assess
    expect(error.details?.[0]?.message).toBe('must be a finite number');
  });

  it('rejects an invalid base config', () => {
    // Prepare
    const base = {
      ...DEFAULT_POLICY_CONFIG,
      risk: { ...DEFAULT_POLICY_CONFIG.risk, enforce_ratio: 3 },
    };

    // Act
    const error = validationErrorOf(() => resolvePolicyConfig(base));

    // Assess
    expect(error.message).toContain('base policy configuration');
  });
});

describe('parsePolicyConfigOverride', () => {
  it('accepts a full policy document', () => {
    // Act
    const parsed = parsePolicyConfigOverride(
      structuredClone(DEFAULT_POLICY_CONFIG),
    );

    // Assess
    expect(parsed).toEqual(DEFAULT_POLICY_CONFIG);
  });

  it('collects every problem, with paths, in one error', () => {
    // Prepare
    const input = {
      profiles: { meduim: {}, low: { entropy_budjet: 3 } },
      queue: [],
      extra: true,
    };

    // Act
    const error = validationErrorOf(() =>
      parsePolicyConfigOverride(input, 'policy.json'),
    );

    // Assess
    expect(error.message).toContain('Invalid policy.json');
    expect(error.details?.map((d) => d.path).sort()).toEqual([
      'extra',
      'profiles.low.entropy_budjet',
      'profiles.meduim',
      'queue',
    ]);
  });

  it.each([null, [], 'policy', 42])('rejects %j as a document', (input) => {
    // Act
    const run = () => parsePolicyConfigOverride(input);

    // Assess
    expect(run).toThrow(ValidationError);
  });
});

describe('profileFor', () => {
  it('maps each level to its own profile, low lenient to critical strict', () => {
    // Act
    const budgets = (['low', 'medium', 'high', 'critical'] as const).map(
      (level) => profileFor(DEFAULT_POLICY_CONFIG, level).entropy_budget,
    );

    // Assess
    expect(budgets).toEqual([25, 18, 12, 6]);
    expect(profileFor(DEFAULT_POLICY_CONFIG, 'high').checks).toEqual([
      'lint',
      'unit_tests',
    ]);
  });

  it('falls back to medium for an unknown level', () => {
    // Act
    const profile = profileFor(DEFAULT_POLICY_CONFIG, 'nonexistent_level');

    // Assess
    expect(profile.level).toBe('medium');
    expect({ ...profile, level: undefined }).toEqual({
      ...DEFAULT_PROFILES.medium,
      level: undefined,
    });
  });

  it('adds the intent checks_required to the profile checks, once each', () => {
    // Act
    const profile = profileFor(DEFAULT_POLICY_CONFIG, 'high', [
      'security_scan',
      'lint',
    ]);

    // Assess
    expect(profile.checks).toEqual(['lint', 'unit_tests', 'security_scan']);
  });
});
