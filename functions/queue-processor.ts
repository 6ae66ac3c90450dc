/**
 * The SQS FIFO queue processor (HOUSE_STYLE §7.9): one Lambda consuming the
 * bus with partial batch responses. `skipGroupOnError` fails a record and
 * every later record of its group (FIFO order is kept), while other groups
 * (other branches) go on.
 */
import {
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type {
  Context,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { handleBusRecord } from '../shared/http/bus-record.js';
import {
  type Observability,
  observability,
  observed,
} from '../shared/http/lambda-stack.js';
import { type Deps, getDeps, useCloudPorts } from '../shared/runtime/deps.js';
import { githubCloudPorts } from '../shared/runtime/github-ports.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

export { dispatchBusMessage } from '../shared/http/bus-dispatch.js';

/** Options of `queueProcessorHandler` (tests inject deps and observability). */
export interface QueueProcessorOptions extends Partial<Observability> {
  deps?: () => Promise<Deps>;
}

/**
 * Builds the queue processor: each record goes through `handleBusRecord`
 * (parse, idempotency claim by message id, dispatch; permanent errors are
 * acknowledged as poison, transient ones thrown so the record is retried).
 * @example
 * export const handler = queueProcessorHandler();
 */
export function queueProcessorHandler(options: QueueProcessorOptions = {}) {
  const obs = observability(options);
  const loadDeps = options.deps ?? getDeps;
  const processor = new SqsFifoPartialProcessorAsync();
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const deps = await loadDeps();
    await handleBusRecord(
      deps,
      { messageId: record.messageId, body: record.body },
      obs,
    );
  };
  return observed(
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, recordHandler, processor, {
        context,
        skipGroupOnError: true,
      }),
    obs,
  );
}

/** Lambda entry of the queue processor (SQS event source, FIFO queue). */
export const handler = queueProcessorHandler();

// Lambda: GitHub (App private key) and the SQS bus; built on first use.
useCloudPorts({ github: githubCloudPorts, bus: sqsBus });
