import * as z from 'zod';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import {
  integrationMetrics,
  predictIssues,
  recentEvents,
  summary,
  tenantScope,
} from '../shared/domain/projections/index.js';
import { presentEvent, presentPage } from '../shared/http/presenters.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import {
  defined,
  EventTypeName,
  Id,
  PageQuery,
} from '../shared/http/schemas/common.js';
import { useCloudPorts } from '../shared/runtime/deps.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const Instant = z.iso.datetime({ offset: true });
const TenantQuery = z.object({ tenant_id: Id.optional() }).strict();

const EventsQuery = z
  .object({
    type: EventTypeName.optional(),
    intent_id: Id.optional(),
    agent_id: Id.optional(),
    tenant_id: Id.optional(),
    trace_id: Id.optional(),
    since: Instant.optional(),
    until: Instant.optional(),
    ...PageQuery,
  })
  .strict();

const AuditQuery = z
  .object({ tenant_id: Id.optional(), limit: PageQuery.limit })
  .strict();

/** The event log, audit trail, metrics, summary and predictions. */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/events',
    {
      query: EventsQuery,
      scope: 'events.read',
      summary: 'Query the event log',
    },
    async ({ query, principal }, deps) => {
      const tenant = assertTenantAccess(principal, query.tenant_id);
      const filter = defined({
        type: query.type,
        intentId: query.intent_id,
        agentId: query.agent_id,
        traceId: query.trace_id,
        since: query.since,
        until: query.until,
      });
      const page = {
        limit: query.limit ?? 100,
        ...defined({ cursor: query.cursor }),
      };
      const events = await deps.store.events.query(
        { ...filter, ...tenantScope(tenant) },
        page,
      );
      return ok(presentPage(events, presentEvent));
    },
  ),
  route(
    'GET /v1/audit/recent',
    {
      query: AuditQuery,
      role: 'operator',
      scope: 'events.read',
      summary: 'Most recent events of every kind',
    },
    async ({ query, principal }, deps) => {
      const scope = tenantScope(assertTenantAccess(principal, query.tenant_id));
      const events = await recentEvents(deps.store, scope, query.limit ?? 100);
      return ok({ items: events.map(presentEvent) });
    },
  ),
  route(
    'GET /v1/metrics/integration',
    { query: TenantQuery, scope: 'events.read', summary: 'Integration totals' },
    async ({ query, principal }, deps) =>
      ok(
        await integrationMetrics(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
  route(
    'GET /v1/summary',
    { query: TenantQuery, scope: 'intents.read', summary: 'Health and queue' },
    async ({ query, principal }, deps) =>
      ok(await summary(deps, assertTenantAccess(principal, query.tenant_id))),
  ),
  route(
    'GET /v1/predictions',
    {
      query: TenantQuery,
      scope: 'intents.read',
      summary: 'Predicted issues: last 24h against the 24h before',
    },
    async ({ query, principal }, deps) =>
      ok(
        await predictIssues(
          deps,
          assertTenantAccess(principal, query.tenant_id),
        ),
      ),
  ),
];

/** Lambda entry of the event-log routes. */
export const handler = httpHandler(routes);

// Lambda: the SQS bus (QUEUE_URL); built on first use.
useCloudPorts({ bus: sqsBus });
