/**
 * The one way Converge talks to GitHub: an Octokit per App installation
 * (installation tokens from `@octokit/auth-app`, cached by it until a minute
 * before they expire), `plugin-retry` for 5xx and network failures,
 * `plugin-throttling` for rate limits, and one circuit breaker around every
 * call so a GitHub outage fails fast instead of holding Lambdas.
 */
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import { TransientError, ValidationError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { MetricsSink } from '../../ports/metrics.js';
import {
  asDomainError,
  type ErrorMapping,
  isTransientFailure,
} from './github-errors.js';

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** Octokit with the REST methods and the retry and throttling plugins. */
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

/** Circuit states, named for logs and metrics. */
export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** Where Octokit and the plugins write warnings (Powertools logger fits). */
export interface GitHubLog {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** How to reach GitHub and how hard to try. */
export interface GitHubClientOptions {
  /** The GitHub App; the key comes from Secrets Manager (bullet 5). */
  appId: number | string;
  /** PEM, PKCS#1 or PKCS#8. */
  privateKey: string;
  /** Default `https://api.github.com`; tests use a local fake. */
  baseUrl?: string;
  /** Per HTTP request; a timeout is a transient failure. Default 10 000. */
  timeoutMs?: number;
  /** `plugin-retry` attempts after the first for 5xx/network. Default 3. */
  retries?: number;
  /**
   * Unit of both plugins' waits: retry n waits n² units, a rate limit waits
   * `Retry-After` units. Default 1000 (seconds); tests pass 1.
   */
  retryUnitMs?: number;
  /** `plugin-throttling`; on by default (GitHub's recommended pacing). */
  throttle?: {
    enabled?: boolean;
    /** Rate-limit retries inside one call; default 1. */
    maxRetries?: number;
    /** Longer waits fail the call as transient instead; default 60. */
    maxWaitSeconds?: number;
  };
  /** The breaker: opens after N consecutive transient failures. */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  /** Called on every breaker state change. */
  onCircuitStateChange?: (state: CircuitStateName) => void;
  /**
   * `GitHubApiLatency` per call that reached GitHub (label `operation`)
   * and `CircuitOpen` per call the open breaker refused.
   */
  metrics?: MetricsSink;
  log?: GitHubLog;
  /** For `Retry-After` arithmetic; default the wall clock. */
  clock?: Clock;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Installation-scoped Octokits behind one circuit breaker. Build it once per
 * cold start (module scope) so tokens and breaker state survive invocations.
 *
 * @example
 * ```ts
 * const github = new GitHubClient({ appId, privateKey });
 * const ref = await github.call(42, 'GET ref', (o) =>
 *   o.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' }));
 * github.circuitState; // 'closed'
 * ```
 */
export class GitHubClient {
  readonly #options: GitHubClientOptions;
  readonly #octokits = new Map<number, GitHubOctokit>();
  readonly #breaker: CircuitBreakerPolicy;
  readonly #halfOpenAfterMs: number;
  readonly #now: () => number;

  constructor(options: GitHubClientOptions) {
    this.#options = options;
    this.#now = () => options.clock?.now() ?? Date.now();
    this.#halfOpenAfterMs = options.breaker?.halfOpenAfterMs ?? 30_000;
    this.#breaker = circuitBreaker(handleWhen(isTransientFailure), {
      halfOpenAfter: this.#halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(
        options.breaker?.consecutiveFailures ?? 5,
      ),
    });
    const listener = options.onCircuitStateChange;
    if (listener) {
      this.#breaker.onStateChange((state) => listener(STATE_NAMES[state]));
    }
  }

  /** The breaker's state now; `open` means calls fail without a request. */
  get circuitState(): CircuitStateName {
    return STATE_NAMES[this.#breaker.state];
  }

  /** True while calls are refused (open or held open). */
  get circuitOpen(): boolean {
    const state = this.circuitState;
    return state === 'open' || state === 'isolated';
  }

  /**
   * The Octokit for one installation, built once: its auth-app instance
   * caches the installation token (until a minute before expiry).
   * @throws {ValidationError} the id is not a positive integer.
   */
  installation(installationId: number): GitHubOctokit {
    if (!Number.isSafeInteger(installationId) || installationId < 1) {
      throw new ValidationError(
        `invalid installation id ${String(installationId)}`,
        [{ path: 'installationId', message: 'must be a positive integer' }],
      );
    }
    let octokit = this.#octokits.get(installationId);
    if (!octokit) {
      octokit = this.#build(installationId);
      this.#octokits.set(installationId, octokit);
    }
    return octokit;
  }

  /**
   * Runs `fn` through the breaker and maps its failure to a domain error
   * (see `asDomainError`); an open circuit is a `TransientError`.
   */
  async call<T>(
    installationId: number,
    operation: string,
    fn: (octokit: GitHubOctokit) => Promise<T>,
    mapping: ErrorMapping = {},
  ): Promise<T> {
    const octokit = this.installation(installationId);
    const metrics = this.#options.metrics;
    const timed = async () => {
      const started = performance.now();
      try {
        return await fn(octokit);
      } finally {
        metrics?.timing('GitHubApiLatency', performance.now() - started, {
          operation,
        });
      }
    };
    try {
      return await this.#breaker.execute(timed);
    } catch (error) {
      if (
        error instanceof BrokenCircuitError ||
        error instanceof IsolatedCircuitError
      ) {
        metrics?.count('CircuitOpen', 1, { operation });
        const after = Math.ceil(this.#halfOpenAfterMs / 1000);
        throw new TransientError(`GitHub circuit open (${operation})`, after, {
          cause: error,
        });
      }
      throw asDomainError(error, operation, mapping, this.#now());
    }
  }

  #build(installationId: number): GitHubOctokit {
    const o = this.#options;
    const unit = o.retryUnitMs ?? 1000;
    const timeoutMs = o.timeoutMs ?? 10_000;
    const throttle = o.throttle ?? {};
    const throttled = throttle.enabled ?? true;
    const onLimit = (after: number, _opts: unknown, _o: unknown, n: number) =>
      n < (throttle.maxRetries ?? 1) &&
      after <= (throttle.maxWaitSeconds ?? 60);
    return new GitHubOctokit({
      authStrategy: createAppAuth,
      auth: { appId: o.appId, privateKey: o.privateKey, installationId },
      baseUrl: o.baseUrl ?? 'https://api.github.com',
      userAgent: 'converge',
      ...(o.log ? { log: o.log } : {}),
      request: { fetch: fetchWithTimeout(timeoutMs) },
      retry: {
        retries: o.retries ?? 3,
        retryAfterBaseValue: unit,
        // 429 and rate-limited 403 are plugin-throttling's job (it honours
        // Retry-After); with it off they surface as TransientError.
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      },
      throttle: throttled
        ? {
            retryAfterBaseValue: unit,
            onRateLimit: onLimit,
            onSecondaryRateLimit: onLimit,
          }
        : { enabled: false },
    });
  }
}

/** `fetch` with a per-request deadline (Lambda must not hang on GitHub). */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
    });
}
