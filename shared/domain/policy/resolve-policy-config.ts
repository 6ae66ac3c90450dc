import type { ErrorDetail } from '../errors.js';
import { RISK_LEVELS, type RiskLevel } from '../intent.js';
import {
  failOnIssues,
  isPlainObject,
  joinPath,
  readFields,
} from './field-rules.js';
import {
  isRiskLevel,
  type PolicyConfig,
  type PolicyConfigOverride,
  type PolicyProfile,
  PROFILE_RULES,
  QUEUE_RULES,
  RISK_RULES,
  SECURITY_RULES,
} from './policy-config.js';

const SECTIONS = ['profiles', 'queue', 'risk', 'security'] as const;

/**
 * Checks an untrusted policy document (a parsed policy file, a stored tenant
 * override) and returns it typed. Unlike the original, unknown sections,
 * unknown levels and unknown fields are errors, so a typo never silently
 * falls back to a default.
 *
 * @param input - the parsed JSON value.
 * @param what - names the document in the error message.
 * @throws ValidationError listing every problem (wrong type, out of range,
 *   unknown key), each with its path, e.g. `profiles.low.containment_min`.
 * @example parsePolicyConfigOverride(JSON.parse(text), 'policy.json')
 */
export function parsePolicyConfigOverride(
  input: unknown,
  what = 'policy configuration',
): PolicyConfigOverride {
  const issues: ErrorDetail[] = [];
  if (!isPlainObject(input)) {
    failOnIssues([{ path: '', message: 'must be an object' }], what);
    return {};
  }
  for (const key of Object.keys(input)) {
    if (!(SECTIONS as readonly string[]).includes(key)) {
      issues.push({ path: key, message: 'is not a known section' });
    }
  }
  const override: PolicyConfigOverride = {
    ...optional('profiles', readProfiles(input.profiles, issues)),
    ...optional('queue', readFields(input.queue, QUEUE_RULES, 'queue', issues)),
    ...optional('risk', readFields(input.risk, RISK_RULES, 'risk', issues)),
    ...optional(
      'security',
      readFields(input.security, SECURITY_RULES, 'security', issues),
    ),
  };
  failOnIssues(issues, what);
  return override;
}

/**
 * Applies overrides, in order, over a base config: the original's shallow
 * merge of the `profiles`, `queue`, `risk` and `security` sections. Per-tenant
 * policy is one more override after the file's:
 * `resolvePolicyConfig(DEFAULT_POLICY_CONFIG, fileOverride, tenantOverride)`.
 *
 * Difference from the original, on purpose: a level given in part (only
 * `entropy_budget`, say) keeps the base's other fields for that level. The
 * original replaced the whole level and then fell back to the gate's own
 * defaults for the missing fields, which could drop required checks.
 *
 * @throws ValidationError when the base or an override has an out-of-range
 *   value, a wrong type or an unknown key.
 * @example resolvePolicyConfig(DEFAULT_POLICY_CONFIG, { queue: { max_retries: 5 } })
 */
export function resolvePolicyConfig(
  base: PolicyConfig,
  ...overrides: readonly PolicyConfigOverride[]
): PolicyConfig {
  parsePolicyConfigOverride(base, 'base policy configuration');
  return overrides.reduce<PolicyConfig>((config, override, index) => {
    const checked = parsePolicyConfigOverride(
      override,
      `policy override #${index + 1}`,
    );
    return mergeConfig(config, checked);
  }, base);
}

function mergeConfig(
  config: PolicyConfig,
  override: PolicyConfigOverride,
): PolicyConfig {
  const profiles = Object.fromEntries(
    RISK_LEVELS.map((level) => [
      level,
      { ...config.profiles[level], ...override.profiles?.[level] },
    ]),
  ) as Record<RiskLevel, PolicyProfile>;
  return {
    profiles,
    queue: { ...config.queue, ...override.queue },
    risk: { ...config.risk, ...override.risk },
    security: { ...config.security, ...override.security },
  };
}

function readProfiles(
  input: unknown,
  issues: ErrorDetail[],
): Partial<Record<RiskLevel, Partial<PolicyProfile>>> | undefined {
  if (input === undefined) return undefined;
  if (!isPlainObject(input)) {
    issues.push({ path: 'profiles', message: 'must be an object' });
    return undefined;
  }
  const profiles: Partial<Record<RiskLevel, Partial<PolicyProfile>>> = {};
  for (const [level, value] of Object.entries(input)) {
    const path = joinPath('profiles', level);
    if (!isRiskLevel(level)) {
      issues.push({
        path,
        message: `is not a risk level (${RISK_LEVELS.join(', ')})`,
      });
      continue;
    }
    profiles[level] = readFields(value, PROFILE_RULES, path, issues);
  }
  return profiles;
}

function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): Partial<Record<K, V>> {
  if (value === undefined) return {};
  if (isPlainObject(value) && Object.keys(value).length === 0) return {};
  return { [key]: value } as Record<K, V>;
}
