import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import { authenticate } from '../../../../shared/domain/auth/authenticate.js';
import { checkRateLimit } from '../../../../shared/domain/auth/check-rate-limit.js';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../../../shared/domain/auth/manage-api-keys.js';
import { rotateApiKey } from '../../../../shared/domain/auth/rotate-api-key.js';
import {
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '../../../../shared/domain/errors.js';
import { SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

describe('auth use cases', () => {
  let clock: TestClock;
  let store: SqliteStore;
  let deps: { store: SqliteStore; clock: TestClock; ids: SequentialIds };

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    deps = { store, clock, ids: new SequentialIds() };
  });

  afterEach(async () => {
    await store.close();
  });

  describe('createApiKey + authenticate', () => {
    it('stores only the hash and resolves the raw key to its principal', async () => {
      // Act
      const issued = await createApiKey(deps, {
        actor: 'ci',
        role: 'operator',
        tenantId: 't1',
        scopes: ['risk.*', 'risk.*'],
      });
      const principal = await authenticate(deps, issued.key);
      // Assess
      expect(principal).toEqual({
        actor: 'ci',
        tenantId: 't1',
        role: 'operator',
        scopes: ['risk.*'],
        keyId: issued.keyId,
      });
      const [stored] = await store.keys.list();
      expect(stored?.keyHash).not.toContain(issued.key);
      const events = await store.events.query({ type: 'access.key_created' });
      expect(events.items).toHaveLength(1);
      expect(JSON.stringify(events.items)).not.toContain(issued.key);
    });

    it('rejects a missing, unknown or expired key', async () => {
      const issued = await createApiKey(deps, {
        actor: 'tmp',
        role: 'viewer',
        tenantId: null,
        expiresAt: new Date(clock.now() + 1000).toISOString(),
      });
      await expect(authenticate(deps, undefined)).rejects.toThrow(
        UnauthorizedError,
      );
      await expect(authenticate(deps, '  ')).rejects.toThrow('Missing API key');
      await expect(authenticate(deps, 'cvg_nope')).rejects.toThrow(
        'Invalid API key',
      );
      await expect(authenticate(deps, issued.key)).resolves.toMatchObject({
        actor: 'tmp',
      });
      clock.advance(1000);
      await expect(authenticate(deps, issued.key)).rejects.toThrow(
        UnauthorizedError,
      );
    });

    it('refuses an expiry in the past', async () => {
      await expect(
        createApiKey(deps, {
          actor: 'x',
          role: 'viewer',
          tenantId: null,
          expiresAt: clock.nowIso(),
        }),
      ).rejects.toThrow(ValidationError);
    });
  });

  describe('listApiKeys + revokeApiKey', () => {
    it('lists without hashes and revokes at once', async () => {
      const a = await createApiKey(deps, {
        actor: 'a',
        role: 'viewer',
        tenantId: 't1',
      });
      await createApiKey(deps, { actor: 'b', role: 'viewer', tenantId: 't2' });
      const t1 = await listApiKeys(deps, 't1');
      expect(t1.map((k) => k.actor)).toEqual(['a']);
      expect(t1[0]).not.toHaveProperty('keyHash');
      await revokeApiKey(deps, a.keyId, 'root');
      await expect(authenticate(deps, a.key)).rejects.toThrow(
        UnauthorizedError,
      );
      await expect(revokeApiKey(deps, a.keyId, 'root')).rejects.toThrow(
        NotFoundError,
      );
      expect(await store.events.count({ type: 'access.key_revoked' })).toBe(1);
    });
  });

  describe('rotateApiKey', () => {
    it('keeps the old key for the grace period and copies the identity', async () => {
      // Prepare
      const old = await createApiKey(deps, {
        actor: 'ops',
        role: 'admin',
        tenantId: 't1',
        scopes: ['*'],
      });
      const principal = await authenticate(deps, old.key);
      // Act
      const next = await rotateApiKey(deps, principal, 60);
      // Assess
      expect(next).toMatchObject({
        actor: 'ops',
        role: 'admin',
        tenantId: 't1',
        scopes: ['*'],
        previousKeyId: old.keyId,
        gracePeriodSeconds: 60,
      });
      await expect(authenticate(deps, old.key)).resolves.toBeTruthy();
      clock.advance(59_999);
      await expect(authenticate(deps, old.key)).resolves.toBeTruthy();
      clock.advance(1);
      await expect(authenticate(deps, old.key)).rejects.toThrow(
        UnauthorizedError,
      );
      await expect(authenticate(deps, next.key)).resolves.toMatchObject({
        keyId: next.keyId,
      });
      expect(await store.events.count({ type: 'access.key_rotated' })).toBe(1);
    });

    it('defaults to 3600 s and validates 60..86400', async () => {
      const old = await createApiKey(deps, {
        actor: 'ops',
        role: 'admin',
        tenantId: null,
      });
      const principal = await authenticate(deps, old.key);
      await expect(rotateApiKey(deps, principal, 59)).rejects.toThrow(
        ValidationError,
      );
      await expect(rotateApiKey(deps, principal, 86_401)).rejects.toThrow(
        ValidationError,
      );
      const next = await rotateApiKey(deps, principal);
      expect(next.gracePeriodSeconds).toBe(3600);
      expect(next.previousKeyExpiresAt).toBe(
        new Date(clock.now() + 3_600_000).toISOString(),
      );
    });
  });

  describe('checkRateLimit', () => {
    it('throws RateLimitedError with the seconds left in the window', async () => {
      clock.advance(15_000);
      for (let i = 0; i < 3; i++) {
        await checkRateLimit(deps, 'tenant:t1', 3);
      }
      const error = await checkRateLimit(deps, 'tenant:t1', 3).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBe(45);
      await expect(checkRateLimit(deps, 'tenant:t2', 3)).resolves.toEqual({
        limit: 3,
        remaining: 2,
        resetAt: new Date(clock.now() + 45_000).toISOString(),
      });
      clock.advance(45_000);
      await expect(checkRateLimit(deps, 'tenant:t1', 3)).resolves.toBeTruthy();
    });
  });
});
