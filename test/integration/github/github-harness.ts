import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'vitest';
import {
  GitHubClient,
  type GitHubClientOptions,
  type GitHubLog,
} from '../../../shared/adapters/github/github-client.js';
import type { FakeGitHub } from '../../support/fake-github.js';

/** A throwaway GitHub App key; the fake accepts any well-formed JWT. */
export const APP_PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

export const INSTALLATION_ID = 4242;

/** Keeps Octokit and the plugins quiet in test output. */
export const silentLog: GitHubLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A client against the fake: millisecond retry waits, throttling off (its
 * 1 s spacing of writes would only slow tests), a breaker that half-opens
 * after 100 ms.
 */
export function testClient(
  fake: FakeGitHub,
  overrides: Partial<GitHubClientOptions> = {},
): GitHubClient {
  return new GitHubClient({
    appId: 1,
    privateKey: APP_PRIVATE_KEY,
    baseUrl: fake.baseUrl,
    timeoutMs: 2_000,
    retries: 2,
    retryUnitMs: 1,
    throttle: { enabled: false },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 100 },
    log: silentLog,
    ...overrides,
  });
}

/**
 * For `afterEach`: shuts the fake, then asserts that no request the
 * adapters sent during the test broke GitHub's OpenAPI description.
 */
export async function closeAndCheckSpec(fake: FakeGitHub): Promise<void> {
  await fake.close();
  expect(fake.openApiViolations).toEqual([]);
}

/** Resolves after `ms` of real time (breaker half-open waits). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
