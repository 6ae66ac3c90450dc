import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import { processQueue } from '../shared/domain/engine/process-queue.js';
import {
  confirmMerge,
  inspectQueue,
  queueState,
  resetIntent,
} from '../shared/domain/engine/queue-admin.js';
import { getIntent } from '../shared/domain/intents/intent-service.js';
import { presentIntent } from '../shared/http/presenters.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { defined, Id, RefName, Status } from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { githubCloudPorts } from '../shared/runtime/github-ports.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const TenantQuery = z.object({ tenant_id: Id.optional() }).strict();

const InspectQuery = z
  .object({
    tenant_id: Id.optional(),
    status: Status.optional(),
    min_retries: z.coerce.number().int().min(0).optional(),
    only_actionable: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

const RunBody = z
  .object({
    target: RefName.optional(),
    repo: z.string().min(1).max(200).optional(),
    tenant_id: Id.optional(),
    limit: z.number().int().min(1).max(500).optional(),
    auto_confirm: z.boolean().optional(),
    skip_checks: z.boolean().optional(),
    max_retries: z.number().int().min(1).max(100).optional(),
  })
  .strict();

const ResetBody = z
  .object({
    intent_id: Id,
    set_status: Status.optional(),
    clear_lock: z.boolean().optional(),
  })
  .strict();

const ConfirmBody = z
  .object({
    intent_id: Id,
    merged_commit: z.string().min(1).max(100).optional(),
  })
  .strict();

/** Queue routes: state, inspection, a run, reset and merge confirm. */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/queue/state',
    { query: TenantQuery, scope: 'queue.read', summary: 'Queue state' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const state = await queueState(deps.store, tenant);
      return ok({ ...state, pending: state.pending.map(presentIntent) });
    },
  ),
  route(
    'GET /v1/queue/summary',
    { query: TenantQuery, scope: 'queue.read', summary: 'Queue counts' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const { total, by_status, pending } = await queueState(
        deps.store,
        tenant,
      );
      return ok({ total, by_status, pending_count: pending.length });
    },
  ),
  route(
    'GET /v1/queue/inspect',
    { query: InspectQuery, scope: 'queue.read', summary: 'Inspect the queue' },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const items = await inspectQueue(
        deps.store,
        tenant,
        defined({
          status: query.status,
          minRetries: query.min_retries,
          onlyActionable: query.only_actionable === 'true',
          limit: query.limit,
        }),
      );
      return ok({ items: items.map(presentIntent) });
    },
  ),
  route(
    'POST /v1/queue/run',
    { body: RunBody, scope: 'queue.write', summary: 'Process one branch now' },
    async ({ body, principal, requestId }, deps) => {
      const tenantId = assertTenantAccess(principal, body.tenant_id);
      const result = await processQueue(deps, {
        ...defined({
          repo: body.repo,
          limit: body.limit,
          maxRetries: body.max_retries,
        }),
        tenantId,
        target: body.target ?? deps.policy.queue.default_target,
        holder: `api-${requestId}`,
        autoConfirm: body.auto_confirm ?? deps.env.CONVERGE_AUTO_MERGE,
        skipChecks: body.skip_checks ?? deps.env.CONVERGE_SKIP_CHECKS,
        lockTtlMs: deps.env.CONVERGE_QUEUE_LOCK_TTL * 1000,
      });
      return ok(result);
    },
  ),
  route(
    'POST /v1/queue/reset',
    {
      body: ResetBody,
      role: 'admin',
      scope: 'queue.admin',
      summary: 'Reset an intent',
    },
    async ({ body, principal }, deps) => {
      const intent = await getIntent(deps, principal, body.intent_id);
      const reset = await resetIntent(deps, {
        intentId: intent.id,
        actor: principal.actor,
        ...defined({ setStatus: body.set_status }),
        ...(body.clear_lock
          ? {
              clearLock: defined({
                repo: stringOf(intent.technical.repo),
                target: intent.target,
              }),
            }
          : {}),
      });
      return ok(presentIntent(reset));
    },
  ),
  route(
    'POST /v1/queue/confirm',
    { body: ConfirmBody, scope: 'queue.write', summary: 'Confirm a merge' },
    async ({ body, principal }, deps) => {
      await getIntent(deps, principal, body.intent_id);
      const merged = await confirmMerge(deps, {
        intentId: body.intent_id,
        actor: principal.actor,
        ...defined({ mergedCommit: body.merged_commit }),
      });
      return ok(presentIntent(merged));
    },
  ),
];

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Lambda entry of the queue routes. */
export const handler = httpHandler(routes);

// Lambda: GitHub (App private key) and the SQS bus; built on first use.
useCloudPorts({ github: githubCloudPorts, bus: sqsBus });
