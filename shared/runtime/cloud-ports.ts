import { ValidationError } from '../domain/errors.js';
import type { Intent } from '../domain/intent.js';
import type { Bus } from '../ports/bus.js';
import type { MetricsSink } from '../ports/metrics.js';
import type { Deps } from './deps-type.js';

/** Where the GitHub App's identity comes from (names, never values). */
export interface GitHubAppSource {
  appId: string | undefined;
  /** Secrets Manager name or ARN of the App's private key. */
  privateKeySecret: string | undefined;
  baseUrl?: string;
  /** Where the client's `GitHubApiLatency` and `CircuitOpen` go. */
  metrics?: MetricsSink;
}

/** The GitHub side of the cloud deps: scm/checks per intent, publisher. */
export type GitHubDeps = Pick<Deps, 'repoPorts' | 'publisher'>;

/**
 * The optional ports of the cloud composition. A function's entry file
 * names the ones it uses (`useCloudPorts`), so that a bundle only carries
 * the code it can run: Octokit only where GitHub is called, the SQS
 * adapter only where the bus is used. Both are built lazily, on the first
 * invocation, never at module init.
 */
export interface CloudPorts {
  /** GitHub App ports (functions with the App's private key). */
  github?: (app: GitHubAppSource) => GitHubDeps;
  /** The SQS FIFO bus (functions with `QUEUE_URL`). */
  bus?: (queueUrl: string) => Bus;
}

/** An intent's GitHub repository and App installation. */
export interface GitHubRepoRef {
  repo: string;
  installationId: number;
}

/**
 * The GitHub repository of an intent, from its `technical.repo` and
 * `technical.installation_id`.
 * @throws ValidationError when either is missing or malformed.
 */
export function githubRepoOf(intent: Intent): GitHubRepoRef {
  const repo = intent.technical.repo;
  const installationId = Number(intent.technical.installation_id);
  if (typeof repo !== 'string' || !Number.isInteger(installationId)) {
    throw new ValidationError(
      `Intent ${intent.id} has no GitHub repository or installation`,
    );
  }
  return { repo, installationId };
}
