import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpMethod } from '../shared/http/routes.js';

/** `functions/<name>.ts` files that serve HTTP routes (export `routes`). */
export const HTTP_FUNCTIONS = [
  'health',
  'auth',
  'intents',
  'queue',
  'risk',
  'agents',
  'compliance',
  'events',
  'dashboard',
  'governance',
  'webhooks',
  'openapi',
] as const;

/** `functions/<name>.ts` files invoked by AWS rather than by a route. */
export const WORKER_FUNCTIONS = [
  'authorizer',
  'queue-processor',
  'scheduler',
] as const;

/** Every function the stack knows how to deploy. */
export type FunctionName =
  | (typeof HTTP_FUNCTIONS)[number]
  | (typeof WORKER_FUNCTIONS)[number];

/** Every known function name, HTTP first. */
export const ALL_FUNCTIONS: readonly FunctionName[] = [
  ...HTTP_FUNCTIONS,
  ...WORKER_FUNCTIONS,
];

/** One route of the deployed API, as plain data (no callbacks, no schemas). */
export interface RouteManifestEntry {
  /** The function serving it, e.g. `intents`. */
  fn: string;
  method: HttpMethod;
  /** API Gateway resource template under `/v1`, e.g. `/v1/intents/{id}`. */
  path: string;
  /** Public routes (health, webhooks) skip the authorizer. */
  public: boolean;
}

/** A function file found on disk. */
export interface FunctionEntry {
  name: FunctionName;
  /** Absolute path of `functions/<name>.ts`. */
  entry: string;
}

/** The GitHub secrets a function may read. */
export type GitHubSecretName = 'appPrivateKey' | 'webhookSecret';

/** What a function may touch: the least-privilege grants of its role. */
export interface FunctionAccess {
  table: 'read' | 'readWrite';
  sendsToQueue: boolean;
  consumesQueue: boolean;
  secrets: readonly GitHubSecretName[];
  /** `api` stays under API Gateway's 29 s; `worker` is the processor's. */
  timeout: 'api' | 'authorizer' | 'worker';
}

const API_WRITER: FunctionAccess = {
  table: 'readWrite',
  sendsToQueue: true,
  consumesQueue: false,
  secrets: [],
  timeout: 'api',
};

/**
 * The grants of every function. Non-public routes write to the table even
 * when they only read domain data: admission updates the rate-limit counters
 * and denials append `access.denied` events.
 */
export const FUNCTION_ACCESS: Readonly<Record<FunctionName, FunctionAccess>> = {
  health: { ...API_WRITER, table: 'read', sendsToQueue: false },
  auth: { ...API_WRITER, sendsToQueue: false },
  // Validate and queue-run routes talk to GitHub through the App.
  intents: { ...API_WRITER, secrets: ['appPrivateKey'] },
  queue: { ...API_WRITER, secrets: ['appPrivateKey'] },
  risk: API_WRITER,
  agents: API_WRITER,
  compliance: API_WRITER,
  events: API_WRITER,
  dashboard: { ...API_WRITER, sendsToQueue: false },
  governance: { ...API_WRITER, sendsToQueue: false },
  webhooks: { ...API_WRITER, secrets: ['webhookSecret'] },
  // Serves the route tables' document: no domain data, like health.
  openapi: { ...API_WRITER, table: 'read', sendsToQueue: false },
  authorizer: { ...API_WRITER, sendsToQueue: false, timeout: 'authorizer' },
  // Sends the follow-ups a GitHub delivery asks for (other branches).
  'queue-processor': {
    table: 'readWrite',
    sendsToQueue: true,
    consumesQueue: true,
    secrets: ['appPrivateKey'],
    timeout: 'worker',
  },
  // Queue ticks validate, merge and publish decisions on GitHub.
  scheduler: { ...API_WRITER, secrets: ['appPrivateKey'], timeout: 'worker' },
};

/**
 * The known functions whose `functions/<name>.ts` exists: files not written
 * yet are skipped, so the stack grows as domains land.
 * @example
 * const entries = discoverFunctions('/repo/functions');
 */
export function discoverFunctions(
  functionsDir: string,
  names: readonly FunctionName[] = ALL_FUNCTIONS,
): FunctionEntry[] {
  return names
    .map((name) => ({ name, entry: join(functionsDir, `${name}.ts`) }))
    .filter((f) => existsSync(f.entry));
}

/** Whether `name` is a function the stack knows. */
export function isFunctionName(name: string): name is FunctionName {
  return ALL_FUNCTIONS.some((n) => n === name);
}
