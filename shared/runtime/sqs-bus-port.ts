import { SqsBus } from '../adapters/sqs/sqs-bus.js';
import type { Bus } from '../ports/bus.js';

/**
 * The SQS FIFO bus of a function that sends to the queue
 * (`CloudPorts.bus`). The SDK client and the adapter are built on the first
 * send, not at module init nor with the deps: most requests send nothing.
 * The adapter is imported statically so that the bundle keeps only
 * `SqsBus` (a dynamic import would keep every export of the module).
 * @example
 * useCloudPorts({ bus: sqsBus });
 */
export function sqsBus(queueUrl: string): Bus {
  let bus: Promise<Bus> | undefined;
  const open = (): Promise<Bus> => {
    bus ??= import('@aws-sdk/client-sqs').then(
      ({ SQSClient }) => new SqsBus({ client: new SQSClient({}), queueUrl }),
    );
    return bus;
  };
  return {
    send: async (message, opts) => (await open()).send(message, opts),
    sendBatch: async (entries) => (await open()).sendBatch(entries),
  };
}
