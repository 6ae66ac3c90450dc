import { buildEvent } from '../event.js';
import type { WriteDeps } from './event-reader.js';
import { type RepoHealth, repoHealth } from './repo-health.js';

/**
 * Records the tenant's repository health as `health.snapshot` (the source
 * of the health trend and of `predictHealth`). Run by the scheduled job,
 * never by a read (DECISIONS 8). Null snapshots every tenant together: the
 * series that tenant-less readers see; the job takes one per tenant too.
 * @example await takeHealthSnapshot(deps, 'acme');
 */
export async function takeHealthSnapshot(
  deps: WriteDeps,
  tenantId: string | null,
): Promise<RepoHealth> {
  const health = await repoHealth(deps, tenantId);
  const { learning, ...figures } = health;
  await deps.store.events.append(
    buildEvent(
      {
        type: 'health.snapshot',
        tenantId,
        payload: { ...figures, lessons: learning.map((l) => l.code) },
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
  return health;
}
