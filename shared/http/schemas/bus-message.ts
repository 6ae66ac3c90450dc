/**
 * Edge schema of the bus (HOUSE_STYLE §7.7): every SQS or memory-bus body is
 * parsed with it before a handler sees the message. Our own messages are
 * strict; a GitHub payload stays `unknown` here and is parsed loosely by the
 * event handlers that read it.
 */
import * as z from 'zod';
import { ValidationError } from '../../domain/errors.js';
import type { BusMessage } from '../../ports/bus.js';

const id = z.string().min(1);

const ValidateIntent = z.strictObject({
  kind: z.literal('validate-intent'),
  intentId: id,
  traceId: id.exactOptional(),
});

const ProcessBranch = z.strictObject({
  kind: z.literal('process-branch'),
  tenantId: id.nullable(),
  repo: id,
  target: id,
});

const PublishOutbox = z.strictObject({
  kind: z.literal('publish-outbox'),
  outboxId: id,
});

const GithubEvent = z
  .strictObject({
    kind: z.literal('github-event'),
    deliveryId: id,
    name: id,
    payload: z.unknown().exactOptional(),
    payloadKey: id.exactOptional(),
  })
  .refine((m) => (m.payload === undefined) !== (m.payloadKey === undefined), {
    message: 'exactly one of payload and payloadKey is required',
    path: ['payload'],
  });

/**
 * Schema of {@link BusMessage}, discriminated by `kind`.
 * @example
 * ```ts
 * const result = BusMessageSchema.safeParse(JSON.parse(record.body));
 * ```
 */
export const BusMessageSchema = z.discriminatedUnion('kind', [
  ValidateIntent,
  ProcessBranch,
  PublishOutbox,
  GithubEvent,
]) satisfies z.ZodType<BusMessage>;

/**
 * Parses a raw bus body (JSON text) into a {@link BusMessage}.
 * @throws {ValidationError} not JSON, or not a valid message; `details`
 *   lists each issue as `{ path: 'a.b', message }`.
 * @example
 * ```ts
 * const message = parseBusMessage(received.body);
 * if (message.kind === 'process-branch') await processBranch(deps, message);
 * ```
 */
export function parseBusMessage(body: string): BusMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ValidationError('Bus message is not JSON', [
      { path: '', message: 'invalid JSON' },
    ]);
  }
  const result = BusMessageSchema.safeParse(json);
  if (!result.success) {
    throw new ValidationError(
      'Invalid bus message',
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}
