import { readFileSync } from 'node:fs';

const EVENTS_DIR = new URL('../../events/', import.meta.url);
const cache = new Map<string, unknown>();

/**
 * A sample Lambda event from `events/<name>.json`, deep-copied with
 * `structuredClone` so a test may mutate it freely.
 * @example
 * const event = getTestEvent<APIGatewayProxyEvent>('health-get');
 */
export function getTestEvent<T>(name: string): T {
  let parsed = cache.get(name);
  if (parsed === undefined) {
    parsed = JSON.parse(
      readFileSync(new URL(`${name}.json`, EVENTS_DIR), 'utf8'),
    ) as unknown;
    cache.set(name, parsed);
  }
  return structuredClone(parsed) as T;
}
