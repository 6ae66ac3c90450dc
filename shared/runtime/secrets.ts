import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** How long a fetched secret is reused before it is read again (5 min). */
export const SECRET_MAX_AGE_SECONDS = 300;

/** A Secrets Manager read that failed (the SDK's error is the cause). */
export class SecretReadError extends Error {
  constructor(name: string, cause: unknown) {
    super(
      `secret ${name} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'SecretReadError';
  }
}

interface Cached {
  value: string | undefined;
  until: number;
}

type Sdk = typeof import('@aws-sdk/client-secrets-manager');

const cache = new Map<string, Cached>();
let loaded: Promise<{ sdk: Sdk; client: SecretsManagerClient }> | undefined;

/**
 * The SDK is imported on the first read, not at module init: a static
 * import would be hoisted into every bundle that reaches this file and
 * loaded at every cold start (esbuild inlines our own dynamic imports, but
 * keeps a dynamic import of an external package as one).
 */
async function fetchSecret(name: string): Promise<string | undefined> {
  loaded ??= import('@aws-sdk/client-secrets-manager').then((sdk) => ({
    sdk,
    client: new sdk.SecretsManagerClient({}),
  }));
  const { sdk, client } = await loaded;
  const out = await client.send(
    new sdk.GetSecretValueCommand({ SecretId: name }),
  );
  // A binary secret is not a string secret: callers treat it as missing.
  return out.SecretString || undefined;
}

/**
 * The string value of a Secrets Manager secret (name or ARN), cached per
 * process for `maxAgeSeconds` like Powertools' `getSecret(name, { maxAge })`:
 * only successful reads are cached, and every read after expiry goes to
 * Secrets Manager again.
 * @throws SecretReadError when Secrets Manager fails (not cached).
 * @example
 * const key = await readSecretString(arn, SECRET_MAX_AGE_SECONDS);
 */
export async function readSecretString(
  name: string,
  maxAgeSeconds: number,
  now: () => number = Date.now,
): Promise<string | undefined> {
  const hit = cache.get(name);
  if (hit && hit.until > now()) return hit.value;
  let value: string | undefined;
  try {
    value = await fetchSecret(name);
  } catch (cause) {
    throw new SecretReadError(name, cause);
  }
  if (value !== undefined && maxAgeSeconds > 0) {
    cache.set(name, { value, until: now() + maxAgeSeconds * 1000 });
  }
  return value;
}
