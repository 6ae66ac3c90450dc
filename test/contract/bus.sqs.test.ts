import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll } from 'vitest';
import { SqsBus, SqsConsumer } from '../../shared/adapters/sqs/sqs-bus.js';
import { describeBusContract } from './bus.contract.js';

const MAX_RECEIVES = 2;

// fauxqs's startFauxqs() listens on 0.0.0.0; its buildApp() lets the test
// bind the loopback interface only. Every request goes to 127.0.0.1.
let app: ReturnType<typeof buildApp>;
let client: SQSClient;

beforeAll(async () => {
  app = buildApp({ logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  client = new SQSClient({
    endpoint: address,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await app?.close();
});

async function createQueue(
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { FifoQueue: 'true', ...attributes },
    }),
  );
  if (!QueueUrl) throw new Error(`no url for ${name}`);
  return QueueUrl;
}

describeBusContract('sqs (fauxqs)', async () => {
  const name = `bus-${randomUUID().slice(0, 12)}`;
  const dlqUrl = await createQueue(`${name}-dlq.fifo`, {});
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlqUrl,
      AttributeNames: ['QueueArn'],
    }),
  );
  const queueUrl = await createQueue(`${name}.fifo`, {
    VisibilityTimeout: '30',
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: MAX_RECEIVES,
    }),
  });
  return {
    bus: new SqsBus({ client, queueUrl }),
    consumer: new SqsConsumer({ client, queueUrl }),
    maxReceives: MAX_RECEIVES,
    visibilityMs: 1_000,
    elapse: (ms) => sleep(ms),
    close: async () => {
      await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      await client.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    },
  };
});
