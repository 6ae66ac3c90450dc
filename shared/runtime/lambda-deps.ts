import { type CloudPorts, createCloudDeps } from './cloud-deps.js';
import type { Deps } from './deps-type.js';
import { githubCloudPorts } from './github-ports.js';
import { sqsBus } from './sqs-bus-port.js';

/** Every optional cloud port: the GitHub App ports and the SQS bus. */
export const ALL_CLOUD_PORTS: Readonly<CloudPorts> = {
  github: githubCloudPorts,
  bus: sqsBus,
};

/**
 * The deployed service's composition root with every optional port (see
 * `createCloudDeps`): DynamoDB store, SQS bus, GitHub scm and checks bound
 * per intent, the outbox publisher when a GitHub App is configured, metrics
 * as Powertools EMF, secrets from Secrets Manager by name. Lambda bundles
 * do not import this file: `getDeps` builds each function's deps from the
 * ports its entry file named, so a bundle only carries what it runs.
 * @example
 * const deps = await createLambdaDeps({ TABLE_NAME: 'converge' });
 */
export function createLambdaDeps(
  vars: Record<string, string | undefined> = process.env,
  ports: CloudPorts = ALL_CLOUD_PORTS,
): Promise<Deps> {
  return createCloudDeps(vars, ports);
}
