import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  riskGateStep,
  tenantPolicy,
} from '../../shared/domain/engine/risk-step.js';
import { getIntent } from '../../shared/domain/intents/intent-service.js';
import {
  evaluatePolicy,
  RISK_GATE_MODES,
  type RiskGateMode,
} from '../../shared/domain/policy/index.js';
import {
  effectiveRiskPolicy,
  intentTenant,
  latestEvent,
  listRiskPolicies,
  readEvents,
  riskGateReport,
  riskReview,
  riskShadow,
  runCalibration,
  setRiskPolicy,
} from '../../shared/domain/projections/index.js';
import {
  isMergeable,
  stringList,
} from '../../shared/domain/projections/payload-fields.js';
import {
  evaluateRisk,
  toSnakeCasePayload,
} from '../../shared/domain/risk/index.js';
import { presentEvent, presentIntent } from '../../shared/http/presenters.js';
import {
  type CliContext,
  type Command,
  compact,
  type Flags,
  need,
  opt,
  optNum,
} from './cli-context.js';

/** `--tenant-id`, else the intent's own tenant (and "Intent X not found"). */
async function tenantOf(ctx: CliContext, intentId: string) {
  const tenant = await intentTenant(ctx.deps, ctx.actor, intentId);
  return opt(ctx.flags, 'tenant-id') ?? tenant;
}

function mode(flags: Flags): RiskGateMode | undefined {
  const value = opt(flags, 'mode');
  if (value === undefined) return undefined;
  const found = RISK_GATE_MODES.find((m) => m === value);
  if (!found) throw new Error(`--mode must be one of ${RISK_GATE_MODES}`);
  return found;
}

/** `risk shadow --intent-id [--tenant-id]`: appends `risk.shadow_evaluated`. */
const shadow: Command = async (ctx) => {
  const intentId = need(ctx.flags, 'intent-id');
  const tenantId = await tenantOf(ctx, intentId);
  return riskShadow(ctx.deps, { intentId, tenantId, actor: ctx.actor.actor });
};

/** `risk review --intent-id [--tenant-id]`: a read. */
const review: Command = async (ctx) => {
  const intentId = need(ctx.flags, 'intent-id');
  const result = await riskReview(
    ctx.deps,
    intentId,
    await tenantOf(ctx, intentId),
  );
  return {
    ...result,
    intent: presentIntent(result.intent),
    history: result.history.map(presentEvent),
  };
};

/** `risk policy-set --tenant-id [--max-*-score --mode --enforce-ratio]`. */
const policySet: Command = async ({ deps, actor, flags }) =>
  setRiskPolicy(deps, {
    tenantId: need(flags, 'tenant-id'),
    changes: compact({
      max_risk_score: optNum(flags, 'max-risk-score'),
      max_damage_score: optNum(flags, 'max-damage-score'),
      max_propagation_score: optNum(flags, 'max-propagation-score'),
      mode: mode(flags),
      enforce_ratio: optNum(flags, 'enforce-ratio'),
    }),
    actor: actor.actor,
  });

/** `risk policy-get --tenant-id`: the stored row, else the config's policy. */
const policyGet: Command = async ({ deps, flags }) => {
  const tenantId = need(flags, 'tenant-id');
  const [stored] = await listRiskPolicies(deps, tenantId);
  if (stored) return stored;
  const { policy } = await effectiveRiskPolicy(deps, tenantId);
  return { tenant_id: tenantId, ...policy, version: null, source: 'config' };
};

/**
 * `policy eval --intent-id [--skip-checks]`. Unlike the original (which ran
 * a full validation despite documenting "without changing state"), this
 * evaluates risk, the policy gates and the tenant risk gate over the
 * intent's latest `simulation.completed` and the checks of that trace, and
 * appends NOTHING: no events, no status change. Run `validate` first.
 */
const policyEval: Command = async ({ deps, actor, flags }) => {
  const intent = await getIntent(deps, actor, need(flags, 'intent-id'));
  const sim = await latestEvent(deps.store, {
    type: 'simulation.completed',
    intentId: intent.id,
  });
  if (sim === null) {
    throw new Error(
      `No simulation for intent ${intent.id}: run validate first`,
    );
  }
  const coChange = deps.coupling ? await deps.coupling().catch(() => []) : [];
  const risk = evaluateRisk({
    intentId: intent.id,
    source: intent.source,
    target: intent.target,
    riskLevel: intent.riskLevel,
    dependencies: intent.dependencies,
    scopeHints: stringList(intent.technical, 'scope_hint'),
    filesChanged: stringList(sim.payload, 'files_changed'),
    conflicts: stringList(sim.payload, 'conflicts'),
    coChange,
    mergeable: isMergeable(sim.payload),
  });
  const checks = await readEvents(deps.store, {
    type: 'check.completed',
    intentId: intent.id,
  });
  const tenant = await tenantPolicy(deps, intent.tenantId);
  const policy = evaluatePolicy({
    config: tenant.config,
    riskLevel: intent.riskLevel,
    checksPassed: checks
      .filter((e) => e.traceId === sim.traceId && e.payload.passed === true)
      .map((e) => String(e.payload.check_type)),
    checksRequired: intent.checksRequired,
    skipChecks: flags['skip-checks'] === true,
    entropyScore: risk.entropyScore,
    containmentScore: risk.containmentScore,
    propagationScore: risk.propagationScore,
  });
  return {
    mode: 'read-only: computed from the latest simulation, nothing appended',
    intent_id: intent.id,
    simulation_trace_id: sim.traceId,
    verdict: policy.verdict,
    gates: policy.gates,
    profile_used: policy.profileUsed,
    risk_gate: riskGateStep(intent, risk, tenant.risk),
    risk: toSnakeCasePayload(risk),
  };
};

/**
 * `policy calibrate [--tenant-id] [--apply] [--output FILE]`: appends
 * `calibration.completed`; `--apply` (needs a tenant) stores the budgets.
 */
const calibrate: Command = async ({ deps, actor, flags }) => {
  const outcome = await runCalibration(deps, {
    tenantId: opt(flags, 'tenant-id') ?? null,
    apply: flags.apply === true,
    actor: actor.actor,
  });
  const output = opt(flags, 'output');
  if (output === undefined) return outcome;
  await writeFile(output, `${JSON.stringify(outcome, null, 2)}\n`);
  return { ...outcome, output: resolve(output) };
};

/** `risk shadow|review|gate|policy-set|policy-get`, `policy eval|calibrate`. */
export const policyCommands: Record<string, Command> = {
  'risk shadow': shadow,
  'risk review': review,
  'risk gate': async ({ deps, flags }) =>
    riskGateReport(deps, opt(flags, 'tenant-id') ?? null),
  'risk policy-set': policySet,
  'risk policy-get': policyGet,
  'policy eval': policyEval,
  'policy calibrate': calibrate,
};
