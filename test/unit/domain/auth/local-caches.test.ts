import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import { authenticate } from '../../../../shared/domain/auth/authenticate.js';
import { BufferedRateLimits } from '../../../../shared/domain/auth/buffered-rate-limits.js';
import {
  CachedKeyStore,
  KEY_CACHE_TTL_MS,
} from '../../../../shared/domain/auth/cached-keys.js';
import { checkRateLimit } from '../../../../shared/domain/auth/check-rate-limit.js';
import {
  createApiKey,
  revokeApiKey,
} from '../../../../shared/domain/auth/manage-api-keys.js';
import { rotateApiKey } from '../../../../shared/domain/auth/rotate-api-key.js';
import {
  RateLimitedError,
  UnauthorizedError,
} from '../../../../shared/domain/errors.js';
import type { Store } from '../../../../shared/ports/store.js';
import { SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

/** The store as the local stack wires it: both caches in front. */
function localStore(store: SqliteStore, clock: TestClock): Store {
  return Object.assign(Object.create(store) as Store, {
    keys: new CachedKeyStore(store.keys, clock),
    rateLimits: new BufferedRateLimits(store.rateLimits, clock),
  });
}

describe('BufferedRateLimits', () => {
  let clock: TestClock;
  let store: SqliteStore;

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
  });

  afterEach(async () => {
    await store.close();
  });

  it('counts every hit but writes the store once per key and window', async () => {
    // Prepare
    const hit = vi.spyOn(store.rateLimits, 'hit');
    const limits = new BufferedRateLimits(store.rateLimits, clock);
    // Act
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      counts.push((await limits.hit('tenant:a', 60_000)).count);
    }
    const other = await limits.hit('tenant:b', 60_000);
    // Assess
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect(other.count).toBe(1);
    expect(hit).toHaveBeenCalledTimes(2);
  });

  it('starts a new window from the store, with the same reset instant', async () => {
    // Prepare
    const limits = new BufferedRateLimits(store.rateLimits, clock);
    const first = await limits.hit('tenant:a', 60_000);
    await limits.hit('tenant:a', 60_000);
    // Act
    clock.advance(60_000);
    const next = await limits.hit('tenant:a', 60_000);
    // Assess
    expect(first.resetAt).toBe('2030-01-01T00:01:00.000Z');
    expect(next).toEqual({ count: 1, resetAt: '2030-01-01T00:02:00.000Z' });
  });

  it('continues from what other processes stored in the window', async () => {
    // Prepare: another process already counted 3 hits of this window.
    for (let i = 0; i < 3; i++) await store.rateLimits.hit('tenant:a', 60_000);
    const limits = new BufferedRateLimits(store.rateLimits, clock);
    // Act
    const counts = [
      (await limits.hit('tenant:a', 60_000)).count,
      (await limits.hit('tenant:a', 60_000)).count,
    ];
    // Assess
    expect(counts).toEqual([4, 5]);
  });

  it('counts concurrent first hits of a window once each', async () => {
    const limits = new BufferedRateLimits(store.rateLimits, clock);
    const counts = await Promise.all(
      Array.from({ length: 4 }, () => limits.hit('tenant:a', 60_000)),
    );
    const after = await limits.hit('tenant:a', 60_000);
    expect(counts.map((c) => c.count).sort()).toEqual([1, 2, 3, 4]);
    expect(after.count).toBe(5);
  });

  it('keeps checkRateLimit exact: 429 with Retry-After past the limit', async () => {
    // Prepare
    const deps = { store: localStore(store, clock), clock };
    for (let i = 0; i < 3; i++) await checkRateLimit(deps, 'tenant:a', 3);
    clock.advance(45_000);
    // Act
    const over = checkRateLimit(deps, 'tenant:a', 3);
    // Assess
    await expect(over).rejects.toBeInstanceOf(RateLimitedError);
    await expect(over).rejects.toMatchObject({ retryAfterSeconds: 15 });
    clock.advance(15_000);
    await expect(checkRateLimit(deps, 'tenant:a', 3)).resolves.toMatchObject({
      remaining: 2,
    });
  });
});

describe('CachedKeyStore', () => {
  let clock: TestClock;
  let store: SqliteStore;
  let deps: { store: Store; clock: TestClock; ids: SequentialIds };

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    deps = { store: localStore(store, clock), clock, ids: new SequentialIds() };
  });

  afterEach(async () => {
    await store.close();
  });

  it('looks a key up once per TTL', async () => {
    // Prepare
    const { key } = await createApiKey(deps, {
      actor: 'ci',
      role: 'operator',
      tenantId: 't1',
    });
    const find = vi.spyOn(store.keys, 'findByHash');
    // Act
    await authenticate(deps, key);
    await authenticate(deps, key);
    clock.advance(KEY_CACHE_TTL_MS);
    const again = await authenticate(deps, key);
    // Assess
    expect(find).toHaveBeenCalledTimes(2);
    expect(again).toMatchObject({ actor: 'ci', tenantId: 't1' });
  });

  it('never caches an unknown key: one created meanwhile works at once', async () => {
    // Prepare
    const find = vi.spyOn(store.keys, 'findByHash');
    await expect(authenticate(deps, 'cvg_unknown')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    // Act: a key issued straight in the store (another process).
    const { key } = await createApiKey(
      { ...deps, store },
      {
        actor: 'cli',
        role: 'viewer',
        tenantId: 't1',
      },
    );
    // Assess
    await expect(authenticate(deps, key)).resolves.toMatchObject({
      actor: 'cli',
    });
    await expect(authenticate(deps, 'cvg_unknown')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    expect(find).toHaveBeenCalledTimes(3);
  });

  it('forgets a key revoked through it at once', async () => {
    const issued = await createApiKey(deps, {
      actor: 'ci',
      role: 'operator',
      tenantId: 't1',
    });
    await authenticate(deps, issued.key);
    await revokeApiKey(deps, issued.keyId, 'admin');
    await expect(authenticate(deps, issued.key)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('sees a revocation by another process within the TTL', async () => {
    // Prepare
    const issued = await createApiKey(deps, {
      actor: 'ci',
      role: 'operator',
      tenantId: 't1',
    });
    await authenticate(deps, issued.key);
    // Act: revoked behind the cache's back.
    await revokeApiKey({ ...deps, store }, issued.keyId, 'admin');
    const meanwhile = await authenticate(deps, issued.key);
    clock.advance(KEY_CACHE_TTL_MS);
    // Assess
    expect(meanwhile.keyId).toBe(issued.keyId);
    await expect(authenticate(deps, issued.key)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('ends a rotated key exactly at the end of its grace period', async () => {
    // Prepare
    const { key } = await createApiKey(deps, {
      actor: 'ops',
      role: 'admin',
      tenantId: 't1',
    });
    const principal = await authenticate(deps, key);
    // Act
    const rotated = await rotateApiKey(deps, principal, 60);
    clock.advance(59_999);
    const during = await authenticate(deps, key);
    clock.advance(1);
    // Assess
    expect(during.keyId).toBe(principal.keyId);
    await expect(authenticate(deps, key)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    await expect(authenticate(deps, rotated.key)).resolves.toMatchObject({
      actor: 'ops',
    });
  });

  it('does not cache a lookup that overlapped a revocation', async () => {
    // Prepare: a store whose read answers late (the network of DynamoDB).
    const issued = await createApiKey(deps, {
      actor: 'ci',
      role: 'operator',
      tenantId: 't1',
    });
    const [record] = await store.keys.list();
    if (!record) throw new Error('no key');
    let answer: (value: typeof record) => void = () => undefined;
    const slow = Object.assign(Object.create(store.keys), {
      findByHash: () => new Promise((resolve) => (answer = resolve)),
    });
    const keys = new CachedKeyStore(slow, clock);
    // Act: the read was sent before the revocation and answers after it.
    const lookup = keys.findByHash(record.keyHash);
    await keys.revoke(issued.keyId);
    answer(record);
    await lookup;
    slow.findByHash = () => store.keys.findByHash(record.keyHash);
    // Assess
    expect(await keys.findByHash(record.keyHash)).toBeNull();
  });
});

describe('local caches across two processes on one file', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-caches-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a key rotated in one process work in the other for the grace period', async () => {
    // Prepare
    const clock = new TestClock();
    const path = join(dir, 'c.db');
    const a = SqliteStore.open({ path, clock });
    const b = SqliteStore.open({ path, clock });
    const ids = new SequentialIds();
    const depsA = { store: localStore(a, clock), clock, ids };
    const depsB = { store: localStore(b, clock), clock, ids };
    const { key } = await createApiKey(depsA, {
      actor: 'ops',
      role: 'admin',
      tenantId: 't1',
    });
    await authenticate(depsB, key);
    // Act
    const rotated = await rotateApiKey(
      depsA,
      await authenticate(depsA, key),
      120,
    );
    const inGrace = await authenticate(depsB, key);
    const next = await authenticate(depsB, rotated.key);
    clock.advance(120_000);
    // Assess
    expect(inGrace.actor).toBe('ops');
    expect(next.actor).toBe('ops');
    await expect(authenticate(depsB, key)).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    await a.close();
    await b.close();
  });
});
