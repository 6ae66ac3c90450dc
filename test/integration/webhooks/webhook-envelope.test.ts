import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomIds } from '../../../shared/adapters/ids/random-ids.js';
import { MemoryBus } from '../../../shared/adapters/memory-bus/memory-bus.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { webhookEventId } from '../../../shared/domain/github/accept-delivery.js';
import { acceptGithubWebhook } from '../../../shared/http/github-webhook.js';
import { parseBusMessage } from '../../../shared/http/schemas/bus-message.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { TestClock } from '../../support/test-clock.js';

describe('acceptGithubWebhook: the envelope of webhook.received', () => {
  let store: SqliteStore;
  let bus: MemoryBus;
  let deps: Deps;

  beforeEach(() => {
    const clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    bus = new MemoryBus({ clock, maxReceives: 5 });
    // The edge needs only these; the rest of Deps is not read.
    deps = { store, clock, ids: randomIds, bus } as unknown as Deps;
  });

  afterEach(async () => {
    await store.close();
  });

  const accept = async (deliveryId: string, payload: unknown, indent = 0) => {
    const rawBody = JSON.stringify(payload, null, indent);
    await acceptGithubWebhook(deps, { deliveryId, name: 'push', rawBody });
    const page = await store.events.query({ type: 'webhook.received' });
    const event = page.items.find((e) => e.id === webhookEventId(deliveryId));
    return { event, rawBody };
  };

  it('reads repository, owner and installation, and counts the bytes GitHub sent', async () => {
    // Act
    const { event, rawBody } = await accept(
      'd-1',
      {
        action: 'created',
        repository: {
          full_name: 'octo/repo',
          owner: { login: 'octo', id: 1 },
          private: false,
        },
        installation: { id: 42, account: { login: 'octo-org' } },
        sender: { login: 'someone' },
      },
      2,
    );
    // Assess
    expect(event?.tenantId).toBe('octo');
    expect(event?.payload).toMatchObject({
      action: 'created',
      repo: 'octo/repo',
      installation_id: 42,
      payload_bytes: Buffer.byteLength(rawBody),
    });
    const [received] = await bus.receive(1);
    const message = parseBusMessage(received?.body ?? '');
    expect(message).toMatchObject({
      kind: 'github-event',
      payload: { sender: { login: 'someone' } },
    });
  });

  it('takes the tenant from the installation account without a repository', async () => {
    const { event } = await accept('d-2', {
      action: 'deleted',
      installation: { id: 7, account: { login: 'acme' } },
    });
    expect(event?.tenantId).toBe('acme');
    expect(event?.payload).toMatchObject({ repo: null, installation_id: 7 });
  });

  it('ignores an envelope that does not fit the schema, as a whole', async () => {
    // A repository without an owner: nothing of the envelope is trusted.
    const { event } = await accept('d-3', {
      action: 'opened',
      repository: { full_name: 'octo/repo' },
      installation: { id: 9 },
    });
    expect(event?.tenantId).toBeNull();
    expect(event?.payload).toMatchObject({
      action: null,
      repo: null,
      installation_id: null,
    });
  });
});
