/**
 * The edge of the GitHub webhook (HOUSE_STYLE §7.10): the secret, the
 * signature over the raw body, then the JSON, then the hand-over to
 * `acceptDelivery`. Nothing is parsed before the signature is checked.
 */
import { verify } from '@octokit/webhooks-methods';
import {
  ForbiddenError,
  TransientError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors.js';
import {
  acceptDelivery,
  type DeliveryReceipt,
} from '../domain/github/accept-delivery.js';
import { RawJson } from '../ports/bus.js';
import type { Deps } from '../runtime/deps.js';
import { INLINE_PAYLOAD_BYTES, storedPayloadOf } from './github-claim-check.js';
import { requireBus } from './require-bus.js';
import { GithubEnvelope } from './schemas/github-events.js';

/**
 * The configured webhook secret.
 * @throws ForbiddenError when none is configured: the endpoint is closed
 *   (reference: "no secret with auth required gives 403");
 *   TransientError when the secret store cannot be read now.
 */
export async function webhookSecretOf(
  deps: Pick<Deps, 'webhookSecret'>,
): Promise<string> {
  let secret: string | null = null;
  try {
    secret = deps.webhookSecret ? await deps.webhookSecret() : null;
  } catch (cause) {
    throw new TransientError('Webhook secret unavailable', 5, { cause });
  }
  if (!secret) throw new ForbiddenError('No webhook secret is configured');
  return secret;
}

/**
 * Checks `x-hub-signature-256` (HMAC-SHA256 of the raw body) in constant
 * time, with `verify` of @octokit/webhooks-methods.
 * @throws UnauthorizedError on a missing, malformed or wrong signature.
 */
export async function verifyGithubSignature(
  secret: string,
  rawBody: string,
  signature: string,
): Promise<void> {
  // verify() throws on an empty body; that is a bad signature too.
  const valid = await verify(secret, rawBody, signature).catch(() => false);
  if (!valid) throw new UnauthorizedError('Bad webhook signature');
}

function parsePayload(rawBody: string): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new ValidationError('Invalid JSON body', [
      { path: 'body', message: 'Malformed JSON' },
    ]);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new ValidationError('Invalid webhook payload', [
      { path: 'body', message: 'must be a JSON object' },
    ]);
  return payload as Record<string, unknown>;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `{ login }` of an owner or account, other values as they are. */
function loginOnly(value: unknown): unknown {
  const object = asObject(value);
  return object ? { login: object.login } : value;
}

/**
 * The envelope, validated on the fields `GithubEnvelope` reads only: the
 * payload's other keys (a repository carries about a hundred) are not
 * walked, nor copied by the loose schema.
 */
function envelopeOf(payload: Record<string, unknown>) {
  const repository = asObject(payload.repository);
  const installation = asObject(payload.installation);
  const parsed = GithubEnvelope.safeParse({
    action: payload.action,
    repository: repository
      ? { full_name: repository.full_name, owner: loginOnly(repository.owner) }
      : payload.repository,
    installation: installation
      ? { id: installation.id, account: loginOnly(installation.account) }
      : payload.installation,
  });
  return parsed.success ? parsed.data : {};
}

/**
 * Accepts a verified delivery: parses the JSON, reads the envelope
 * (action, repository, installation), stores an oversized payload behind a
 * claim check, and hands over to `acceptDelivery`. The payload's size is
 * the size of the body GitHub sent.
 * @throws ValidationError on a body that is not a JSON object;
 *   PayloadTooLargeError when a payload cannot be stored; TransientError
 *   when the store or the bus fails (GitHub retries).
 */
export async function acceptGithubWebhook(
  deps: Deps,
  input: { deliveryId: string; name: string; rawBody: string },
): Promise<DeliveryReceipt> {
  const payload = parsePayload(input.rawBody);
  const envelope = envelopeOf(payload);
  const payloadBytes = Buffer.byteLength(input.rawBody, 'utf8');
  const claimCheck =
    payloadBytes > INLINE_PAYLOAD_BYTES ? storedPayloadOf(input.rawBody) : null;
  return acceptDelivery(
    { ...deps, bus: requireBus(deps) },
    {
      deliveryId: input.deliveryId,
      name: input.name,
      action: envelope.action ?? null,
      repo: envelope.repository?.full_name ?? null,
      tenantId:
        envelope.repository?.owner.login ??
        envelope.installation?.account?.login ??
        null,
      installationId: envelope.installation?.id ?? null,
      // The body parsed to this object: sent as the text GitHub signed.
      payload: new RawJson(input.rawBody),
      payloadBytes,
      claimCheck,
    },
  );
}
