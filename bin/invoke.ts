/**
 * Local invoke (`npm run invoke -- <function> <event-file> [options]`): runs
 * one Lambda handler of `functions/` on a sample event against the local
 * SQLite store, with a fake Lambda context, and prints what it returned.
 * See docs/local-invoke.md.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

// Set before any Powertools module loads (they read these at import time).
const LOCAL_DEFAULTS: Record<string, string> = {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_SERVICE_NAME: 'converge',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) {
  process.env[name] ??= value;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `usage: npm run invoke -- <function> <event-file> [--api-key <key>] [--timeout <ms>]
  function    a file of functions/ without .ts, e.g. health, auth, authorizer
  event-file  a JSON event, e.g. events/health-get.json (or just health-get)`;

/** The parsed command line. */
interface InvokeArgs {
  name: string;
  entry: string;
  eventFile: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

class UsageError extends Error {}

function resolveEventFile(arg: string): string {
  const candidates = [
    resolve(arg),
    join(ROOT, 'events', arg),
    join(ROOT, 'events', `${arg}.json`),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new UsageError(`event file not found: ${arg}`);
  return found;
}

function optionValue(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  if (at === -1) return undefined;
  const value = argv[at + 1];
  if (value === undefined) throw new UsageError(`${flag} needs a value`);
  argv.splice(at, 2);
  return value;
}

function parseArgs(raw: readonly string[]): InvokeArgs {
  const argv = [...raw];
  const apiKey = optionValue(argv, '--api-key');
  const timeoutMs = Number(optionValue(argv, '--timeout') ?? 30_000);
  const [name, eventArg, ...rest] = argv;
  if (!name || !eventArg || rest.length > 0) throw new UsageError(USAGE);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new UsageError('--timeout must be a positive number of ms');
  }
  const entry = join(ROOT, 'functions', `${name}.ts`);
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(entry)) {
    throw new UsageError(`no function '${name}' in functions/`);
  }
  return {
    name,
    entry,
    eventFile: resolveEventFile(eventArg),
    apiKey,
    timeoutMs,
  };
}

/** Replaces the `x-api-key` header (any casing) of an HTTP-shaped event. */
function withApiKey(event: unknown, key: string): unknown {
  if (typeof event !== 'object' || event === null) return event;
  const e = event as Record<string, unknown>;
  const strip = (headers: unknown) =>
    Object.fromEntries(
      Object.entries(
        typeof headers === 'object' && headers !== null ? headers : {},
      ).filter(([name]) => name.toLowerCase() !== 'x-api-key'),
    );
  return {
    ...e,
    headers: { ...strip(e.headers), 'x-api-key': key },
    multiValueHeaders: { ...strip(e.multiValueHeaders), 'x-api-key': [key] },
  };
}

function handlerOf(mod: unknown, entry: string): LambdaHandler {
  const handler =
    typeof mod === 'object' && mod !== null
      ? (mod as Record<string, unknown>).handler
      : undefined;
  if (typeof handler !== 'function') {
    throw new UsageError(`${entry} does not export a handler`);
  }
  return handler as LambdaHandler;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function invoke(args: InvokeArgs): Promise<unknown> {
  const { parseEnv } = await import('../shared/config/env.js');
  const { createDeps } = await import('../shared/runtime/create-deps.js');
  const { setDeps } = await import('../shared/runtime/deps.js');
  const { ensureAdminKey } = await import('../shared/runtime/bootstrap-key.js');
  const { createLambdaContext } = await import(
    '../shared/http/api-gateway-event.js'
  );
  const env = parseEnv();
  const deps = await createDeps(env);
  setDeps(deps);
  try {
    // Installs CONVERGE_BOOTSTRAP_KEY when given; never generates a key here.
    if (env.CONVERGE_BOOTSTRAP_KEY) await ensureAdminKey(deps);
    const handler = handlerOf(
      await import(pathToFileURL(args.entry).href),
      args.entry,
    );
    const parsed: unknown = JSON.parse(readFileSync(args.eventFile, 'utf8'));
    const event = args.apiKey ? withApiKey(parsed, args.apiKey) : parsed;
    const context = createLambdaContext({
      functionName: `converge-${args.name}-local`,
      requestId: randomUUID(),
      timeoutMs: args.timeoutMs,
    });
    return await withTimeout(handler(event, context), args.timeoutMs);
  } finally {
    await deps.store.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const result = await invoke(args);
  const ms = Math.round(performance.now() - started);
  const status =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? ` status ${String(result.statusCode)}`
      : '';
  console.error(`invoked ${args.name}${status} in ${ms} ms`);
  console.log(JSON.stringify(result ?? null, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    console.error(
      usage
        ? error.message
        : `handler failed: ${String(error instanceof Error ? error.message : error)}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
