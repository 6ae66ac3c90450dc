import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import {
  type AgentAuthorizationInput,
  type AgentPolicyInput,
  authorizeAgent,
  blastSeverityFor,
  buildAgentPolicy,
  defaultAgentPolicy,
} from '../../../../shared/domain/policy/index.js';

const NOW = '2025-06-01T12:00:00.000Z';

/** The original's fixture: a medium intent with risk 30 / damage 20. */
function request(
  overrides: Partial<AgentAuthorizationInput> = {},
): AgentAuthorizationInput {
  return {
    agentId: 'bot',
    tenantId: 'team-a',
    action: 'merge',
    intentId: 'agt-001',
    now: NOW,
    intent: { risk_level: 'medium' },
    risk: { risk_score: 30, damage_score: 20 },
    compliancePassed: true,
    ...overrides,
  };
}

function policy(overrides: Omit<AgentPolicyInput, 'agent_id'> = {}) {
  return buildAgentPolicy({
    agent_id: 'bot',
    tenant_id: 'team-a',
    ...overrides,
  });
}

describe('authorizeAgent', () => {
  it('denies "merge" under the default policy, saying it is not in allowed', () => {
    // Act
    const result = authorizeAgent(request({ policy: null }));

    // Assess
    expect(result.allowed).toBe(false);
    expect(result.policy_source).toBe('default');
    expect(result.reasons.some((r) => r.includes('not in allowed'))).toBe(true);
  });

  it('denies everything under the default policy without a human approval', () => {
    // Act
    const result = authorizeAgent(request({ action: 'analyze' }));

    // Assess
    expect(result.allowed).toBe(false);
    expect(result.reasons).toEqual([
      'Human approval required but none provided',
    ]);
  });

  it('allows with atl 2, max risk 50 and no approvals required', () => {
    // Prepare
    const configured = policy({
      atl: 2,
      max_risk_score: 50,
      allow_actions: ['analyze', 'merge'],
      require_human_approval: false,
      require_dual_approval_on_critical: false,
    });

    // Act
    const result = authorizeAgent(
      request({
        policy: configured,
        risk: { risk_score: 20, damage_score: 20 },
      }),
    );

    // Assess
    expect(result).toMatchObject({
      allowed: true,
      reasons: [],
      atl: 2,
      policy_source: 'stored',
      human_approvals: 0,
      blast_severity: 'low',
      timestamp: NOW,
    });
  });

  it('denies a risk score of 80 against a limit of 50', () => {
    // Prepare
    const configured = policy({
      max_risk_score: 50,
      allow_actions: ['merge'],
      require_human_approval: false,
    });

    // Act
    const result = authorizeAgent(
      request({
        policy: configured,
        risk: { risk_score: 80, damage_score: 20 },
      }),
    );

    // Assess
    expect(result.allowed).toBe(false);
    expect(result.reasons.some((r) => r.includes('Risk score'))).toBe(true);
  });

  it('denies with 0 human approvals and allows with 1', () => {
    // Prepare
    const configured = policy({
      allow_actions: ['merge'],
      require_human_approval: true,
    });
    const lowRisk = { risk_score: 10, damage_score: 20 };

    // Act
    const without = authorizeAgent(
      request({ policy: configured, risk: lowRisk, humanApprovals: 0 }),
    );
    const withOne = authorizeAgent(
      request({ policy: configured, risk: lowRisk, humanApprovals: 1 }),
    );

    // Assess
    expect(without.allowed).toBe(false);
    expect(without.reasons).toContain(
      'Human approval required but none provided',
    );
    expect(withOne.allowed).toBe(true);
  });

  it('applies action_overrides: automerge max 30 with risk 45 denies automerge, allows analyze', () => {
    // Prepare
    const configured = policy({
      max_risk_score: 60,
      allow_actions: ['analyze', 'automerge'],
      action_overrides: { automerge: { max_risk_score: 30 } },
      require_human_approval: false,
    });
    const risk = { risk_score: 45, damage_score: 20 };

    // Act
    const analyze = authorizeAgent(
      request({ policy: configured, risk, action: 'analyze' }),
    );
    const automerge = authorizeAgent(
      request({ policy: configured, risk, action: 'automerge' }),
    );

    // Assess
    expect(analyze.allowed).toBe(true);
    expect(analyze.effective_limits.max_risk_score).toBe(60);
    expect(automerge.allowed).toBe(false);
    expect(automerge.effective_limits.max_risk_score).toBe(30);
    expect(automerge.reasons).toContain('Risk score 45 > agent limit 30');
  });

  it('collects every failing reason, in order', () => {
    // Prepare
    const configured = policy({
      expires_at: '2025-01-01T00:00:00Z',
      min_test_coverage: 0.8,
    });

    // Act
    const result = authorizeAgent(
      request({
        policy: configured,
        intent: { risk_level: 'critical' },
        risk: { risk_score: 88.5, damage_score: 89.8 },
        compliancePassed: false,
        testCoverage: 0.5,
      }),
    );

    // Assess
    expect(result.reasons).toEqual([
      'Policy expired at 2025-01-01T00:00:00Z',
      "Action 'merge' not in allowed actions: [analyze]",
      "ATL 0 below 2 required for autonomous 'merge'",
      'Risk score 88.5 > agent limit 30',
      "Blast severity 'critical' exceeds agent limit 'low'",
      'Test coverage 0.5 below agent minimum 0.8',
      'Compliance check not passing',
      'Human approval required but none provided',
      'Critical risk requires 2 approvals, got 0',
    ]);
  });

  it('does not deny an unexpired policy', () => {
    // Prepare
    const configured = policy({
      expires_at: '2026-01-01T00:00:00Z',
      allow_actions: ['analyze'],
      require_human_approval: false,
    });

    // Act
    const result = authorizeAgent(
      request({ policy: configured, action: 'analyze' }),
    );

    // Assess
    expect(result.allowed).toBe(true);
  });

  it('denies an autonomous merge below ATL 2 and waives ATL with a human approval', () => {
    // Prepare
    const atl1 = policy({
      atl: 1,
      allow_actions: ['merge'],
      require_human_approval: false,
    });

    // Act
    const autonomous = authorizeAgent(request({ policy: atl1 }));
    const approved = authorizeAgent(
      request({ policy: atl1, humanApprovals: 1 }),
    );

    // Assess
    expect(autonomous.reasons).toEqual([
      "ATL 1 below 2 required for autonomous 'merge'",
    ]);
    expect(approved.allowed).toBe(true);
  });

  it('honours a min_atl override per action', () => {
    // Prepare
    const configured = policy({
      atl: 2,
      allow_actions: ['automerge', 'validate'],
      action_overrides: { automerge: { min_atl: 3 }, validate: { min_atl: 1 } },
      require_human_approval: false,
    });

    // Act
    const automerge = authorizeAgent(
      request({ policy: configured, action: 'automerge' }),
    );
    const validate = authorizeAgent(
      request({ policy: configured, action: 'validate' }),
    );

    // Assess
    expect(automerge.allowed).toBe(false);
    expect(automerge.effective_limits.min_atl).toBe(3);
    expect(validate.allowed).toBe(true);
  });

  it('enforces min_test_coverage only when a coverage value is supplied', () => {
    // Prepare
    const configured = policy({
      min_test_coverage: 0.8,
      allow_actions: ['analyze'],
      require_human_approval: false,
    });

    // Act
    const unknown = authorizeAgent(
      request({ policy: configured, action: 'analyze' }),
    );
    const low = authorizeAgent(
      request({ policy: configured, action: 'analyze', testCoverage: 0.79 }),
    );
    const enough = authorizeAgent(
      request({ policy: configured, action: 'analyze', testCoverage: 0.8 }),
    );

    // Assess
    expect(unknown.allowed).toBe(true);
    expect(low.reasons).toEqual(['Test coverage 0.79 below agent minimum 0.8']);
    expect(enough.allowed).toBe(true);
  });

  it('checks compliance only when the intent exists, and fails closed when unknown', () => {
    // Prepare
    const configured = policy({
      allow_actions: ['analyze'],
      require_human_approval: false,
    });

    // Act
    const missingIntent = authorizeAgent(
      request({
        policy: configured,
        action: 'analyze',
        intent: null,
        compliancePassed: false,
      }),
    );
    const unknownStatus = authorizeAgent(
      request({
        policy: configured,
        action: 'analyze',
        compliancePassed: undefined,
      }),
    );

    // Assess
    expect(missingIntent.allowed).toBe(true);
    expect(unknownStatus.reasons).toEqual(['Compliance status unknown']);
  });

  it('requires two approvals for a critical intent', () => {
    // Prepare
    const configured = policy({ allow_actions: ['merge'] });
    const critical = { risk_level: 'critical' };
    const risk = { risk_score: 10, damage_score: 10 };

    // Act
    const one = authorizeAgent(
      request({
        policy: configured,
        intent: critical,
        risk,
        humanApprovals: 1,
      }),
    );
    const two = authorizeAgent(
      request({
        policy: configured,
        intent: critical,
        risk,
        humanApprovals: 2,
      }),
    );

    // Assess
    expect(one.reasons).toEqual(['Critical risk requires 2 approvals, got 1']);
    expect(two.allowed).toBe(true);
  });

  it('skips risk and blast checks without a risk evaluation', () => {
    // Prepare
    const configured = policy({
      allow_actions: ['analyze'],
      require_human_approval: false,
    });

    // Act
    const result = authorizeAgent(
      request({ policy: configured, action: 'analyze', risk: null }),
    );

    // Assess
    expect(result.allowed).toBe(true);
    expect(result.blast_severity).toBeNull();
  });

  it.each([
    [{ humanApprovals: -1 }],
    [{ humanApprovals: 1.5 }],
    [{ testCoverage: 1.2 }],
    [{ now: 'yesterday' }],
    [{ policy: defaultAgentPolicy('other-bot') }],
  ])('rejects a malformed request %j', (overrides) => {
    // Act
    const run = () => authorizeAgent(request(overrides));

    // Assess
    expect(run).toThrow(ValidationError);
  });
});

describe('blastSeverityFor', () => {
  it.each([
    [0, 'low'],
    [29.9, 'low'],
    [30, 'medium'],
    [49.9, 'medium'],
    [50, 'high'],
    [74.9, 'high'],
    [75, 'critical'],
    [100, 'critical'],
  ])('maps damage %d to %s', (damage, severity) => {
    // Act
    const result = blastSeverityFor(damage);

    // Assess
    expect(result).toBe(severity);
  });
});

describe('buildAgentPolicy', () => {
  it('applies the original defaults', () => {
    // Act
    const built = buildAgentPolicy({ agent_id: 'bot' });

    // Assess
    expect(built).toEqual({
      agent_id: 'bot',
      tenant_id: null,
      atl: 0,
      max_risk_score: 30,
      max_blast_severity: 'low',
      min_test_coverage: 0,
      require_compliance_pass: true,
      require_human_approval: true,
      require_dual_approval_on_critical: true,
      allow_actions: ['analyze'],
      action_overrides: {},
      expires_at: null,
    });
  });

  it.each([
    ['atl', { atl: 4 }],
    ['atl', { atl: 1.5 }],
    ['atl', { atl: -1 }],
    ['max_risk_score', { max_risk_score: 120 }],
    ['max_blast_severity', { max_blast_severity: 'extreme' }],
    ['min_test_coverage', { min_test_coverage: 80 }],
    ['allow_actions', { allow_actions: ['merge', ''] }],
    ['expires_at', { expires_at: 'next week' }],
    [
      'action_overrides.merge.max_risk_score',
      { action_overrides: { merge: { max_risk_score: -1 } } },
    ],
    [
      'action_overrides.merge.min_atl',
      { action_overrides: { merge: { min_atl: 5 } } },
    ],
    [
      'action_overrides.merge.typo',
      { action_overrides: { merge: { typo: 1 } } },
    ],
  ])('rejects a bad %s', (path, overrides) => {
    // Act
    let details: unknown;
    try {
      buildAgentPolicy({
        agent_id: 'bot',
        ...(overrides as Omit<AgentPolicyInput, 'agent_id'>),
      });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      details = error.details;
    }

    // Assess
    expect(details).toEqual([expect.objectContaining({ path })]);
  });

  it('rejects a missing agent id', () => {
    // Act
    const run = () => buildAgentPolicy({ agent_id: '' });

    // Assess
    expect(run).toThrow(ValidationError);
  });
});
