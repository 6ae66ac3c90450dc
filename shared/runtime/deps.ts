import type { CloudPorts } from './cloud-ports.js';
import type { Deps } from './deps-type.js';

export type { Deps } from './deps-type.js';

let current: Deps | undefined;
let factory: (() => Promise<Deps>) | undefined;
let pending: Promise<Deps> | undefined;
let cloudPorts: CloudPorts = {};

/** Installs ready-made deps (local stack, tests). */
export function setDeps(deps: Deps): void {
  current = deps;
  pending = undefined;
}

/** Installs a lazy factory, run once on first use (Lambda cold start). */
export function setDepsFactory(create: () => Promise<Deps>): void {
  factory = create;
  current = undefined;
  pending = undefined;
}

/**
 * Names the optional cloud ports a Lambda function uses (GitHub, the SQS
 * bus), from its entry file in functions/. Only Lambda's composition reads
 * them; a process that loads several functions (local stack, tests) gets
 * their union. Nothing is built here: the ports are built with the deps on
 * the first invocation.
 * @example
 * useCloudPorts({ github: githubCloudPorts, bus: sqsBus });
 */
export function useCloudPorts(ports: CloudPorts): void {
  cloudPorts = { ...cloudPorts, ...ports };
}

/**
 * The process-wide deps.
 * @throws Error when neither setDeps nor setDepsFactory was called.
 */
export async function getDeps(): Promise<Deps> {
  if (current) return current;
  if (!factory && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    // In Lambda the deps come from the environment on the first invocation,
    // with the ports the function's entry file named (useCloudPorts).
    factory = () =>
      import('./cloud-deps.js').then((m) =>
        m.createCloudDeps(process.env, cloudPorts),
      );
  }
  if (!factory) throw new Error('deps not configured');
  pending ??= factory().then((deps) => {
    current = deps;
    return deps;
  });
  return pending;
}
