import type { RiskLevel } from '../intent.js';
import {
  isRiskLevel,
  type PolicyConfig,
  type PolicyProfile,
} from './policy-config.js';

/** A profile picked for an intent, with the level it really came from. */
export interface ResolvedProfile extends PolicyProfile {
  /** The profile's level: `medium` when the requested level is unknown. */
  readonly level: RiskLevel;
}

/**
 * Picks the profile for a risk level. An unknown level falls back to
 * `medium`, as in the original. The intent's own `checks_required` are added
 * to the profile's checks (DECISIONS 12; the original stored them and
 * ignored them), keeping the profile's order first and dropping duplicates.
 *
 * @example profileFor(DEFAULT_POLICY_CONFIG, 'high', ['security_scan']).checks
 * // ['lint', 'unit_tests', 'security_scan']
 */
export function profileFor(
  config: PolicyConfig,
  level: string,
  checksRequired: readonly string[] = [],
): ResolvedProfile {
  const used: RiskLevel = isRiskLevel(level) ? level : 'medium';
  const profile = config.profiles[used];
  return {
    ...profile,
    checks: [...new Set([...profile.checks, ...checksRequired])],
    level: used,
  };
}
