import type { Env } from '../config/env.js';
import type { EngineDeps } from '../domain/engine/engine-deps.js';
import type { Bus } from '../ports/bus.js';

/**
 * Everything a handler or a use case needs, built once per cold start (or
 * once by the local stack) and passed down explicitly.
 */
export interface Deps extends EngineDeps {
  env: Env;
  /** The work bus (SQS FIFO, or the in-process bus locally); absent: none. */
  bus?: Bus;
  /**
   * The GitHub webhook secret, fetched (and cached) by the composition root;
   * resolves null when none is configured (webhooks then answer 403).
   */
  webhookSecret?: () => Promise<string | null>;
}

let current: Deps | undefined;
let factory: (() => Promise<Deps>) | undefined;
let pending: Promise<Deps> | undefined;

/** Installs ready-made deps (local stack, tests). */
export function setDeps(deps: Deps): void {
  current = deps;
  pending = undefined;
}

/** Installs a lazy factory, run once on first use (Lambda cold start). */
export function setDepsFactory(create: () => Promise<Deps>): void {
  factory = create;
  current = undefined;
  pending = undefined;
}

/**
 * The process-wide deps.
 * @throws Error when neither setDeps nor setDepsFactory was called.
 */
export async function getDeps(): Promise<Deps> {
  if (current) return current;
  if (!factory) throw new Error('deps not configured');
  pending ??= factory().then((deps) => {
    current = deps;
    return deps;
  });
  return pending;
}
