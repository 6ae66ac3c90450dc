import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SECRET_MAX_AGE_SECONDS,
  webhookSecretName,
  webhookSecretSource,
} from '../../../shared/runtime/webhook-secret.js';

describe('webhookSecretSource', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-secret-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the local stack secret file, trimmed, and re-reads it after max age', async () => {
    // Prepare
    const file = join(dir, 'webhook-secret');
    writeFileSync(file, 'first-secret\n');
    let now = 0;
    const secret = webhookSecretSource(
      { CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: file },
      {},
      () => now,
    );
    // Act / Assess
    expect(await secret()).toBe('first-secret');
    writeFileSync(file, 'rotated-secret\n');
    expect(await secret()).toBe('first-secret');
    now += SECRET_MAX_AGE_SECONDS * 1000 + 1;
    expect(await secret()).toBe('rotated-secret');
  });

  it('treats an empty file as no secret', async () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '  \n');
    const secret = webhookSecretSource(
      { CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: file },
      {},
    );
    expect(await secret()).toBeNull();
  });

  it('rejects when the configured file is missing (the webhook answers 503)', async () => {
    const secret = webhookSecretSource(
      { CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: join(dir, 'missing') },
      {},
    );
    await expect(secret()).rejects.toThrow();
  });

  it('resolves null when nothing is configured', async () => {
    const secret = webhookSecretSource({}, {});
    expect(await secret()).toBeNull();
  });

  it('takes the Secrets Manager name from the ARN variable the stack sets', () => {
    expect(
      webhookSecretName({
        GITHUB_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:x',
        GITHUB_WEBHOOK_SECRET_NAME: 'ignored',
      }),
    ).toBe('arn:aws:secretsmanager:x');
    expect(
      webhookSecretName({ GITHUB_WEBHOOK_SECRET_NAME: 'converge/webhook' }),
    ).toBe('converge/webhook');
    expect(webhookSecretName({})).toBeNull();
  });
});
