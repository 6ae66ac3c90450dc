import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEvents } from '../../../../shared/domain/projections/event-reader.js';
import { openWorld, type World } from './projection-world.js';

describe('readEvents', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('pages past the store page size, newest first, up to the cap', async () => {
    for (let i = 0; i < 1205; i++) {
      await world.add('risk.evaluated', { n: i }, { hoursAgo: 2000 - i });
    }
    await world.add('intent.merged', {});

    const all = await readEvents(world.store, { type: 'risk.evaluated' });
    const capped = await readEvents(
      world.store,
      { type: 'risk.evaluated' },
      1100,
    );

    expect(all).toHaveLength(1205);
    expect(new Set(all.map((e) => e.id)).size).toBe(1205);
    expect(all[0]?.payload.n).toBe(1204);
    expect(capped).toHaveLength(1100);
    expect(capped.at(-1)?.payload.n).toBe(105);
  });
});
