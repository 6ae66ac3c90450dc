import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  evaluatePolicy,
  evaluateRiskGate,
} from '../../shared/domain/policy/index.js';
import {
  evaluateRisk,
  toSnakeCasePayload,
} from '../../shared/domain/risk/index.js';
import { type Command, need } from './cli-context.js';

const Strings = z.array(z.string()).default([]);

/** A risk case as a JSON file: the reference's vocabulary, camel or snake. */
const RiskCase = z.looseObject({
  id: z.string().default('test-001'),
  source: z.string().default('feature/x'),
  target: z.string().default('main'),
  risk_level: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  files: Strings,
  conflicts: Strings,
  dependencies: Strings,
  scopes: Strings,
  co_change: z
    .array(z.object({ a: z.string(), b: z.string(), count: z.number() }))
    .default([]),
});

/**
 * `risk eval --file case.json`: the pure risk model and policy verdict for a
 * described change (no store, no git): signals, scores, bombs, graph.
 */
const evalFile: Command = async ({ deps, flags }) => {
  const raw: unknown = JSON.parse(await readFile(need(flags, 'file'), 'utf8'));
  const c = RiskCase.parse(raw);
  const risk = evaluateRisk({
    intentId: c.id,
    source: c.source,
    target: c.target,
    riskLevel: c.risk_level,
    dependencies: c.dependencies,
    scopeHints: c.scopes,
    filesChanged: c.files,
    conflicts: c.conflicts,
    coChange: c.co_change,
    mergeable: c.conflicts.length === 0,
  });
  const policy = evaluatePolicy({
    config: deps.policy,
    riskLevel: c.risk_level,
    checksPassed: [],
    skipChecks: true,
    entropyScore: risk.entropyScore,
    containmentScore: risk.containmentScore,
    propagationScore: risk.propagationScore,
  });
  const gate = evaluateRiskGate({
    intentId: c.id,
    riskScore: risk.riskScore,
    damageScore: risk.damageScore,
    propagationScore: risk.propagationScore,
    policy: { ...deps.policy.risk, mode: 'enforce' },
  });
  return {
    ...toSnakeCasePayload(risk),
    policy: { verdict: policy.verdict, gates: policy.gates },
    risk_gate: gate,
  };
};

/** `risk eval`. */
export const riskCommands: Record<string, Command> = {
  'risk eval': evalFile,
};
