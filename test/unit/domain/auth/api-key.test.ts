import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateKey,
  hashKey,
  KEY_PREFIX,
  keyIdOf,
  toKeyView,
} from '../../../../shared/domain/auth/api-key.js';

describe('hashKey', () => {
  it('is the SHA-256 hex digest of the key', () => {
    // Prepare
    const key = 'cvg_example';
    // Act
    const hash = hashKey(key);
    // Assess
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('generateKey', () => {
  it('gives 32 random bytes in base64url with the prefix', () => {
    const key = generateKey();
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    const raw = key.slice(KEY_PREFIX.length);
    expect(raw).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(raw, 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 200 }, generateKey));
    expect(keys.size).toBe(200);
  });
});

describe('keyIdOf and toKeyView', () => {
  it('shows 12 hex chars of the hash and never the hash', () => {
    const keyHash = hashKey('k');
    const view = toKeyView({
      keyHash,
      keyId: keyIdOf(keyHash),
      actor: 'a',
      role: 'viewer',
      tenantId: null,
      scopes: [],
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: null,
      revokedAt: null,
    });
    expect(view.keyId).toBe(keyHash.slice(0, 12));
    expect(view).not.toHaveProperty('keyHash');
  });
});
