import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../../shared/adapters/memory-bus/memory-bus.js';
import { runWorker } from '../../../shared/adapters/memory-bus/memory-worker.js';
import type {
  BusConsumer,
  BusMessage,
  ReceivedMessage,
} from '../../../shared/ports/bus.js';
import { systemClock } from '../../../shared/ports/clock.js';

const intent = (intentId: string): BusMessage => ({
  kind: 'validate-intent',
  intentId,
});
const idOf = (m: ReceivedMessage): string => JSON.parse(m.body).intentId;

/** Resolves once `check` holds, polling every 5 ms (at most 2 s). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}

describe('runWorker', () => {
  it('acks handled messages, one group in order, groups in parallel', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: systemClock });
    const stop = new AbortController();
    const seen: string[] = [];
    let running = 0;
    let peak = 0;
    const done = runWorker({
      consumer: bus,
      signal: stop.signal,
      concurrency: 4,
      subscribe: (wake) => bus.onMessage(wake),
      handle: async (m) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push(idOf(m));
        running -= 1;
      },
    });
    // Act
    for (const id of ['a1', 'b1', 'a2', 'b2', 'a3']) {
      await bus.send(intent(id), { groupId: id[0] ?? 'x', dedupId: id });
    }
    await until(() => seen.length === 5);
    stop.abort();
    await done;
    // Assess
    expect(seen.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(seen.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(peak).toBe(2);
    expect(await bus.receive(10)).toEqual([]);
  });

  it('nacks a failing message until it is dead-lettered, reporting each error', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: systemClock, maxReceives: 3 });
    const stop = new AbortController();
    const errors: unknown[] = [];
    await bus.send(intent('bad'), { groupId: 'g', dedupId: 'bad' });
    // Act
    const done = runWorker({
      consumer: bus,
      signal: stop.signal,
      idleMs: 5,
      handle: async () => {
        throw new Error('boom');
      },
      onError: (error) => errors.push(error),
    });
    await until(async () => (await bus.deadLetters()).length === 1);
    stop.abort();
    await done;
    // Assess
    expect(errors).toHaveLength(3);
    expect((await bus.deadLetters())[0]?.receiveCount).toBe(3);
  });

  it('stops on abort and waits for the handler in flight', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: systemClock });
    const stop = new AbortController();
    let started = false;
    let finished = false;
    await bus.send(intent('slow'), { groupId: 'g', dedupId: 'slow' });
    const done = runWorker({
      consumer: bus,
      signal: stop.signal,
      handle: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      },
    });
    await until(() => started);
    // Act
    stop.abort();
    await done;
    // Assess
    expect(finished).toBe(true);
    expect(await bus.receive(1)).toEqual([]);
  });

  it('wakes on a notification instead of waiting for the poll', async () => {
    // Prepare
    const bus = new MemoryBus({ clock: systemClock });
    const stop = new AbortController();
    const seen: string[] = [];
    const done = runWorker({
      consumer: bus,
      signal: stop.signal,
      idleMs: 60_000,
      subscribe: (wake) => bus.onMessage(wake),
      handle: async (m) => {
        seen.push(idOf(m));
      },
    });
    // Act
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sentAt = Date.now();
    await bus.send(intent('x'), { groupId: 'g', dedupId: 'x' });
    await until(() => seen.length === 1);
    stop.abort();
    await done;
    // Assess
    expect(Date.now() - sentAt).toBeLessThan(1_000);
  });

  it('survives receive failures and serialises one group across a batch', async () => {
    // Prepare
    const order: string[] = [];
    const acked: string[] = [];
    let receives = 0;
    const batch = ['a1', 'a2', 'b1'].map(
      (id): ReceivedMessage => ({
        messageId: id,
        receipt: id,
        groupId: id[0] ?? 'x',
        body: JSON.stringify(intent(id)),
        receiveCount: 1,
      }),
    );
    const consumer: BusConsumer = {
      receive: async () => {
        receives += 1;
        if (receives === 1) throw new Error('throttled');
        return receives === 2 ? batch : [];
      },
      ack: async (receipt) => {
        acked.push(receipt);
      },
      nack: async () => {},
      deadLetters: async () => [],
    };
    const errors: unknown[] = [];
    const stop = new AbortController();
    // Act
    const done = runWorker({
      consumer,
      signal: stop.signal,
      concurrency: 3,
      idleMs: 5,
      onError: (error) => errors.push(error),
      handle: async (m) => {
        order.push(`start ${m.messageId}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push(`end ${m.messageId}`);
      },
    });
    await until(() => acked.length === 3);
    stop.abort();
    await done;
    // Assess
    expect(errors).toHaveLength(1);
    expect(order.indexOf('end a1')).toBeLessThan(order.indexOf('start a2'));
    expect(order.indexOf('start b1')).toBeLessThan(order.indexOf('end a1'));
  });
});
