import * as z from 'zod';
import { validateIntent } from '../shared/domain/engine/validate-intent.js';
import { explainIntent } from '../shared/domain/intents/explain-intent.js';
import {
  changeIntentStatus,
  createIntent,
  getIntent,
  listIntentEvents,
  listIntents,
} from '../shared/domain/intents/intent-service.js';
import {
  presentEvent,
  presentIntent,
  presentPage,
} from '../shared/http/presenters.js';
import { created, ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import {
  defined,
  Id,
  IntentPath,
  Level,
  Origin,
  PageQuery,
  RefName,
  Status,
} from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { githubCloudPorts } from '../shared/runtime/github-ports.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const ListQuery = z
  .object({ status: Status.optional(), tenant_id: Id.optional(), ...PageQuery })
  .strict();

const CreateBody = z
  .object({
    id: Id.optional(),
    source: RefName,
    target: RefName.optional(),
    risk_level: Level.optional(),
    priority: z.number().int().min(0).max(1000).optional(),
    semantic: z.record(z.string(), z.unknown()).optional(),
    technical: z.record(z.string(), z.unknown()).optional(),
    checks_required: z.array(z.string().min(1).max(100)).max(50).optional(),
    dependencies: z.array(Id).max(100).optional(),
    tenant_id: Id.optional(),
    plan_id: Id.optional(),
    origin_type: Origin.optional(),
  })
  .strict();

const ValidateBody = z
  .object({
    use_last_simulation: z.boolean().optional(),
    skip_checks: z.boolean().optional(),
  })
  .strict();

const StatusBody = z
  .object({
    status: Status,
    reason: z.string().max(500).optional(),
    force: z.boolean().optional(),
  })
  .strict();

/** The intent routes (reference §6 and HEAD's intent endpoints). */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/intents',
    { query: ListQuery, scope: 'intents.read', summary: 'List intents' },
    async ({ query, principal }, deps) => {
      const filter = defined({
        status: query.status,
        tenantId: query.tenant_id,
      });
      const page = defined({ limit: query.limit, cursor: query.cursor });
      const result = await listIntents(deps, principal, filter, page);
      return ok(presentPage(result, presentIntent));
    },
  ),
  route(
    'POST /v1/intents',
    { body: CreateBody, scope: 'intents.write', summary: 'Create an intent' },
    async ({ body, principal }, deps) => {
      const intent = await createIntent(deps, principal, {
        ...defined({
          id: body.id,
          source: body.source,
          target: body.target,
          riskLevel: body.risk_level,
          priority: body.priority,
          semantic: body.semantic,
          technical: body.technical,
          checksRequired: body.checks_required,
          dependencies: body.dependencies,
          tenantId: body.tenant_id,
          planId: body.plan_id,
          originType: body.origin_type,
        }),
        source: body.source,
      });
      return created(presentIntent(intent));
    },
  ),
  route(
    'GET /v1/intents/{id}',
    { path: IntentPath, scope: 'intents.read', summary: 'One intent' },
    async ({ path, principal }, deps) => {
      const intent = await getIntent(deps, principal, path.id);
      const why = await explainIntent(deps.store, intent);
      return ok({ ...presentIntent(intent), why });
    },
  ),
  route(
    'GET /v1/intents/{id}/events',
    {
      path: IntentPath,
      query: z.object(PageQuery).strict(),
      scope: 'events.read',
      summary: 'Events of one intent, newest first',
    },
    async ({ path, query, principal }, deps) => {
      const page = defined({ limit: query.limit, cursor: query.cursor });
      const events = await listIntentEvents(deps, principal, path.id, page);
      return ok(presentPage(events, presentEvent));
    },
  ),
  route(
    'POST /v1/intents/{id}/validate',
    {
      path: IntentPath,
      body: ValidateBody,
      scope: 'intents.write',
      summary: 'Validate now: simulation, checks, risk, policy',
    },
    async ({ path, body, principal }, deps) => {
      await getIntent(deps, principal, path.id);
      const outcome = await validateIntent(deps, path.id, {
        skipChecks: body.skip_checks ?? deps.env.CONVERGE_SKIP_CHECKS,
        reuseSimulation: body.use_last_simulation ?? true,
      });
      return ok(presentValidation(outcome));
    },
  ),
  route(
    'POST /v1/intents/{id}/status',
    {
      path: IntentPath,
      body: StatusBody,
      scope: 'intents.write',
      summary: 'Move an intent through the state machine',
    },
    async ({ path, body, principal }, deps) =>
      ok(
        presentIntent(
          await changeIntentStatus(deps, principal, path.id, defined(body)),
        ),
      ),
  ),
];

function presentValidation(
  outcome: Awaited<ReturnType<typeof validateIntent>>,
) {
  return {
    decision: outcome.decision,
    trace_id: outcome.traceId,
    reasons: outcome.reasons,
    intent: presentIntent(outcome.intent),
    simulation: outcome.simulation,
    checks: outcome.checks,
    risk_score: outcome.risk?.riskScore ?? null,
    verdict: outcome.policy?.verdict ?? null,
    risk_gate: outcome.riskGate ?? null,
  };
}

/** Lambda entry of the intent routes. */
export const handler = httpHandler(routes);

// Lambda: GitHub (App private key) and the SQS bus; built on first use.
useCloudPorts({ github: githubCloudPorts, bus: sqsBus });
