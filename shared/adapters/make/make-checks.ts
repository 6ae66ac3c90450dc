/**
 * The local adapter of the Checks port: each check is a `make` target run
 * in a work tree, with the original's timeout (300 s) and output cap (2000
 * characters) (reference §1, invariant 1).
 */
import { access } from 'node:fs/promises';
import type {
  CheckContext,
  CheckName,
  CheckResult,
  Checks,
} from '../../ports/checks.js';
import { type ProcessOutcome, runProcess } from './run-process.js';

/** The make target of each known check (the original's mapping). */
export const MAKE_TARGETS: Readonly<Record<CheckName, string>> = {
  lint: 'lint',
  unit_tests: 'test',
  integration_tests: 'test-integration',
  security_scan: 'security-scan',
  contract_tests: 'test-contract',
};

/** Where and how to run the checks. */
export interface MakeChecksOptions {
  /** The work tree whose Makefile is used, as it is on disk. */
  cwd: string;
  /** Per check; default 300 000 ms. A timed-out check fails. */
  timeoutMs?: number;
  /** Maximum length of `details`, in characters; default 2000. */
  outputCap?: number;
  /** The make executable; default `make` from PATH. */
  makeBinary?: string;
  /** The environment make runs in; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL on timeout; default 2000 ms. */
  killGraceMs?: number;
}

const TRUNCATED = '\n…[truncated]';

/**
 * {@link Checks} that runs `make <target>` for each check, one after the
 * other, in `cwd`. The work tree is used as it is: nothing is checked out.
 * `ctx.ref` and `ctx.sha` reach the Makefile as `CONVERGE_CHECK_REF` and
 * `CONVERGE_CHECK_SHA`.
 *
 * Results: exit 0 is `passed` (details: stdout); any other exit is `failed`
 * (details: stderr, then stdout); a timeout is `failed` with "timed out";
 * a missing make is `failed` with "make not found"; a check with no mapped
 * target is `skipped`. Details are cut to `outputCap` characters.
 *
 * @example
 * ```ts
 * const checks = new MakeChecks({ cwd: '/srv/repos/app' });
 * const [lint] = await checks.run(['lint'], { ref: 'feature/x' });
 * ```
 */
export class MakeChecks implements Checks {
  readonly #cwd: string;
  readonly #timeoutMs: number;
  readonly #outputCap: number;
  readonly #makeBinary: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #killGraceMs: number;

  constructor(options: MakeChecksOptions) {
    this.#cwd = options.cwd;
    this.#timeoutMs = options.timeoutMs ?? 300_000;
    this.#outputCap = options.outputCap ?? 2000;
    this.#makeBinary = options.makeBinary ?? 'make';
    this.#env = options.env ?? process.env;
    this.#killGraceMs = options.killGraceMs ?? 2000;
  }

  /** {@inheritDoc Checks.run} */
  async run(checks: string[], ctx: CheckContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const check of checks) {
      // One at a time: make targets of one work tree may share files.
      results.push(await this.#runOne(check, ctx));
    }
    return results;
  }

  async #runOne(check: string, ctx: CheckContext): Promise<CheckResult> {
    const target = makeTarget(check);
    if (target === undefined) {
      const details = `unknown check "${check}": no make target is mapped to it`;
      return { check, status: 'skipped', details, durationMs: 0 };
    }
    const started = performance.now();
    const outcome = await runProcess(this.#makeBinary, [target], {
      cwd: this.#cwd,
      env: this.#childEnv(ctx),
      timeoutMs: this.#timeoutMs,
      killGraceMs: this.#killGraceMs,
      // UTF-8 takes up to 4 bytes a character.
      keepBytes: this.#outputCap * 4,
    });
    const durationMs = Math.round(performance.now() - started);
    const { status, details } = await this.#describe(target, outcome);
    return { check, status, details: this.#cap(details), durationMs };
  }

  #childEnv(ctx: CheckContext): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.#env };
    if (ctx.ref !== undefined) env.CONVERGE_CHECK_REF = ctx.ref;
    if (ctx.sha !== undefined) env.CONVERGE_CHECK_SHA = ctx.sha;
    return env;
  }

  async #describe(
    target: string,
    outcome: ProcessOutcome,
  ): Promise<{ status: 'passed' | 'failed'; details: string }> {
    switch (outcome.kind) {
      case 'exited':
        if (outcome.exitCode === 0) {
          return { status: 'passed', details: outcome.stdout };
        }
        return {
          status: 'failed',
          details:
            joinOutput(outcome.stderr, outcome.stdout) ||
            `make ${target} exited with code ${outcome.exitCode}`,
        };
      case 'signalled':
        return {
          status: 'failed',
          details: joinOutput(
            `make ${target} was killed by ${outcome.signal}`,
            outcome.stderr,
            outcome.stdout,
          ),
        };
      case 'timed-out':
        return {
          status: 'failed',
          details: joinOutput(
            `make ${target} timed out after ${this.#timeoutMs} ms`,
            outcome.stderr,
            outcome.stdout,
          ),
        };
      case 'spawn-failed':
        return { status: 'failed', details: await this.#spawnFailure(outcome) };
    }
  }

  async #spawnFailure(outcome: {
    code: string;
    message: string;
  }): Promise<string> {
    if (outcome.code !== 'ENOENT') {
      return `could not start make: ${outcome.message}`;
    }
    // spawn reports a missing cwd as ENOENT too; tell the two apart.
    const cwdExists = await access(this.#cwd).then(
      () => true,
      () => false,
    );
    return cwdExists
      ? `make not found: "${this.#makeBinary}" is not installed or not on PATH`
      : `working directory not found: ${this.#cwd}`;
  }

  #cap(text: string): string {
    const cap = this.#outputCap;
    if (text.length <= cap) return text;
    if (cap <= TRUNCATED.length) return text.slice(0, cap);
    return text.slice(0, cap - TRUNCATED.length) + TRUNCATED;
  }
}

function makeTarget(check: string): string | undefined {
  return isCheckName(check) ? MAKE_TARGETS[check] : undefined;
}

function isCheckName(check: string): check is CheckName {
  return Object.hasOwn(MAKE_TARGETS, check);
}

function joinOutput(...parts: string[]): string {
  return parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('\n');
}
