import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { loadRouteManifest } from '../../bin/route-manifest.js';
import {
  type EnvName,
  loadStackConfig,
  type StackConfig,
} from '../../lib/config.js';
import {
  ConvergeStack,
  FUNCTIONS_DIR,
  PROJECT_ROOT,
} from '../../lib/converge-stack.js';
import {
  ALL_FUNCTIONS,
  type FunctionEntry,
  type RouteManifestEntry,
} from '../../lib/function-catalog.js';

/** The `context` object of the repository's cdk.json. */
export function cdkContext(): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
  );
  const context = (cdkJson as { context?: unknown }).context;
  if (typeof context !== 'object' || context === null) {
    throw new Error('cdk.json has no context');
  }
  return context as Record<string, unknown>;
}

/** The config of `envName` exactly as `cdk synth -c env=<envName>` reads it. */
export function configOf(envName: EnvName): StackConfig {
  const context: Record<string, unknown> = { ...cdkContext(), env: envName };
  return loadStackConfig((key) => context[key]);
}

/** Inline code instead of esbuild: template tests stay fast. */
export const inlineCode = (): lambda.Code =>
  lambda.Code.fromInline('export const handler = async () => ({});');

/** Every known function, whether or not its file exists yet. */
export const ALL_ENTRIES: readonly FunctionEntry[] = ALL_FUNCTIONS.map(
  (name) => ({ name, entry: join(FUNCTIONS_DIR, `${name}.ts`) }),
);

/** The webhook route, added when `functions/webhooks.ts` is not there yet. */
export const WEBHOOK_ROUTE: RouteManifestEntry = {
  fn: 'webhooks',
  method: 'POST',
  path: '/v1/integrations/github/webhook',
  public: true,
};

/** What a template test synthesizes. */
export interface Synthesized {
  template: Template;
  config: StackConfig;
  routes: readonly RouteManifestEntry[];
  /** The functions the stack was built with. */
  entries: readonly FunctionEntry[];
}

/**
 * Synthesizes one stack with inline code and every known function (with a
 * webhook route when `functions/webhooks.ts` has none), so processor,
 * scheduler and webhook assertions never depend on which files exist yet.
 * The routes are the real route tables of `functions/`.
 */
export async function synthesize(envName: EnvName): Promise<Synthesized> {
  const config = configOf(envName);
  const manifest = await loadRouteManifest();
  const hasWebhooks = manifest.some((r) => r.fn === 'webhooks');
  const routes = hasWebhooks ? manifest : [...manifest, WEBHOOK_ROUTE];
  const stack = new ConvergeStack(new App(), `Converge-${envName}`, {
    config,
    routes,
    functions: ALL_ENTRIES,
    codeFor: inlineCode,
  });
  return {
    template: Template.fromStack(stack),
    config,
    routes,
    entries: ALL_ENTRIES,
  };
}
