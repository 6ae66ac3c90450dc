import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_CONFIG,
  evaluatePolicy,
  type GateName,
  type PolicyEvaluation,
  type PolicyEvaluationInput,
  resolvePolicyConfig,
} from '../../../../shared/domain/policy/index.js';

function input(
  overrides: Partial<PolicyEvaluationInput> = {},
): PolicyEvaluationInput {
  return {
    config: DEFAULT_POLICY_CONFIG,
    riskLevel: 'medium',
    checksPassed: ['lint'],
    entropyScore: 10,
    containmentScore: 0.7,
    propagationScore: 20,
    ...overrides,
  };
}

function gate(result: PolicyEvaluation, name: GateName) {
  const found = result.gates.find((g) => g.gate === name);
  if (found === undefined) throw new Error(`no ${name} gate`);
  return found;
}

describe('evaluatePolicy', () => {
  it('allows when every gate passes, in the original order', () => {
    // Act
    const result = evaluatePolicy(input());

    // Assess
    expect(result.verdict).toBe('ALLOW');
    expect(result.gates.map((g) => g.gate)).toEqual([
      'verification',
      'containment',
      'entropy',
      'security',
    ]);
    expect(result.gates.every((g) => g.passed)).toBe(true);
    expect(result.profileUsed).toBe('medium');
  });

  it('blocks on the verification gate when a required check is missing', () => {
    // Act
    const result = evaluatePolicy(
      input({
        riskLevel: 'high',
        checksPassed: ['lint'],
        entropyScore: 5,
        containmentScore: 0.8,
      }),
    );

    // Assess
    expect(result.verdict).toBe('BLOCK');
    const verification = gate(result, 'verification');
    expect(verification.passed).toBe(false);
    expect(verification.reason).toBe('Missing checks: unit_tests');
    expect(verification).toMatchObject({ value: 1, threshold: 2 });
    expect(result.missingChecks).toEqual(['unit_tests']);
    expect(result.gates.filter((g) => !g.passed)).toHaveLength(1);
  });

  it('assumes required checks passed with skipChecks', () => {
    // Act
    const result = evaluatePolicy(
      input({
        riskLevel: 'high',
        checksPassed: [],
        skipChecks: true,
        entropyScore: 5,
        containmentScore: 0.8,
      }),
    );

    // Assess
    expect(result.verdict).toBe('ALLOW');
    expect(gate(result, 'verification').reason).toContain('assumed passed');
    expect(result.missingChecks).toEqual([]);
  });

  it('requires the intent checks_required on top of the profile checks', () => {
    // Act
    const result = evaluatePolicy(
      input({ checksPassed: ['lint'], checksRequired: ['contract_tests'] }),
    );

    // Assess
    expect(result.verdict).toBe('BLOCK');
    expect(result.requiredChecks).toEqual(['lint', 'contract_tests']);
    expect(result.missingChecks).toEqual(['contract_tests']);
  });

  it('blocks on the containment gate below containment_min', () => {
    // Act
    const result = evaluatePolicy(input({ containmentScore: 0.2 }));

    // Assess
    expect(result.verdict).toBe('BLOCK');
    const containment = gate(result, 'containment');
    expect(containment).toMatchObject({
      passed: false,
      value: 0.2,
      threshold: 0.5,
    });
    expect(containment.reason).toBe('Containment 0.20 vs min 0.50');
  });

  it('passes containment exactly at the minimum', () => {
    // Act
    const result = evaluatePolicy(input({ containmentScore: 0.5 }));

    // Assess
    expect(gate(result, 'containment').passed).toBe(true);
  });

  it('blocks on the entropy gate over the budget and passes at the budget', () => {
    // Act
    const over = evaluatePolicy(
      input({ entropyScore: 25, containmentScore: 0.6 }),
    );
    const at = evaluatePolicy(input({ entropyScore: 18 }));

    // Assess
    expect(over.verdict).toBe('BLOCK');
    expect(gate(over, 'entropy')).toMatchObject({
      passed: false,
      value: 25,
      threshold: 18,
      reason: 'Entropy 25.0 vs budget 18.0',
    });
    expect(gate(at, 'entropy').passed).toBe(true);
  });

  it('passes the security gate with no findings and blocks over its limits', () => {
    // Prepare
    const critical = [{ severity: 'critical' }];
    const threeHigh = [
      { severity: 'high' },
      { severity: 'HIGH' },
      { severity: 'high' },
    ];
    const twoHigh = [
      { severity: 'high' },
      { severity: 'high' },
      { severity: 'medium' },
    ];

    // Act
    const none = evaluatePolicy(input({ securityFindings: [] }));
    const withCritical = evaluatePolicy(input({ securityFindings: critical }));
    const withThreeHigh = evaluatePolicy(
      input({ securityFindings: threeHigh }),
    );
    const withTwoHigh = evaluatePolicy(input({ securityFindings: twoHigh }));

    // Assess
    expect(gate(none, 'security').passed).toBe(true);
    expect(gate(withCritical, 'security')).toMatchObject({
      passed: false,
      value: 1,
      threshold: 0,
    });
    expect(gate(withThreeHigh, 'security')).toMatchObject({
      passed: false,
      value: 3,
      threshold: 2,
    });
    expect(withThreeHigh.verdict).toBe('BLOCK');
    expect(gate(withTwoHigh, 'security').passed).toBe(true);
  });

  it('is lenient for low risk', () => {
    // Act
    const result = evaluatePolicy(
      input({ riskLevel: 'low', entropyScore: 20, containmentScore: 0.4 }),
    );

    // Assess
    expect(result.verdict).toBe('ALLOW');
  });

  it('is strict for critical risk', () => {
    // Act
    const result = evaluatePolicy(
      input({
        riskLevel: 'critical',
        checksPassed: ['lint', 'unit_tests'],
        entropyScore: 7,
        containmentScore: 0.9,
      }),
    );

    // Assess
    expect(result.verdict).toBe('BLOCK');
    expect(gate(result, 'entropy').passed).toBe(false);
  });

  it('uses the medium profile for an unknown level and says so', () => {
    // Act
    const result = evaluatePolicy(
      input({ riskLevel: 'extreme', entropyScore: 20 }),
    );

    // Assess
    expect(result.profileUsed).toBe('medium');
    expect(result.riskLevel).toBe('extreme');
    expect(gate(result, 'entropy').threshold).toBe(18);
  });

  it('leaves the blast gate out unless the profile opts in', () => {
    // Act
    const result = evaluatePolicy(input({ propagationScore: 99 }));

    // Assess
    expect(result.verdict).toBe('ALLOW');
    expect(result.gates.some((g) => g.gate === 'blast')).toBe(false);
  });

  it('blocks on the opt-in blast gate when propagation exceeds blast_limit', () => {
    // Prepare
    const config = resolvePolicyConfig(DEFAULT_POLICY_CONFIG, {
      profiles: { medium: { blast_gate: true } },
    });

    // Act
    const over = evaluatePolicy(input({ config, propagationScore: 41.8 }));
    const at = evaluatePolicy(input({ config, propagationScore: 35 }));

    // Assess
    expect(over.verdict).toBe('BLOCK');
    expect(over.gates.at(-1)).toEqual({
      gate: 'blast',
      passed: false,
      reason: 'Propagation 41.8 vs blast limit 35.0',
      value: 41.8,
      threshold: 35,
    });
    expect(at.verdict).toBe('ALLOW');
  });

  it('matches the reference case D verdict (entropy 23 > 18) with defaults', () => {
    // Act
    const result = evaluatePolicy(
      input({
        entropyScore: 23,
        containmentScore: 0.62,
        propagationScore: 41.8,
      }),
    );

    // Assess
    expect(result.verdict).toBe('BLOCK');
    expect(result.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual([
      'entropy',
    ]);
  });

  it('matches the reference case F (critical): containment and entropy block', () => {
    // Act
    const result = evaluatePolicy(
      input({
        riskLevel: 'critical',
        checksPassed: ['lint', 'unit_tests'],
        entropyScore: 100,
        containmentScore: 0,
        propagationScore: 100,
      }),
    );

    // Assess
    expect(result.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual([
      'containment',
      'entropy',
    ]);
  });
});
