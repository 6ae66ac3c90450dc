import { readFile } from 'node:fs/promises';
import type { Env } from '../config/env.js';
import { readSecretString, SECRET_MAX_AGE_SECONDS } from './secrets.js';

export { SECRET_MAX_AGE_SECONDS } from './secrets.js';

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
    const value = await readSecretString(name, SECRET_MAX_AGE_SECONDS);
    return value !== undefined && value.trim() !== '' ? value.trim() : null;
  };
}

/**
 * The webhook secret of this runtime:
 * - the local stack: the file `CONVERGE_GITHUB_WEBHOOK_SECRET_FILE`;
 * - Lambda: Secrets Manager by name, cached 5 min (`readSecretString`);
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
