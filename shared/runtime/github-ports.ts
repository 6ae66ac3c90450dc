import { GitHubChecks } from '../adapters/github/github-checks.js';
import { GitHubClient } from '../adapters/github/github-client.js';
import { GitHubPublisher } from '../adapters/github/github-publisher.js';
import { GitHubScm } from '../adapters/github/github-scm.js';
import type { EngineDeps } from '../domain/engine/engine-deps.js';
import { ValidationError } from '../domain/errors.js';
import type { Intent } from '../domain/intent.js';
import type { Publisher } from '../ports/publisher.js';

/** Where the GitHub App's identity comes from (names, never values). */
export interface GitHubAppSource {
  appId: string | undefined;
  /** Secrets Manager name or ARN of the App's private key. */
  privateKeySecret: string | undefined;
  baseUrl?: string;
}

async function readSecret(name: string): Promise<string> {
  const { getSecret } = await import(
    '@aws-lambda-powertools/parameters/secrets'
  );
  const value = await getSecret(name, { maxAge: 300 });
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`secret ${name} is empty`);
  }
  return value;
}

/** The process-wide GitHub client, built on first use. */
export type GitHubClientSource = () => Promise<GitHubClient>;

/**
 * One GitHub client (token cache, circuit breaker) per process, built on
 * first use from the App id and the private key in Secrets Manager.
 * @throws Error (on first use) when the App id or the key secret is missing
 */
export function githubClientSource(
  source: GitHubAppSource,
): GitHubClientSource {
  let client: Promise<GitHubClient> | undefined;
  return () => {
    const { appId, privateKeySecret } = source;
    if (!appId || !privateKeySecret) {
      throw new Error('GITHUB_APP_ID and the private key secret are required');
    }
    client ??= readSecret(privateKeySecret).then(
      (privateKey) =>
        new GitHubClient({
          appId,
          privateKey,
          ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}),
        }),
    );
    return client;
  };
}

/**
 * The scm and checks of an intent's repository on GitHub, from its
 * `technical.repo` and `technical.installation_id`, on the shared client.
 */
export function githubRepoPorts(
  getClient: GitHubClientSource,
): (intent: Intent) => Promise<Pick<EngineDeps, 'scm' | 'checks'>> {
  return async (intent) => {
    const repo = intent.technical.repo;
    const installationId = Number(intent.technical.installation_id);
    if (typeof repo !== 'string' || !Number.isInteger(installationId)) {
      throw new ValidationError(
        `Intent ${intent.id} has no GitHub repository or installation`,
      );
    }
    const github = await getClient();
    const options = { client: github, repo, installationId };
    return { scm: new GitHubScm(options), checks: new GitHubChecks(options) };
  };
}

/**
 * The outbox's publisher (check runs and commit statuses) on the shared
 * client; the client is only built when a decision is published.
 */
export function githubPublisher(getClient: GitHubClientSource): Publisher {
  return {
    publishDecision: async (input) =>
      new GitHubPublisher({ client: await getClient() }).publishDecision(input),
  };
}
