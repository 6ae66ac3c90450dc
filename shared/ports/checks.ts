/**
 * Checks port (ARCHITECTURE "Ports and adapters": Checks). Locally each check
 * runs now (`make <target>` with a timeout); in the deployed service the
 * results come from check runs and commit statuses on the tested commit.
 */

/** The names the risk profiles use; other names are reported as skipped. */
export type CheckName =
  | 'lint'
  | 'unit_tests'
  | 'integration_tests'
  | 'security_scan'
  | 'contract_tests';

/** How one check ended; `skipped` means it was not run (unknown check). */
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** The result of one requested check. */
export interface CheckResult {
  /** The check name as requested. */
  check: string;
  status: CheckStatus;
  /** Output or reason, capped by the adapter (2000 chars locally). */
  details: string;
  /** Wall time spent on the check; 0 when it was not run. */
  durationMs: number;
}

/** What the checks are about; adapters use what they can. */
export interface CheckContext {
  /** The ref under test, e.g. `feature/login`. */
  ref?: string;
  /** The commit under test. */
  sha?: string;
}

/**
 * Runs (or looks up) the checks a risk profile requires.
 *
 * A check that cannot run (timeout, missing tool) is a `failed` result, not
 * an exception, so a decision always gets one result per requested check.
 *
 * @example
 * ```ts
 * const results = await checks.run(['lint', 'unit_tests'], { ref: 'feature/x' });
 * const passed = results.every((r) => r.status === 'passed');
 * ```
 */
export interface Checks {
  /**
   * One result per requested check, in request order.
   *
   * @throws {TransientError} the results cannot be fetched right now
   *   (remote adapters only).
   */
  run(checks: string[], ctx: CheckContext): Promise<CheckResult[]>;
}
