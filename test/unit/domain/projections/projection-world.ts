import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import type {
  ConvergeEvent,
  EventType,
} from '../../../../shared/domain/event.js';
import type { Intent, JsonObject } from '../../../../shared/domain/intent.js';
import {
  DEFAULT_POLICY_CONFIG,
  type PolicyConfig,
} from '../../../../shared/domain/policy/index.js';
import { anEvent, anIntent, SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

const HOUR = 3_600_000;

/** A fresh in-memory store, a fixed clock and helpers to seed the log. */
export interface World {
  clock: TestClock;
  store: SqliteStore;
  deps: {
    store: SqliteStore;
    clock: TestClock;
    ids: SequentialIds;
    policy: PolicyConfig;
  };
  /** Appends an event `hoursAgo` before now (default 1 h). */
  add(
    type: EventType,
    payload: JsonObject,
    opts?: Partial<ConvergeEvent> & { hoursAgo?: number },
  ): Promise<ConvergeEvent>;
  intent(overrides?: Partial<Intent>): Promise<Intent>;
  close(): Promise<void>;
}

/** Opens a world whose clock stands at 2030-01-10T00:00Z. */
export function openWorld(): World {
  const clock = new TestClock('2030-01-10T00:00:00.000Z');
  const store = SqliteStore.open({ path: ':memory:', clock });
  const deps = {
    store,
    clock,
    ids: new SequentialIds(1_000_000),
    policy: DEFAULT_POLICY_CONFIG,
  };
  return {
    clock,
    store,
    deps,
    async add(type, payload, opts = {}) {
      const { hoursAgo = 1, ...rest } = opts;
      const timestamp = new Date(clock.now() - hoursAgo * HOUR).toISOString();
      const event = anEvent({ type, payload, timestamp, ...rest });
      await store.events.append(event);
      return event;
    },
    async intent(overrides = {}) {
      return store.intents.create(anIntent(overrides));
    },
    close: () => store.close(),
  };
}

/** A `simulation.completed` payload. */
export function simulation(mergeable: boolean): JsonObject {
  return {
    mergeable,
    conflicts: mergeable ? [] : ['shared.py'],
    files_changed: ['a.py'],
  };
}

/** A `risk.evaluated` payload with the given scores (others neutral). */
export function riskPayload(scores: {
  risk?: number;
  damage?: number;
  entropy?: number;
  propagation?: number;
  containment?: number;
}): JsonObject {
  return {
    risk_score: scores.risk ?? 10,
    damage_score: scores.damage ?? 10,
    entropy_score: scores.entropy ?? 5,
    propagation_score: scores.propagation ?? 5,
    containment_score: scores.containment ?? 0.9,
    signals: {
      entropic_load: 5,
      contextual_value: 10,
      complexity_delta: 10,
      path_dependence: 2,
    },
    findings: [],
    bombs: [],
    impact_edges: [
      { source: 'feature/x', target: 'main', type: 'merge_target', weight: 1 },
    ],
  };
}
