import type { Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, KeyStore } from '../../ports/store.js';

/** How long a looked-up key is reused by default, in ms. */
export const KEY_CACHE_TTL_MS = 2_000;

interface Entry {
  record: ApiKeyRecord;
  until: number;
}

/**
 * A short-lived cache of live keys in front of a {@link KeyStore}, keyed by
 * the key's hash (the raw key is never kept), as API Gateway caches an
 * authorizer's answer per identity source.
 *
 * Semantics: `findByHash` reuses a live record for `ttlMs` (by the injected
 * clock); an unknown, expired or revoked key is never cached. `authenticate`
 * checks `expiresAt` and `revokedAt` against the clock on every request, so
 * an expiry, a rotation's grace end included, takes effect to the
 * millisecond. A revocation, rotation or new key through this instance
 * forgets the affected entries at once; one made by another process (the
 * CLI, a second stack on the file) is seen within `ttlMs`.
 *
 * @example
 * const keys = new CachedKeyStore(store.keys, systemClock);
 * await keys.findByHash(hashKey(rawKey));
 */
export class CachedKeyStore implements KeyStore {
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every write: a lookup that overlapped one is not cached. */
  #generation = 0;

  constructor(
    private readonly inner: KeyStore,
    private readonly clock: Clock,
    private readonly ttlMs: number = KEY_CACHE_TTL_MS,
  ) {}

  /** @inheritdoc */
  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const now = this.clock.now();
    const held = this.#entries.get(keyHash);
    if (held !== undefined && held.until > now) return held.record;
    const generation = this.#generation;
    const record = await this.inner.findByHash(keyHash);
    if (record === null || generation !== this.#generation) {
      this.#entries.delete(keyHash);
      return record;
    }
    if (this.#entries.size >= 10_000) this.#entries.clear();
    this.#entries.set(keyHash, { record, until: now + this.ttlMs });
    return record;
  }

  /** @inheritdoc */
  async put(record: ApiKeyRecord): Promise<void> {
    this.#forget((hash) => hash === record.keyHash);
    try {
      await this.inner.put(record);
    } finally {
      this.#forget((hash) => hash === record.keyHash);
    }
  }

  /** @inheritdoc */
  list(tenantId?: string): Promise<ApiKeyRecord[]> {
    return this.inner.list(tenantId);
  }

  /** @inheritdoc */
  async revoke(keyId: string): Promise<boolean> {
    const match = (_: string, entry: Entry) => entry.record.keyId === keyId;
    this.#forget(match);
    try {
      return await this.inner.revoke(keyId);
    } finally {
      this.#forget(match);
    }
  }

  /** @inheritdoc */
  async rotate(
    oldKeyHash: string,
    next: ApiKeyRecord,
    graceSeconds: number,
  ): Promise<void> {
    const match = (hash: string) =>
      hash === oldKeyHash || hash === next.keyHash;
    this.#forget(match);
    try {
      await this.inner.rotate(oldKeyHash, next, graceSeconds);
    } finally {
      this.#forget(match);
    }
  }

  #forget(match: (hash: string, entry: Entry) => boolean): void {
    this.#generation += 1;
    for (const [hash, entry] of this.#entries) {
      if (match(hash, entry)) this.#entries.delete(hash);
    }
  }
}
