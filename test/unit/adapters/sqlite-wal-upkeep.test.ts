import { describe, expect, it } from 'vitest';
import { walNeedsRestart } from '../../../shared/adapters/sqlite/sqlite-store.js';

const frames = { idle: 100, limit: 1000 };

describe('walNeedsRestart (WAL upkeep of the checkpointing connection)', () => {
  it('restarts a caught-up WAL over the idle size: a lull', () => {
    expect(walNeedsRestart({ log: 101, checkpointed: 101 }, frames)).toBe(true);
  });

  it('leaves a small or still-written WAL to PASSIVE checkpoints', () => {
    expect(walNeedsRestart({ log: 100, checkpointed: 100 }, frames)).toBe(
      false,
    );
    expect(walNeedsRestart({ log: 900, checkpointed: 899 }, frames)).toBe(
      false,
    );
    expect(walNeedsRestart({ log: 0, checkpointed: 0 }, frames)).toBe(false);
  });

  it('restarts a WAL past the limit even while it is being written', () => {
    expect(walNeedsRestart({ log: 1001, checkpointed: 10 }, frames)).toBe(true);
  });
});
