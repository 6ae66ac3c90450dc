import { afterEach, describe, expect, it } from 'vitest';
import type { Intent } from '../../../shared/domain/intent.js';
import {
  type LocalBusWorker,
  startLocalBusWorker,
} from '../../../shared/runtime/local-bus.js';
import {
  examplePayload,
  openWebhookStack,
  type WebhookStack,
} from './webhook-harness.js';

const PR = 'Codertocat/Hello-World:pr-2';

async function waitFor(
  read: () => Promise<Intent | null>,
  done: (intent: Intent | null) => boolean,
  timeoutMs = 20_000,
): Promise<Intent | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const intent = await read();
    if (done(intent) || Date.now() > until) return intent;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a pull request, end to end on a real git repository', () => {
  let stack: WebhookStack;
  let worker: LocalBusWorker | undefined;

  afterEach(async () => {
    await worker?.stop();
    await stack.close();
  });

  it('is validated by the bus worker without anyone asking (DECISIONS 3)', async () => {
    // Prepare: branches named as in the payload (head `changes`, base `master`)
    stack = await openWebhookStack({ env: { CONVERGE_SKIP_CHECKS: '0' } });
    const { repo } = stack;
    repo.commit({ Makefile: 'lint:\n\t@true\ntest:\n\t@true\n' }, 'checks');
    repo.git('branch', 'master', 'main');
    const head = repo.branch(
      'changes',
      { 'README.md': '# Hello\n\nNew information.\n' },
      'master',
    );
    const payload = examplePayload('pull_request', 'opened');
    payload.pull_request.head.sha = head;
    worker = startLocalBusWorker(stack.deps, { bus: stack.bus });
    // Act
    const reply = await stack.deliver('pull_request', payload, {
      deliveryId: 'e2e-1',
    });
    const intent = await waitFor(
      () => stack.store.intents.get(PR),
      (i) => i?.status === 'VALIDATED',
    );
    // Assess
    expect(reply.status).toBe(202);
    const all = await stack.store.events.query({}, { limit: 50 });
    const seen = all.items.map((e) => `${e.type} ${JSON.stringify(e.payload)}`);
    expect(intent?.status, seen.join('\n')).toBe('VALIDATED');
    expect(intent).toMatchObject({
      status: 'VALIDATED',
      source: 'changes',
      target: 'master',
      technical: { head_sha: head, initial_base_commit: head },
    });
    const trace = await stack.store.events.query({ traceId: 'trace-gh-e2e-1' });
    const types = trace.items.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'webhook.received',
        'intent.created',
        'simulation.completed',
        'check.completed',
        'intent.validated',
      ]),
    );
    const [simulation] = trace.items.filter(
      (e) => e.type === 'simulation.completed',
    );
    expect(simulation?.payload).toMatchObject({ mergeable: true });
    expect(await stack.bus.deadLetters()).toEqual([]);
  });
});
