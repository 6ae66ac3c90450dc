/**
 * Bus port (ARCHITECTURE "Ports and adapters": Bus). SQS FIFO semantics: a
 * message group is delivered in order, groups run in parallel, a send is
 * deduplicated by its id for 5 minutes, and a message that keeps failing ends
 * in a dead-letter queue. The deployed service uses SQS; the local stack uses
 * the in-process memory bus with the same semantics (one contract suite).
 */
import { ValidationError } from '../domain/errors.js';

/** Asks the engine to validate one intent. */
export interface ValidateIntentMessage {
  kind: 'validate-intent';
  intentId: string;
  traceId?: string;
}

/** Asks the queue processor to work one target branch of one repository. */
export interface ProcessBranchMessage {
  kind: 'process-branch';
  tenantId: string | null;
  repo: string;
  target: string;
}

/** Asks the publisher to deliver one outbox entry. */
export interface PublishOutboxMessage {
  kind: 'publish-outbox';
  outboxId: string;
}

/**
 * A verified GitHub webhook delivery. Exactly one of `payload` (inline) and
 * `payloadKey` (claim check: the payload was stored because it is larger than
 * {@link MAX_BODY_BYTES}) is set.
 */
export interface GithubEventMessage {
  kind: 'github-event';
  deliveryId: string;
  /** The `x-github-event` header, e.g. `pull_request`. */
  name: string;
  /** The payload; a {@link RawJson} is sent as the text it holds. */
  payload?: unknown;
  payloadKey?: string;
}

/**
 * JSON text already known to be valid (a webhook body that parsed), put in
 * a message body as it is instead of being parsed and serialized again.
 * A consumer reads the message back as if the parsed value had been sent.
 * @example
 * { kind: 'github-event', deliveryId, name, payload: new RawJson(rawBody) }
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The message as JSON text, a {@link RawJson} payload spliced in as is. */
function serialize(message: BusMessage): string {
  if (message.kind !== 'github-event' || !(message.payload instanceof RawJson))
    return JSON.stringify(message);
  const { payload, ...rest } = message;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)},"payload":${payload.text}}`;
}

/** Every message the bus carries, discriminated by `kind`. */
export type BusMessage =
  | ValidateIntentMessage
  | ProcessBranchMessage
  | PublishOutboxMessage
  | GithubEventMessage;

/** Where a message goes: its FIFO group and its deduplication id. */
export interface SendOptions {
  /** Messages of one group are delivered in send order, one at a time. */
  groupId: string;
  /** A second send with the same id within 5 minutes is dropped. */
  dedupId: string;
}

/** One entry of {@link Bus.sendBatch}. */
export interface BusEntry extends SendOptions {
  message: BusMessage;
}

/**
 * The producer side of the bus.
 *
 * @example
 * ```ts
 * const message: ProcessBranchMessage = {
 *   kind: 'process-branch', tenantId: 't1', repo: 'o/r', target: 'main',
 * };
 * await bus.send(message, { groupId: groupIdOf(message), dedupId: 'job-42' });
 * ```
 */
export interface Bus {
  /**
   * Enqueues one message (JSON body). A duplicate `dedupId` within the
   * window succeeds and enqueues nothing.
   * @throws {ValidationError} bad group or dedup id, body over MAX_BODY_BYTES.
   * @throws {TransientError} the queue throttles or fails for now; retrying
   *   with the same dedupId is safe.
   */
  send(message: BusMessage, opts: SendOptions): Promise<void>;
  /**
   * Enqueues many messages (chunked as the queue requires). Not atomic: on a
   * failure some entries may be enqueued; retrying the whole call is safe
   * because every entry carries its dedupId.
   * @throws {ValidationError} as `send`, before anything is sent.
   * @throws {TransientError} as `send`, or some entries failed (ids named).
   */
  sendBatch(entries: readonly BusEntry[]): Promise<void>;
}

/** A message as the queue last delivered it, without a receipt. */
export interface DeliveredMessage {
  /** Assigned by the queue; stable across redeliveries and the DLQ. */
  messageId: string;
  groupId: string;
  /** The raw JSON body; parse it with `parseBusMessage` (shared/http). */
  body: string;
  /** How many times the message was received, this delivery included. */
  receiveCount: number;
}

/** A received, in-flight message; `receipt` settles this delivery only. */
export interface ReceivedMessage extends DeliveredMessage {
  /** Opaque; stale after the visibility timeout ran out. */
  receipt: string;
}

/**
 * The consumer side of the bus, used by the local worker, tests and tools
 * (in AWS, Lambda's SQS event source receives instead).
 *
 * Invariants: a message stays invisible while in flight (until acked,
 * nacked or its visibility timeout runs out); while a message of a group is
 * in flight, later messages of that group are not delivered; a message
 * received `maxReceives` times and still not acked goes to the dead letters
 * on the next receive attempt, and its group moves on. The memory bus (and
 * fauxqs) return at most one message per group per receive; real SQS may
 * return a group's consecutive messages together, in order, so a consumer
 * handles one group's messages of a batch one after the other.
 *
 * @example
 * ```ts
 * for (const received of await consumer.receive(10, 30_000)) {
 *   try {
 *     await handle(parseBusMessage(received.body));
 *     await consumer.ack(received.receipt);
 *   } catch {
 *     await consumer.nack(received.receipt, 1_000);
 *   }
 * }
 * ```
 */
export interface BusConsumer {
  /**
   * Up to `max` visible messages (never waits long), each now in flight for
   * `visibilityMs` (default: the queue's; SQS rounds up to whole seconds).
   * @throws {ValidationError} `max` outside 1..10 or a bad visibilityMs.
   * @throws {TransientError} the queue throttles or fails for now.
   */
  receive(max: number, visibilityMs?: number): Promise<ReceivedMessage[]>;
  /** Deletes the message; a stale or unknown receipt is a no-op. */
  ack(receipt: string): Promise<void>;
  /**
   * Hands the message back, visible again after `delayMs` (default 0; the
   * group stays blocked meanwhile). A stale or unknown receipt is a no-op.
   */
  nack(receipt: string, delayMs?: number): Promise<void>;
  /**
   * The messages parked in the dead-letter queue, left there. On SQS this
   * is a best-effort peek of the redrive target.
   */
  deadLetters(): Promise<DeliveredMessage[]>;
}

/** The body limit both adapters enforce; bigger payloads use a claim check. */
export const MAX_BODY_BYTES = 256 * 1024;
/** The SQS limit on messages per receive and per batch. */
export const MAX_BATCH = 10;
/** How long a dedupId is remembered (the SQS FIFO window). */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** The longest visibility timeout SQS accepts (12 h). */
export const MAX_VISIBILITY_MS = 12 * 60 * 60 * 1000;

/** The FIFO group of a target branch: `tenant:repo:target` (`-` if none). */
export function branchGroupId(branch: {
  tenantId: string | null;
  repo: string;
  target: string;
}): string {
  return `${branch.tenantId ?? '-'}:${branch.repo}:${branch.target}`;
}

/**
 * The natural group of a message: process-branch messages are grouped by
 * their branch; the other kinds carry no branch, so their sender chooses the
 * group explicitly (`undefined` here).
 */
export function groupIdOf(message: ProcessBranchMessage): string;
export function groupIdOf(message: BusMessage): string | undefined;
export function groupIdOf(message: BusMessage): string | undefined {
  return message.kind === 'process-branch' ? branchGroupId(message) : undefined;
}

// SQS: 1-128 characters, alphanumeric and punctuation
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
const SQS_ID = /^[\x21-\x7e]{1,128}$/;
// JSON.stringify escapes control characters and lone surrogates, but not the
// two noncharacters SQS refuses.
const SQS_REFUSED_CHARS = /[\ufffe\uffff]/;

/**
 * Serialises a message for the bus, enforcing the limits both adapters
 * share so they reject the same sends.
 * @throws {ValidationError} bad ids, refused characters, body too large.
 */
export function encodeBusMessage(
  message: BusMessage,
  opts: SendOptions,
): string {
  const issues: { path: string; message: string }[] = [];
  if (!SQS_ID.test(opts.groupId)) {
    issues.push({ path: 'groupId', message: 'must be 1-128 printable ASCII' });
  }
  if (!SQS_ID.test(opts.dedupId)) {
    issues.push({ path: 'dedupId', message: 'must be 1-128 printable ASCII' });
  }
  const body = serialize(message);
  if (SQS_REFUSED_CHARS.test(body)) {
    issues.push({ path: 'message', message: 'contains U+FFFE or U+FFFF' });
  }
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    issues.push({ path: 'message', message: 'body over MAX_BODY_BYTES' });
  }
  if (issues.length > 0) {
    throw new ValidationError('Invalid bus message', issues);
  }
  return body;
}

/**
 * Checks the arguments of {@link BusConsumer.receive}.
 * @throws {ValidationError} `max` outside 1..10 or a bad visibilityMs.
 */
export function checkReceive(max: number, visibilityMs?: number): void {
  if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH) {
    throw new ValidationError('Invalid receive', [
      { path: 'max', message: `must be an integer in 1..${MAX_BATCH}` },
    ]);
  }
  if (visibilityMs !== undefined) checkDuration('visibilityMs', visibilityMs);
}

/**
 * Checks a visibility or retry delay in milliseconds (0..12 h).
 * @throws {ValidationError} outside that range or not a number.
 */
export function checkDuration(path: string, ms: number): void {
  if (!(ms >= 0 && ms <= MAX_VISIBILITY_MS)) {
    throw new ValidationError('Invalid duration', [
      { path, message: `must be in 0..${MAX_VISIBILITY_MS}` },
    ]);
  }
}
