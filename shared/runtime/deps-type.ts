import type { Env } from '../config/env.js';
import type { EngineDeps } from '../domain/engine/engine-deps.js';
import type { Bus } from '../ports/bus.js';
import type { Publisher } from '../ports/publisher.js';

/**
 * Everything a handler or a use case needs, built once per cold start (or
 * once by the local stack) and passed down explicitly.
 */
export interface Deps extends EngineDeps {
  env: Env;
  /** The work bus (SQS FIFO, or the in-process bus locally); absent: none. */
  bus?: Bus;
  /**
   * Publishes the decision outbox (GitHub check runs and statuses); absent
   * when no GitHub App is configured, and the outbox then waits.
   */
  publisher?: Publisher;
  /**
   * The GitHub webhook secret, fetched (and cached) by the composition root;
   * resolves null when none is configured (webhooks then answer 403).
   */
  webhookSecret?: () => Promise<string | null>;
}
