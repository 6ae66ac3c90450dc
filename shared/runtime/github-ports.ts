import type { GitHubClient } from '../adapters/github/github-client.js';
import type { EngineDeps } from '../domain/engine/engine-deps.js';
import type { Intent } from '../domain/intent.js';
import type { Publisher } from '../ports/publisher.js';
import {
  type GitHubAppSource,
  type GitHubDeps,
  githubRepoOf,
} from './cloud-ports.js';
import { readSecretString, SECRET_MAX_AGE_SECONDS } from './secrets.js';

export type { GitHubAppSource } from './cloud-ports.js';

async function readPrivateKey(name: string): Promise<string> {
  const value = await readSecretString(name, SECRET_MAX_AGE_SECONDS);
  if (value === undefined || value.trim() === '') {
    throw new Error(`secret ${name} is empty`);
  }
  return value;
}

/** The process-wide GitHub client, built on first use. */
export type GitHubClientSource = () => Promise<GitHubClient>;

/**
 * One GitHub client (token cache, circuit breaker) per process, built on
 * first use from the App id and the private key in Secrets Manager. Octokit
 * is loaded then too: importing this module costs a cold start nothing.
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
    client ??= Promise.all([
      readPrivateKey(privateKeySecret),
      import('../adapters/github/github-client.js'),
    ]).then(
      ([privateKey, { GitHubClient }]) =>
        new GitHubClient({
          appId,
          privateKey,
          ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}),
          ...(source.metrics ? { metrics: source.metrics } : {}),
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
    const { repo, installationId } = githubRepoOf(intent);
    const github = await getClient();
    const [{ GitHubScm }, { GitHubChecks }] = await Promise.all([
      import('../adapters/github/github-scm.js'),
      import('../adapters/github/github-checks.js'),
    ]);
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
    publishDecision: async (input) => {
      const client = await getClient();
      const { GitHubPublisher } = await import(
        '../adapters/github/github-publisher.js'
      );
      return new GitHubPublisher({ client }).publishDecision(input);
    },
  };
}

/**
 * The GitHub ports of a function that talks to GitHub (`CloudPorts.github`):
 * scm and checks bound per intent, and the outbox publisher when the App id
 * and its key secret are both configured.
 * @example
 * useCloudPorts({ github: githubCloudPorts });
 */
export function githubCloudPorts(app: GitHubAppSource): GitHubDeps {
  const github = githubClientSource(app);
  return {
    repoPorts: githubRepoPorts(github),
    ...(app.appId && app.privateKeySecret
      ? { publisher: githubPublisher(github) }
      : {}),
  };
}
