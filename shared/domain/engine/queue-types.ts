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
