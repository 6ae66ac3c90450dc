/**
 * The claim check of oversized GitHub payloads. A bus message holds at most
 * 256 KB (SQS), a webhook up to 1 MiB. A payload over
 * {@link INLINE_PAYLOAD_BYTES} is stored instead, gzip-compressed and
 * base64-encoded, as the evidence of its delivery's `webhook.received`
 * event; the message carries that event's trace id as `payloadKey`.
 *
 * Why the event log: it is already written once per delivery, it is
 * queryable by trace id on every store adapter, and it needs no new table
 * or bucket. Compression keeps the item under DynamoDB's 400 KB item limit
 * (GitHub JSON compresses about 5-10x); a payload that still does not fit
 * is refused with 413.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../domain/errors.js';
import type { JsonObject } from '../domain/intent.js';
import type { Store } from '../ports/store.js';

/** Payloads above this many bytes (JSON) go through the claim check. */
export const INLINE_PAYLOAD_BYTES = 200 * 1024;
/** Largest stored (compressed, base64) payload: fits a DynamoDB item. */
export const MAX_STORED_PAYLOAD_CHARS = 300 * 1024;

const ENCODING = 'gzip+base64';

/**
 * The evidence that stores `rawBody` (the exact bytes GitHub signed).
 * @throws PayloadTooLargeError when even compressed it does not fit.
 */
export function storedPayloadOf(rawBody: string): JsonObject {
  const data = gzipSync(Buffer.from(rawBody, 'utf8')).toString('base64');
  if (data.length > MAX_STORED_PAYLOAD_CHARS) {
    throw new PayloadTooLargeError(
      `Webhook payload compresses to ${data.length} characters; the limit is ${MAX_STORED_PAYLOAD_CHARS}`,
    );
  }
  return { payload_encoding: ENCODING, payload_data: data };
}

/**
 * The payload a claim check points to.
 * @throws NotFoundError when nothing is stored under `payloadKey`;
 *   ValidationError when what is stored cannot be decoded.
 */
export async function loadStoredPayload(
  store: Pick<Store, 'events'>,
  payloadKey: string,
): Promise<unknown> {
  const page = await store.events.query(
    { traceId: payloadKey, type: 'webhook.received' },
    { limit: 1 },
  );
  const evidence = page.items[0]?.evidence;
  const data = evidence?.payload_data;
  if (evidence?.payload_encoding !== ENCODING || typeof data !== 'string') {
    throw new NotFoundError(`No stored payload under ${payloadKey}`);
  }
  try {
    const json = gunzipSync(Buffer.from(data, 'base64')).toString('utf8');
    return JSON.parse(json) as unknown;
  } catch {
    throw new ValidationError('Stored payload cannot be decoded', [
      { path: 'payloadKey', message: payloadKey },
    ]);
  }
}
