import { readFile } from 'node:fs/promises';
import type { Env } from '../config/env.js';

/** How long a fetched secret is reused before it is read again (5 min). */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Where the webhook secret comes from; see `webhookSecretSource`. */
export type WebhookSecret = () => Promise<string | null>;

/**
 * The Secrets Manager name (or ARN) of the webhook secret: the CDK stack
 * sets `GITHUB_WEBHOOK_SECRET_ARN` (lib/constructs/github.ts);
 * `GITHUB_WEBHOOK_SECRET_NAME` is accepted too. Only the name lives in the
 * environment, never the value (ARCHITECTURE "Secrets").
 */
export function webhookSecretName(
  vars: Record<string, string | undefined>,
): string | null {
  return (
    vars.GITHUB_WEBHOOK_SECRET_ARN || vars.GITHUB_WEBHOOK_SECRET_NAME || null
  );
}

function fromFile(path: string, now: () => number): WebhookSecret {
  let cached: { value: string | null; until: number } | undefined;
  return async () => {
    if (cached && cached.until > now()) return cached.value;
    const value = (await readFile(path, 'utf8')).trim() || null;
    cached = { value, until: now() + SECRET_MAX_AGE_SECONDS * 1000 };
    return value;
  };
}

function fromSecretsManager(name: string): WebhookSecret {
  return async () => {
    // Loaded on first use only: the SDK client is not bundled elsewhere.
    const { getSecret } = await import(
      '@aws-lambda-powertools/parameters/secrets'
    );
    const value = await getSecret(name, { maxAge: SECRET_MAX_AGE_SECONDS });
    return typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : null;
  };
}

/**
 * The webhook secret of this runtime:
 * - the local stack: the file `CONVERGE_GITHUB_WEBHOOK_SECRET_FILE`;
 * - Lambda: Powertools `getSecret(name, { maxAge: 300 })` (cached 5 min);
 * - neither: always null (the webhook answers 403).
 * A missing file or a Secrets Manager failure rejects (the webhook answers
 * 503, so GitHub's delivery is not lost to a misread).
 * @example
 * const webhookSecret = webhookSecretSource(env, process.env);
 * const secret = await webhookSecret();
 */
export function webhookSecretSource(
  env: Pick<Env, 'CONVERGE_GITHUB_WEBHOOK_SECRET_FILE'>,
  vars: Record<string, string | undefined>,
  now: () => number = Date.now,
): WebhookSecret {
  const file = env.CONVERGE_GITHUB_WEBHOOK_SECRET_FILE;
  if (file) return fromFile(file, now);
  const name = webhookSecretName(vars);
  if (name) return fromSecretsManager(name);
  return async () => null;
}
