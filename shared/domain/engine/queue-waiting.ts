import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';
import { tipOrMissing } from './simulation-step.js';

const BLOCKING_EVENTS = [
  'intent.blocked',
  'intent.requeued',
  'intent.merge_failed',
] as const;

/**
 * True when a READY intent was already blocked against the current source
 * and target tips (a missing branch counts as the tip '') and no CI result
 * for that source arrived after the block (a `check.completed` recorded from
 * a check_run / check_suite / status delivery): validating it again would
 * only burn a retry and repeat the same events.
 */
export async function unchangedSinceBlock(
  deps: EngineDeps,
  intent: Intent,
): Promise<boolean> {
  const page = await deps.store.events.query(
    { intentId: intent.id },
    { limit: 20 },
  );
  const last = page.items.find((e) =>
    (BLOCKING_EVENTS as readonly string[]).includes(e.type),
  );
  const sourceSha = last?.payload.source_sha;
  const targetSha = last?.payload.target_sha;
  if (typeof sourceSha !== 'string' || typeof targetSha !== 'string') {
    return false;
  }
  const checkedSince = page.items.some(
    (e) =>
      e.type === 'check.completed' &&
      e.payload.sha === sourceSha &&
      e.timestamp > (last?.timestamp ?? ''),
  );
  if (checkedSince) return false;
  const [source, target] = await Promise.all([
    tipOrMissing(deps, intent.source),
    tipOrMissing(deps, intent.target),
  ]);
  return source === sourceSha && target === targetSha;
}
