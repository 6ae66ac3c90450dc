/** Options of one queue run (reference `queue run` flags). */
export interface QueueRunOptions {
  tenantId: string | null;
  /** Repository the branch belongs to; intents without a repo match any. */
  repo?: string;
  target: string;
  limit?: number;
  maxRetries?: number;
  autoConfirm?: boolean;
  skipChecks?: boolean;
  lockTtlMs?: number;
  holder: string;
}

/**
 * Keeps a pass's branch lock: renews the lease (the store's acquire renews
 * it for its own holder) once a third of the TTL has gone by. False when
 * the lease was lost (expired and taken by another worker): the pass stops
 * taking intents, leaving them to the holder.
 */
export type LeaseKeeper = () => Promise<boolean>;
