import type { Deps } from './deps-type.js';

export type { Deps } from './deps-type.js';

let current: Deps | undefined;
let factory: (() => Promise<Deps>) | undefined;
let pending: Promise<Deps> | undefined;

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
 * The process-wide deps.
 * @throws Error when neither setDeps nor setDepsFactory was called.
 */
export async function getDeps(): Promise<Deps> {
  if (current) return current;
  if (!factory && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    // In Lambda the deps come from the environment on the first invocation.
    factory = () =>
      import('./lambda-deps.js').then((m) => m.createLambdaDeps());
  }
  if (!factory) throw new Error('deps not configured');
  pending ??= factory().then((deps) => {
    current = deps;
    return deps;
  });
  return pending;
}
