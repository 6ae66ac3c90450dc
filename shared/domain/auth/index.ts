export {
  type ApiKeyView,
  generateKey,
  hashKey,
  KEY_PREFIX,
  keyIdOf,
  toKeyView,
} from './api-key.js';
export type { AuthDeps } from './auth-deps.js';
export { authenticate } from './authenticate.js';
export { BufferedRateLimits } from './buffered-rate-limits.js';
export { CachedKeyStore, KEY_CACHE_TTL_MS } from './cached-keys.js';
export {
  checkRateLimit,
  RATE_LIMIT_WINDOW_MS,
  type RateLimitState,
} from './check-rate-limit.js';
export {
  type CreateApiKeyInput,
  createApiKey,
  type IssuedApiKey,
  listApiKeys,
  revokeApiKey,
} from './manage-api-keys.js';
export {
  AUTH_ROLES,
  assertTenantAccess,
  hasScope,
  type Principal,
  roleAtLeast,
} from './principal.js';
export {
  GRACE_DEFAULT_SECONDS,
  GRACE_MAX_SECONDS,
  GRACE_MIN_SECONDS,
  type RotatedApiKey,
  rotateApiKey,
} from './rotate-api-key.js';
