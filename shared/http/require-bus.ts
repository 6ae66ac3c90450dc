import type { Bus } from '../ports/bus.js';
import type { Deps } from '../runtime/deps.js';

/**
 * The bus of `deps`.
 * @throws Error when the composition root configured none (a deployment
 *   fault, reported as a 500 or retried by the queue, never swallowed).
 */
export function requireBus(deps: Pick<Deps, 'bus'>): Bus {
  if (!deps.bus) throw new Error('bus not configured');
  return deps.bus;
}
