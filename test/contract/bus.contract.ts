import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { parseBusMessage } from '../../shared/http/schemas/bus-message.js';
import type {
  Bus,
  BusConsumer,
  BusEntry,
  BusMessage,
  ReceivedMessage,
} from '../../shared/ports/bus.js';
import { branchGroupId, groupIdOf, RawJson } from '../../shared/ports/bus.js';

/** What one contract test gets: a fresh, empty queue. */
export interface BusFixture {
  bus: Bus;
  consumer: BusConsumer;
  /** The queue's dead-letter threshold (SQS maxReceiveCount). */
  maxReceives: number;
  /** A short visibility timeout the adapter honours (SQS: whole seconds). */
  visibilityMs: number;
  /** Lets `ms` pass: moves the test clock, or really waits. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

const GROUP_A = branchGroupId({ tenantId: 't1', repo: 'o/r', target: 'main' });
const GROUP_B = branchGroupId({ tenantId: null, repo: 'o/r', target: 'dev' });

const intent = (intentId: string): BusMessage => ({
  kind: 'validate-intent',
  intentId,
});

const intentIdOf = (received: ReceivedMessage): string => {
  const message = parseBusMessage(received.body);
  return message.kind === 'validate-intent' ? message.intentId : '?';
};

/** Receives and acks until `count` messages arrived (bounded rounds). */
async function drain(
  consumer: BusConsumer,
  count: number,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (let round = 0; round < count + 5 && received.length < count; round++) {
    for (const message of await consumer.receive(10)) {
      received.push(message);
      await consumer.ack(message.receipt);
    }
  }
  return received;
}

/**
 * The one bus contract every adapter passes (HOUSE_STYLE §7.11): black-box
 * through the Bus and BusConsumer ports only, no per-adapter skips.
 */
export function describeBusContract(
  name: string,
  open: () => Promise<BusFixture>,
): void {
  describe(`Bus contract: ${name}`, () => {
    let ctx: BusFixture;
    beforeEach(async () => {
      ctx = await open();
    });
    afterEach(async () => {
      await ctx.close();
    });

    it('delivers one group in send order, each message once', async () => {
      // Prepare
      const ids = ['i1', 'i2', 'i3', 'i4', 'i5'];
      for (const id of ids) {
        await ctx.bus.send(intent(id), { groupId: GROUP_A, dedupId: id });
      }
      // Act
      const received = await drain(ctx.consumer, ids.length);
      // Assess
      expect(received.map(intentIdOf)).toEqual(ids);
      expect(received.every((m) => m.groupId === GROUP_A)).toBe(true);
      expect(received.every((m) => m.receiveCount === 1)).toBe(true);
      expect(await ctx.consumer.receive(10)).toEqual([]);
    });

    it('keeps other groups moving while one group is stuck in flight', async () => {
      // Prepare
      await ctx.bus.send(intent('a1'), { groupId: GROUP_A, dedupId: 'a1' });
      await ctx.bus.send(intent('b1'), { groupId: GROUP_B, dedupId: 'b1' });
      await ctx.bus.send(intent('a2'), { groupId: GROUP_A, dedupId: 'a2' });
      await ctx.bus.send(intent('b2'), { groupId: GROUP_B, dedupId: 'b2' });
      // Act
      const [stuck] = await ctx.consumer.receive(1);
      const others = await drain(ctx.consumer, 2);
      const whileStuck = await ctx.consumer.receive(10);
      if (stuck) await ctx.consumer.ack(stuck.receipt);
      const rest = await drain(ctx.consumer, 1);
      // Assess
      const stuckGroup = stuck?.groupId === GROUP_A ? 'a' : 'b';
      const otherGroup = stuckGroup === 'a' ? 'b' : 'a';
      expect(stuck && intentIdOf(stuck)).toBe(`${stuckGroup}1`);
      expect(others.map(intentIdOf)).toEqual([
        `${otherGroup}1`,
        `${otherGroup}2`,
      ]);
      expect(whileStuck).toEqual([]);
      expect(rest.map(intentIdOf)).toEqual([`${stuckGroup}2`]);
    });

    it('drops a second send with the same dedupId, even after an ack', async () => {
      // Prepare
      const opts = { groupId: GROUP_A, dedupId: 'job-1' };
      await ctx.bus.send(intent('first'), opts);
      await ctx.bus.send(intent('second'), opts);
      // Act
      const received = await drain(ctx.consumer, 2);
      await ctx.bus.send(intent('third'), opts);
      await ctx.bus.sendBatch([
        { message: intent('fourth'), ...opts },
        { message: intent('fifth'), groupId: GROUP_B, dedupId: 'job-2' },
        { message: intent('sixth'), groupId: GROUP_B, dedupId: 'job-2' },
      ]);
      const later = await drain(ctx.consumer, 2);
      // Assess
      expect(received.map(intentIdOf)).toEqual(['first']);
      expect(later.map(intentIdOf)).toEqual(['fifth']);
    });

    it('redelivers an unacked message after its visibility timeout', async () => {
      // Prepare
      await ctx.bus.send(intent('v1'), { groupId: GROUP_A, dedupId: 'v1' });
      const [first] = await ctx.consumer.receive(1, ctx.visibilityMs);
      const hidden = await ctx.consumer.receive(10);
      // Act
      await ctx.elapse(ctx.visibilityMs + 250);
      const [again] = await ctx.consumer.receive(1, 30_000);
      await ctx.consumer.ack(first?.receipt ?? '');
      await ctx.consumer.nack(first?.receipt ?? '');
      const afterStale = await ctx.consumer.receive(10);
      await ctx.consumer.ack(again?.receipt ?? '');
      // Assess
      expect(hidden).toEqual([]);
      expect(first?.receiveCount).toBe(1);
      expect(again?.messageId).toBe(first?.messageId);
      expect(again?.receiveCount).toBe(2);
      expect(again?.receipt).not.toBe(first?.receipt);
      expect(afterStale).toEqual([]);
      expect(await ctx.consumer.receive(10)).toEqual([]);
    });

    it('hands a nacked message back at once, in front of its group', async () => {
      // Prepare
      await ctx.bus.send(intent('n1'), { groupId: GROUP_A, dedupId: 'n1' });
      await ctx.bus.send(intent('n2'), { groupId: GROUP_A, dedupId: 'n2' });
      const [first] = await ctx.consumer.receive(1);
      // Act
      await ctx.consumer.nack(first?.receipt ?? '');
      const received = await drain(ctx.consumer, 2);
      // Assess
      expect(received.map(intentIdOf)).toEqual(['n1', 'n2']);
      expect(received.map((m) => m.receiveCount)).toEqual([2, 1]);
    });

    it('dead-letters a message after maxReceives and unblocks its group', async () => {
      // Prepare
      await ctx.bus.send(intent('d1'), { groupId: GROUP_A, dedupId: 'd1' });
      await ctx.bus.send(intent('d2'), { groupId: GROUP_A, dedupId: 'd2' });
      const counts: number[] = [];
      let poisonId = '';
      for (let attempt = 0; attempt < ctx.maxReceives; attempt++) {
        const [poison] = await ctx.consumer.receive(1);
        counts.push(poison?.receiveCount ?? 0);
        poisonId = poison?.messageId ?? '';
        await ctx.consumer.nack(poison?.receipt ?? '');
      }
      // Act
      const next = await drain(ctx.consumer, 1);
      const dead = await ctx.consumer.deadLetters();
      // Assess
      expect(counts).toEqual(
        Array.from({ length: ctx.maxReceives }, (_, i) => i + 1),
      );
      expect(next.map(intentIdOf)).toEqual(['d2']);
      expect(dead).toHaveLength(1);
      expect(dead[0]?.messageId).toBe(poisonId);
      expect(dead[0]?.groupId).toBe(GROUP_A);
      expect(parseBusMessage(dead[0]?.body ?? '')).toEqual(intent('d1'));
      expect(dead[0]?.receiveCount).toBeGreaterThanOrEqual(ctx.maxReceives);
    });

    it('sends a batch of more than 10 entries, each group in order', async () => {
      // Prepare
      const groups = [GROUP_A, GROUP_B, 'tenant-c:o/r:main'];
      const entries: BusEntry[] = Array.from({ length: 23 }, (_, i) => ({
        message: intent(`m${i}`),
        groupId: groups[i % 3] ?? GROUP_A,
        dedupId: `batch-${i}`,
      }));
      // Act
      await ctx.bus.sendBatch(entries);
      const received = await drain(ctx.consumer, entries.length);
      // Assess
      expect(new Set(received.map((m) => m.messageId)).size).toBe(23);
      for (const group of groups) {
        const sent = entries.filter((e) => e.groupId === group);
        const got = received.filter((m) => m.groupId === group);
        expect(got.map(intentIdOf)).toEqual(
          sent.map((e) =>
            e.message.kind === 'validate-intent' ? e.message.intentId : '',
          ),
        );
      }
    });

    it('round-trips every message kind through the zod schema', async () => {
      // Prepare
      const branch: BusMessage = {
        kind: 'process-branch',
        tenantId: null,
        repo: 'o/r',
        target: 'main',
      };
      const messages: BusMessage[] = [
        { kind: 'validate-intent', intentId: 'i1', traceId: 'tr-1' },
        branch,
        { kind: 'publish-outbox', outboxId: 'ob-1' },
        {
          kind: 'github-event',
          deliveryId: 'dl-1',
          name: 'pull_request',
          payload: { action: 'opened', number: 7, nested: { ok: true } },
        },
        {
          kind: 'github-event',
          deliveryId: 'dl-2',
          name: 'push',
          payloadKey: 'k/1',
        },
      ];
      // Act
      for (const [i, message] of messages.entries()) {
        const groupId = groupIdOf(message) ?? `g${i}`;
        await ctx.bus.send(message, { groupId, dedupId: `kind-${i}` });
      }
      const received = await drain(ctx.consumer, messages.length);
      // Assess
      expect(groupIdOf(branch)).toBe('-:o/r:main');
      expect(received.map((m) => parseBusMessage(m.body))).toEqual(
        expect.arrayContaining(messages),
      );
      expect(received).toHaveLength(messages.length);
    });

    it('sends a RawJson payload as its text, received as the parsed value', async () => {
      // Prepare: the text of a signed body, spacing and key order as sent
      const text =
        ' {"action":"opened",\n "number":7, "title":"a \\"b\\" \\u00e9"} ';
      // Act
      await ctx.bus.send(
        {
          kind: 'github-event',
          deliveryId: 'dl-raw',
          name: 'pull_request',
          payload: new RawJson(text),
        },
        { groupId: 'o/r', dedupId: 'raw-1' },
      );
      const [received] = await drain(ctx.consumer, 1);
      // Assess
      expect(parseBusMessage(received?.body ?? '')).toEqual({
        kind: 'github-event',
        deliveryId: 'dl-raw',
        name: 'pull_request',
        payload: JSON.parse(text),
      });
    });

    it('carries an invalid body that the zod schema then rejects', async () => {
      // Prepare
      const invalid = { kind: 'process-branch', tenantId: 't1', repo: 7 };
      // Act
      await ctx.bus.send(invalid as unknown as BusMessage, {
        groupId: GROUP_A,
        dedupId: 'bad-1',
      });
      const [received] = await drain(ctx.consumer, 1);
      // Assess
      let error: unknown;
      try {
        parseBusMessage(received?.body ?? '');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error instanceof ValidationError && error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'repo' }),
          expect.objectContaining({ path: 'target' }),
        ]),
      );
    });

    it('rejects bad ids and oversized bodies with ValidationError, sending nothing', async () => {
      // Prepare
      const big: BusMessage = {
        kind: 'github-event',
        deliveryId: 'dl-big',
        name: 'push',
        payload: 'x'.repeat(300 * 1024),
      };
      const ok = { message: intent('ok'), groupId: GROUP_A, dedupId: 'ok' };
      // Act
      const attempts = [
        () => ctx.bus.send(intent('x'), { groupId: '', dedupId: 'x' }),
        () => ctx.bus.send(intent('x'), { groupId: GROUP_A, dedupId: 'a b' }),
        () =>
          ctx.bus.send(intent('x'), { groupId: 'g'.repeat(129), dedupId: 'x' }),
        () => ctx.bus.send(big, { groupId: GROUP_A, dedupId: 'big' }),
        () =>
          ctx.bus.sendBatch([
            ok,
            { message: big, groupId: GROUP_A, dedupId: 'b' },
          ]),
      ];
      // Assess
      for (const attempt of attempts) {
        await expect(attempt()).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await ctx.consumer.receive(10)).toEqual([]);
    });

    it('rejects receive and nack arguments outside the SQS limits', async () => {
      // Act + Assess
      await expect(ctx.consumer.receive(0)).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(ctx.consumer.receive(11)).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(ctx.consumer.receive(1, -1)).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(ctx.consumer.nack('r', -5)).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('has no dead letters on a fresh queue', async () => {
      expect(await ctx.consumer.deadLetters()).toEqual([]);
    });
  });
}
