import {
  buildEvent,
  type ConvergeEvent,
  type IdSource,
} from '../../shared/domain/event.js';
import { type Intent, newIntent } from '../../shared/domain/intent.js';
import { TEST_EPOCH } from './test-clock.js';

/**
 * An {@link IdSource} counting up from `start`: `hex(12)` gives
 * `000000000001`, `000000000002`, … Deterministic for a given call order.
 */
export class SequentialIds implements IdSource {
  constructor(private next = 1) {}

  /** The next counter value as `n` lowercase hex characters. */
  hex(n: number): string {
    const value = (this.next++).toString(16).padStart(n, '0');
    return value.slice(-n);
  }
}

/** The id source shared by the builders below. */
export const fixtureIds = new SequentialIds();

/**
 * A valid READY intent (reference defaults, created at {@link TEST_EPOCH}),
 * with `overrides` applied last, so any field (status, version, createdAt)
 * can be set. The default id is `o/r:pr-{hex}`, unique per call.
 */
export function anIntent(overrides: Partial<Intent> = {}): Intent {
  const createdAt = overrides.createdAt ?? TEST_EPOCH;
  const base = newIntent(
    {
      id: `o/r:pr-${fixtureIds.hex(8)}`,
      source: 'feature/x',
      semantic: { problem_statement: 'fix a bug' },
      technical: { repo: 'o/r', scope_hint: ['src/'] },
    },
    createdAt,
  );
  return { ...base, ...overrides };
}

/**
 * A valid event (`intent.created` at {@link TEST_EPOCH} unless overridden),
 * built with `buildEvent` and deterministic ids.
 */
export function anEvent(overrides: Partial<ConvergeEvent> = {}): ConvergeEvent {
  return buildEvent(
    { type: 'intent.created', payload: { note: 'fixture' }, ...overrides },
    fixtureIds,
    overrides.timestamp ?? TEST_EPOCH,
  );
}
