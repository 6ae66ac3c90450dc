import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CouplingSource } from '../domain/engine/engine-deps.js';
import type { CoChangePair, Scm } from '../ports/scm.js';

const HISTORY_COMMITS = 200;
const CACHE_MS = 60_000;

async function readSnapshot(repoDir: string): Promise<CoChangePair[] | null> {
  try {
    const text = await readFile(
      join(repoDir, '.converge', 'archaeology_snapshot.json'),
      'utf8',
    );
    const data = JSON.parse(text) as { coupling?: CoChangePair[] };
    return Array.isArray(data.coupling) ? data.coupling : null;
  } catch {
    return null;
  }
}

/**
 * Risk coupling as the reference reads it: the archaeology snapshot when one
 * exists, else the co-changes of the last 200 commits; cached for a minute.
 */
export function couplingFrom(
  scm: Scm,
  repoDir: string,
  now: () => number,
): CouplingSource {
  let cached: { at: number; pairs: CoChangePair[] } | undefined;
  return async () => {
    if (cached && now() - cached.at < CACHE_MS) return cached.pairs;
    const pairs =
      (await readSnapshot(repoDir)) ??
      (await scm.coChangeHistory(HISTORY_COMMITS));
    cached = { at: now(), pairs };
    return pairs;
  };
}
