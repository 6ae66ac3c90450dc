import * as z from 'zod';
import { ValidationError } from '../shared/domain/errors.js';
import {
  acceptGithubWebhook,
  verifyGithubSignature,
  webhookSecretOf,
} from '../shared/http/github-webhook.js';
import { accepted, ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

/**
 * The GitHub delivery headers. The delivery id becomes a claim key and the
 * bus dedup id, so it is bounded to SQS's id alphabet (GitHub sends a GUID).
 */
const GithubHeaders = z.looseObject({
  'x-github-event': z
    .string()
    .regex(/^[a-z_]{1,64}$/, 'not a GitHub event name'),
  'x-github-delivery': z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/, 'not a GitHub delivery id'),
  'x-hub-signature-256': z.string().min(1).max(200),
});

function parseHeaders(headers: Record<string, string>) {
  const result = GithubHeaders.safeParse(headers);
  if (result.success) return result.data;
  throw new ValidationError(
    'Invalid webhook headers',
    result.error.issues.map((i) => ({
      path: ['headers', ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  );
}

/**
 * The GitHub webhook (HOUSE_STYLE §7.10): 413 over 1 MiB (the router's body
 * limit), 403 with no secret configured, 400 on missing headers, 401 on a
 * bad signature (checked on the raw body before any JSON parse), 200
 * `{duplicate: true}` for a delivery already accepted, otherwise the
 * delivery is recorded and enqueued and the answer is 202, well inside
 * GitHub's 10 s; 503 when it could not be enqueued (GitHub may retry).
 */
export const routes: readonly RouteDef[] = [
  route(
    'POST /v1/integrations/github/webhook',
    { public: true, rawBody: true, summary: 'GitHub webhook deliveries' },
    async ({ headers, rawBody }, deps) => {
      const secret = await webhookSecretOf(deps);
      const h = parseHeaders(headers);
      await verifyGithubSignature(secret, rawBody, h['x-hub-signature-256']);
      const deliveryId = h['x-github-delivery'];
      const name = h['x-github-event'];
      const receipt = await acceptGithubWebhook(deps, {
        deliveryId,
        name,
        rawBody,
      });
      if (receipt.duplicate) return ok({ duplicate: true });
      return accepted({ accepted: true, delivery_id: deliveryId });
    },
  ),
];

/** Lambda entry of the GitHub webhook. */
export const handler = httpHandler(routes);

// Lambda: the SQS bus (QUEUE_URL); built on first use.
useCloudPorts({ bus: sqsBus });
