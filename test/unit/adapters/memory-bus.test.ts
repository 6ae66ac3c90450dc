import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../../shared/adapters/memory-bus/memory-bus.js';
import type { BusMessage } from '../../../shared/ports/bus.js';
import { DEDUP_WINDOW_MS } from '../../../shared/ports/bus.js';
import type { Clock } from '../../../shared/ports/clock.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.UTC(2026, 0, 1);
  return {
    now: () => now,
    nowIso: () => new Date(now).toISOString(),
    advance: (ms) => {
      now += ms;
    },
  };
}

const intent = (intentId: string): BusMessage => ({
  kind: 'validate-intent',
  intentId,
});

describe('MemoryBus', () => {
  it('forgets a dedupId once the 5-minute window has passed', async () => {
    // Prepare
    const clock = manualClock();
    const bus = new MemoryBus({ clock });
    const opts = { groupId: 'g', dedupId: 'd' };
    await bus.send(intent('a'), opts);
    // Act
    clock.advance(DEDUP_WINDOW_MS - 1);
    await bus.send(intent('b'), opts);
    clock.advance(1);
    await bus.send(intent('c'), opts);
    const first = await bus.receive(10);
    await bus.ack(first[0]?.receipt ?? '');
    const second = await bus.receive(10);
    // Assess
    expect(first.map((m) => JSON.parse(m.body).intentId)).toEqual(['a']);
    expect(second.map((m) => JSON.parse(m.body).intentId)).toEqual(['c']);
  });

  it('returns at most one message per group per receive', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: manualClock() });
    await bus.sendBatch([
      { message: intent('a1'), groupId: 'a', dedupId: 'a1' },
      { message: intent('a2'), groupId: 'a', dedupId: 'a2' },
      { message: intent('b1'), groupId: 'b', dedupId: 'b1' },
    ]);
    // Act
    const received = await bus.receive(10);
    // Assess
    expect(received.map((m) => m.groupId)).toEqual(['a', 'b']);
  });

  it('keeps a group blocked while a nacked message waits out its delay', async () => {
    // Prepare
    const clock = manualClock();
    const bus = new MemoryBus({ clock });
    await bus.send(intent('a1'), { groupId: 'a', dedupId: 'a1' });
    await bus.send(intent('a2'), { groupId: 'a', dedupId: 'a2' });
    const [first] = await bus.receive(1);
    // Act
    await bus.nack(first?.receipt ?? '', 2_000);
    const during = await bus.receive(10);
    clock.advance(2_000);
    const after = await bus.receive(10);
    // Assess
    expect(during).toEqual([]);
    expect(after.map((m) => m.messageId)).toEqual([first?.messageId]);
  });

  it('uses a 30 s visibility and 5 receives by default', async () => {
    // Prepare
    const clock = manualClock();
    const bus = new MemoryBus({ clock });
    await bus.send(intent('a'), { groupId: 'g', dedupId: 'a' });
    // Act
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [m] = await bus.receive(1);
      if (m) counts.push(m.receiveCount);
      clock.advance(29_999);
      const hidden = await bus.receive(1);
      expect(hidden).toEqual([]);
      clock.advance(1);
    }
    // Assess
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect((await bus.deadLetters()).map((m) => m.receiveCount)).toEqual([5]);
  });

  it('notifies listeners when something may be receivable, until removed', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: manualClock() });
    let calls = 0;
    const stop = bus.onMessage(() => {
      calls += 1;
    });
    // Act
    await bus.send(intent('a'), { groupId: 'g', dedupId: 'a' });
    await bus.send(intent('a'), { groupId: 'g', dedupId: 'a' });
    const [m] = await bus.receive(1);
    await bus.nack(m?.receipt ?? '');
    const [again] = await bus.receive(1);
    await bus.ack(again?.receipt ?? '');
    await bus.ack('unknown');
    stop();
    await bus.send(intent('b'), { groupId: 'g', dedupId: 'b' });
    // Assess
    expect(calls).toBe(3);
  });

  it('hands out copies of its dead letters', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: manualClock(), maxReceives: 1 });
    await bus.send(intent('a'), { groupId: 'g', dedupId: 'a' });
    const [m] = await bus.receive(1);
    await bus.nack(m?.receipt ?? '');
    await bus.receive(1);
    // Act
    const [dead] = await bus.deadLetters();
    if (dead) dead.body = 'changed';
    // Assess
    expect((await bus.deadLetters())[0]?.body).toBe(
      JSON.stringify(intent('a')),
    );
  });
});
