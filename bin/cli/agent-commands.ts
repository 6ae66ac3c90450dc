import {
  BLAST_SEVERITIES,
  type BlastSeverity,
} from '../../shared/domain/policy/index.js';
import {
  authorizeAgentAction,
  listAgentPolicies,
  setAgentPolicy,
} from '../../shared/domain/projections/index.js';
import {
  type Command,
  compact,
  type Flags,
  need,
  opt,
  optBool,
  optInt,
  optList,
  optNum,
} from './cli-context.js';

function severity(flags: Flags): BlastSeverity | undefined {
  const value = opt(flags, 'max-blast-severity');
  if (value === undefined) return undefined;
  const found = BLAST_SEVERITIES.find((s) => s === value);
  if (!found) {
    throw new Error(`--max-blast-severity must be one of ${BLAST_SEVERITIES}`);
  }
  return found;
}

/**
 * `agent policy-set --agent-id [--tenant-id --atl --max-risk-score
 * --max-blast-severity --min-test-coverage --allow-actions a,b
 * --require-human-approval true|false --require-compliance-pass true|false
 * --require-dual-approval-on-critical true|false --expires-at]`: fields
 * over the defaults (ranges checked by the domain).
 */
const policySet: Command = async ({ deps, actor, flags }) => {
  const policy = {
    agent_id: need(flags, 'agent-id'),
    tenant_id: opt(flags, 'tenant-id') ?? null,
    ...compact({
      atl: optInt(flags, 'atl'),
      max_risk_score: optNum(flags, 'max-risk-score'),
      max_blast_severity: severity(flags),
      min_test_coverage: optNum(flags, 'min-test-coverage'),
      require_compliance_pass: optBool(flags, 'require-compliance-pass'),
      require_human_approval: optBool(flags, 'require-human-approval'),
      require_dual_approval_on_critical: optBool(
        flags,
        'require-dual-approval-on-critical',
      ),
      allow_actions: optList(flags, 'allow-actions'),
      expires_at: opt(flags, 'expires-at'),
    }),
  };
  return setAgentPolicy(deps, { policy, actor: actor.actor });
};

/** `agent policy-get --agent-id [--tenant-id]`: the effective policy. */
const policyGet: Command = async ({ deps, flags }) => {
  const agentId = need(flags, 'agent-id');
  const [policy] = await listAgentPolicies(deps, {
    tenantId: opt(flags, 'tenant-id') ?? null,
    agentId,
  });
  if (!policy) throw new Error(`No policy for agent ${agentId}`);
  return policy;
};

/** `agent policy-list [--tenant-id]`. */
const policyList: Command = async ({ deps, flags }) =>
  listAgentPolicies(deps, { tenantId: opt(flags, 'tenant-id') ?? null });

/**
 * `agent authorize --agent-id --action --intent-id [--tenant-id
 * --human-approvals N --test-coverage X]`: appends `agent.authorized`.
 */
const authorize: Command = async ({ deps, actor, flags }) => {
  const intentId = need(flags, 'intent-id');
  if (!(await deps.store.intents.get(intentId))) {
    throw new Error(`Intent ${intentId} not found`);
  }
  return authorizeAgentAction(deps, {
    agentId: need(flags, 'agent-id'),
    action: need(flags, 'action'),
    intentId,
    tenantId: opt(flags, 'tenant-id') ?? null,
    actor: actor.actor,
    ...compact({
      humanApprovals: optInt(flags, 'human-approvals'),
      testCoverage: optNum(flags, 'test-coverage'),
    }),
  });
};

/** `agent policy-set|policy-get|policy-list|authorize`. */
export const agentCommands: Record<string, Command> = {
  'agent policy-set': policySet,
  'agent policy-get': policyGet,
  'agent policy-list': policyList,
  'agent authorize': authorize,
};
