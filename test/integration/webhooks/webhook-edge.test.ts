import { sign } from '@octokit/webhooks-methods';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../shared/domain/errors.js';
import { INLINE_PAYLOAD_BYTES } from '../../../shared/http/github-claim-check.js';
import { MAX_BODY_BYTES } from '../../../shared/http/request-input.js';
import type { Bus } from '../../../shared/ports/bus.js';
import {
  examplePayload,
  openWebhookStack,
  SECRET,
  type WebhookStack,
} from './webhook-harness.js';

const HEADERS = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'];

async function received(stack: WebhookStack): Promise<number> {
  return stack.store.events.count({ type: 'webhook.received' });
}

describe('POST /v1/integrations/github/webhook (edge)', () => {
  let stack: WebhookStack;

  afterEach(async () => {
    await stack.close();
  });

  it('answers 202 with the delivery id and enqueues one github-event', async () => {
    // Prepare
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    // Act
    const reply = await stack.deliver('pull_request', payload, {
      deliveryId: 'd-1',
    });
    // Assess
    expect(reply).toEqual({
      status: 202,
      json: { accepted: true, delivery_id: 'd-1' },
    });
    const taken = await stack.drain([]);
    expect(taken).toHaveLength(1);
    expect(taken[0]?.groupId).toBe('Codertocat/Hello-World');
    expect(taken[0]?.message).toEqual({
      kind: 'github-event',
      deliveryId: 'd-1',
      name: 'pull_request',
      payload,
    });
    const [event] = (
      await stack.store.events.query({ type: 'webhook.received' })
    ).items;
    expect(event?.tenantId).toBe('Codertocat');
    expect(event?.payload).toMatchObject({
      delivery_id: 'd-1',
      event: 'pull_request',
      action: 'opened',
      repo: 'Codertocat/Hello-World',
      claim_check: false,
    });
  });

  it('answers 401 to a bad signature and records nothing', async () => {
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    const wrong = await sign('another secret', JSON.stringify(payload));
    const reply = await stack.deliver('pull_request', payload, {
      deliveryId: 'd-bad',
      signature: wrong,
    });
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({ code: 'unauthorized' });
    const garbled = await stack.deliver('pull_request', payload, {
      signature: 'sha256=zz',
    });
    expect(garbled.status).toBe(401);
    expect(await received(stack)).toBe(0);
    expect(await stack.store.deliveries.isClaimed('d-bad')).toBe(false);
    expect(await stack.drain([])).toEqual([]);
  });

  it('answers 401 when the body was changed after signing', async () => {
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    const signature = await sign(SECRET, JSON.stringify(payload));
    payload.pull_request.title = 'tampered';
    const reply = await stack.deliver('pull_request', payload, { signature });
    expect(reply.status).toBe(401);
  });

  it.each(HEADERS)('answers 400 when %s is missing', async (header) => {
    stack = await openWebhookStack();
    const reply = await stack.deliver(
      'pull_request',
      examplePayload('pull_request', 'opened'),
      { omit: [header] },
    );
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ path: `headers.${header}` })],
    });
    expect(await received(stack)).toBe(0);
  });

  it('answers 403 when no secret is configured', async () => {
    stack = await openWebhookStack({ secret: null });
    const reply = await stack.deliver(
      'pull_request',
      examplePayload('pull_request', 'opened'),
    );
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ code: 'forbidden' });
    expect(await received(stack)).toBe(0);
  });

  it('answers 413 to a body over 1 MiB, before checking anything else', async () => {
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    payload.pull_request.body = 'x'.repeat(MAX_BODY_BYTES);
    const reply = await stack.deliver('pull_request', payload);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({ code: 'payload_too_large' });
    expect(await received(stack)).toBe(0);
  });

  it('answers 400 to a signed body that is not JSON', async () => {
    stack = await openWebhookStack();
    const reply = await stack.deliver('push', null, { body: 'not json' });
    expect(reply.status).toBe(400);
    expect(await received(stack)).toBe(0);
  });

  it('answers {duplicate: true} to a replayed delivery: one event, one message', async () => {
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    const first = await stack.deliver('pull_request', payload, {
      deliveryId: 'd-2',
    });
    const replay = await stack.deliver('pull_request', payload, {
      deliveryId: 'd-2',
    });
    expect(first.status).toBe(202);
    expect(replay).toEqual({ status: 200, json: { duplicate: true } });
    expect(await received(stack)).toBe(1);
    expect(await stack.drain([])).toHaveLength(1);
  });

  it('answers 503 and claims nothing when the bus fails; the retry is accepted', async () => {
    let failing = true;
    const flaky: Bus = {
      send: async (message, opts) => {
        if (failing) throw new TransientError('queue down');
        await stack.bus.send(message, opts);
      },
      sendBatch: async (entries) => stack.bus.sendBatch(entries),
    };
    stack = await openWebhookStack({ sendBus: flaky });
    const payload = examplePayload('push');
    const down = await stack.deliver('push', payload, { deliveryId: 'd-3' });
    expect(down.status).toBe(503);
    expect(await stack.store.deliveries.isClaimed('d-3')).toBe(false);
    failing = false;
    const retry = await stack.deliver('push', payload, { deliveryId: 'd-3' });
    expect(retry.status).toBe(202);
    expect(await stack.store.deliveries.isClaimed('d-3')).toBe(true);
    expect(await received(stack)).toBe(1);
    expect(await stack.drain([])).toHaveLength(1);
  });

  it('stores a payload over the inline limit behind a claim check', async () => {
    // Prepare
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    payload.pull_request.body = 'a long description. '.repeat(
      Math.ceil(INLINE_PAYLOAD_BYTES / 10),
    );
    // Act
    const reply = await stack.deliver('pull_request', payload, {
      deliveryId: 'd-big',
    });
    const taken = await stack.drain([]);
    // Assess
    expect(reply.status).toBe(202);
    expect(taken[0]?.message).toEqual({
      kind: 'github-event',
      deliveryId: 'd-big',
      name: 'pull_request',
      payloadKey: 'trace-gh-d-big',
    });
  });

  it('processes a claim-checked payload like an inline one', async () => {
    stack = await openWebhookStack();
    const payload = examplePayload('pull_request', 'opened');
    payload.pull_request.body = 'a long description. '.repeat(
      Math.ceil(INLINE_PAYLOAD_BYTES / 10),
    );
    await stack.deliver('pull_request', payload, { deliveryId: 'd-big-2' });
    const sent = await stack.drain(['github-event']);
    const intent = await stack.store.intents.get('Codertocat/Hello-World:pr-2');
    expect(intent?.semantic.problem_statement).toBe(payload.pull_request.title);
    expect(sent.map((t) => t.message.kind)).toEqual(['validate-intent']);
  });
});
