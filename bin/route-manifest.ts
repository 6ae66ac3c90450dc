import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  HTTP_FUNCTIONS,
  type RouteManifestEntry,
} from '../lib/function-catalog.js';
import { HTTP_METHODS, type RouteInfo } from '../shared/http/routes.js';

/** `functions/`, next to `bin/`. */
export const DEFAULT_FUNCTIONS_DIR = fileURLToPath(
  new URL('../functions/', import.meta.url),
);

type RouteShape = Pick<RouteInfo, 'method' | 'path' | 'public'>;

function isRouteShape(value: unknown): value is RouteShape {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    HTTP_METHODS.some((m) => m === r.method) &&
    typeof r.path === 'string' &&
    typeof r.public === 'boolean'
  );
}

function routesOf(mod: unknown, file: string): RouteShape[] {
  const routes =
    typeof mod === 'object' && mod !== null
      ? (mod as Record<string, unknown>).routes
      : undefined;
  if (!Array.isArray(routes) || !routes.every(isRouteShape)) {
    throw new Error(`${file} does not export a 'routes' table`);
  }
  return routes;
}

/**
 * The route manifest the CDK stack is built from: the `routes` table of
 * every HTTP function file that exists, reduced to plain data. Importing a
 * route table loads the handler module but opens nothing (deps are lazy),
 * so this runs at synth time without AWS or SQLite.
 * @throws Error when a function file has no valid `routes` export
 * @example
 * const routes = await loadRouteManifest();
 * new ConvergeStack(app, 'Converge-dev', { config, routes });
 */
export async function loadRouteManifest(
  functionsDir: string = DEFAULT_FUNCTIONS_DIR,
): Promise<RouteManifestEntry[]> {
  const manifest: RouteManifestEntry[] = [];
  for (const fn of HTTP_FUNCTIONS) {
    const file = join(functionsDir, `${fn}.ts`);
    if (!existsSync(file)) continue;
    const mod: unknown = await import(pathToFileURL(file).href);
    for (const r of routesOf(mod, file)) {
      manifest.push({ fn, method: r.method, path: r.path, public: r.public });
    }
  }
  return manifest;
}
