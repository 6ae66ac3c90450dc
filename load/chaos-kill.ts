/**
 * Durability under SIGKILL (KPIS.md): 100 concurrent writers x 100 intents
 * against the local stack; the process is killed with SIGKILL mid-run and
 * restarted on the same store. Every acknowledged (201) write must be there,
 * and the digest of all intents and the hash of the decision export
 * (GET /v1/export/decisions?fmt=jsonl) must be equal before and after a
 * clean restart (the branch's queue is held still meanwhile, see
 * `freezeQueue`). Run: `npx tsx load/chaos-kill.ts`; writes load/results/chaos-kill.json.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import { queueLockName } from '../shared/domain/engine/process-queue.js';
import { systemClock } from '../shared/ports/clock.js';
import { startStack, writeResult } from './bench-support.js';

const WRITERS = Number(process.env.CHAOS_WRITERS ?? 100);
const PER_WRITER = Number(process.env.CHAOS_PER_WRITER ?? 100);
const PORT = 18183;

type Stack = Awaited<ReturnType<typeof startStack>>;

async function writer(
  stack: Stack,
  w: number,
  acked: Set<string>,
  stop: () => boolean,
) {
  for (let i = 0; i < PER_WRITER && !stop(); i++) {
    const id = `chaos-${w}-${i}`;
    try {
      const res = await fetch(`${stack.url}/v1/intents`, {
        method: 'POST',
        headers: { 'x-api-key': stack.key, 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          source: `feature/${w}`,
          tenant_id: 'chaos',
        }),
      });
      if (res.status === 201) acked.add(id);
    } catch {
      return; // the server died: this writer stops
    }
  }
}

async function allIds(stack: Stack): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await fetch(
      `${stack.url}/v1/intents?tenant_id=chaos&limit=1000${query}`,
      {
        headers: { 'x-api-key': stack.key },
      },
    );
    const page = (await res.json()) as {
      items: { id: string; version: number }[];
      next_cursor: string | null;
    };
    ids.push(...page.items.map((i) => `${i.id}@${i.version}`));
    cursor = page.next_cursor;
  } while (cursor);
  return ids.sort();
}

async function exportHash(stack: Stack): Promise<string> {
  const res = await fetch(
    `${stack.url}/v1/export/decisions?fmt=jsonl&tenant_id=chaos`,
    { headers: { 'x-api-key': stack.key } },
  );
  if (res.status !== 200) throw new Error(`export: ${res.status}`);
  return createHash('sha256')
    .update(await res.text())
    .digest('hex');
}

const digest = (ids: string[]) =>
  createHash('sha256').update(ids.join('\n')).digest('hex');

/**
 * Holds the chaos branch's queue lock for an hour, so the worker's pass at
 * each start cannot revalidate intents: the restart comparison then
 * measures durability, not the queue's work.
 */
async function freezeQueue(dbPath: string): Promise<void> {
  const store = SqliteStore.open({ path: dbPath, clock: systemClock });
  const lock = queueLockName('chaos', undefined, 'main');
  await store.locks.acquire(lock, 'chaos-kill-freeze', 3_600_000);
  await store.close();
}

async function main(): Promise<void> {
  const env = { CONVERGE_WORKER_INTERVAL_MS: '3600000' };
  const dbPath = join(mkdtempSync(join(tmpdir(), 'converge-chaos-')), 'c.db');
  await freezeQueue(dbPath);
  const first = await startStack({ port: PORT, dbPath, env });
  const acked = new Set<string>();
  let killed = false;
  const writers = Array.from({ length: WRITERS }, (_, w) =>
    writer(first, w, acked, () => killed),
  );
  const killAt = (WRITERS * PER_WRITER) / 2;
  while (acked.size < killAt) await new Promise((r) => setTimeout(r, 20));
  killed = true;
  first.child.kill('SIGKILL');
  await Promise.all(writers);
  const ackedAtKill = acked.size;
  const second = await startStack({ port: PORT, dbPath: first.dbPath, env });
  const present = new Set((await allIds(second)).map((s) => s.split('@')[0]));
  const lost = [...acked].filter((id) => !present.has(id));
  const before = digest(await allIds(second));
  const exportBefore = await exportHash(second);
  await second.stop('SIGTERM');
  const third = await startStack({ port: PORT, dbPath: first.dbPath, env });
  const after = digest(await allIds(third));
  const exportAfter = await exportHash(third);
  await third.stop('SIGTERM');
  const data = {
    scenario: 'SIGKILL mid-run, restart on the same store',
    writers: WRITERS,
    perWriter: PER_WRITER,
    acknowledged: ackedAtKill,
    presentAfterRestart: present.size,
    lost: lost.length,
    digestBefore: before,
    digestAfter: after,
    exportHashBefore: exportBefore,
    exportHashAfter: exportAfter,
    pass: lost.length === 0 && before === after && exportBefore === exportAfter,
    at: new Date().toISOString(),
  };
  writeResult('chaos-kill', data);
  console.log(JSON.stringify(data, null, 2));
  if (!data.pass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
