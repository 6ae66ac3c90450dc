import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord } from '../../ports/store.js';

/** Prefix of every generated key, so a leaked key is easy to recognise. */
export const KEY_PREFIX = 'cvg_';

/** Length of the non-secret key id shown in listings (hex chars of the hash). */
const KEY_ID_LENGTH = 12;

/** An API key as shown to callers: everything but the hash. */
export type ApiKeyView = Omit<ApiKeyRecord, 'keyHash'>;

/**
 * The SHA-256 hex digest of a raw key; the only form a key is stored in.
 * @example
 * hashKey('cvg_abc'); // '5c1f...' (64 hex chars)
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * A new random key: 32 random bytes, base64url, with the `cvg_` prefix.
 * @example
 * const key = generateKey(); // 'cvg_Jx3...' (47 chars)
 */
export function generateKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The short, non-secret id of a key: the first 12 hex chars of its hash. */
export function keyIdOf(keyHash: string): string {
  return keyHash.slice(0, KEY_ID_LENGTH);
}

/** Drops the hash, for listings and responses. */
export function toKeyView(record: ApiKeyRecord): ApiKeyView {
  const { keyHash: _hash, ...view } = record;
  return view;
}
