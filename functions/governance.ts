import * as z from 'zod';
import { archaeology } from '../shared/domain/archaeology/archaeology.js';
import { initChain, verifyChain } from '../shared/domain/audit/hash-chain.js';
import { assertTenantAccess } from '../shared/domain/auth/principal.js';
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
} from '../shared/domain/export/decision-formats.js';
import { exportDecisions } from '../shared/domain/export/export-decisions.js';
import { getProvenance } from '../shared/domain/provenance/record-provenance.js';
import { ok, text } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { defined, Id, IntentPath } from '../shared/http/schemas/common.js';

const ExportQuery = z
  .object({
    fmt: z.enum(EXPORT_FORMATS).default('jsonl'),
    tenant_id: Id.optional(),
  })
  .strict();

const ChainBody = z.object({ tenant_id: Id.optional() }).strict();

const ArchaeologyQuery = z
  .object({
    max_commits: z.coerce.number().int().min(1).max(10_000).optional(),
    top: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

/**
 * Governance routes: the decision export, provenance records, the audit
 * hash chain and repository archaeology.
 */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/export/decisions',
    {
      query: ExportQuery,
      scope: 'events.read',
      summary:
        'Decision dataset as JSON Lines or CSV (records dataset.exported)',
    },
    async ({ query, principal }, deps) => {
      const tenantId = assertTenantAccess(principal, query.tenant_id);
      const chunks: string[] = [];
      const input = { tenantId, format: query.fmt, actor: principal.actor };
      const summary = await exportDecisions(deps, input, (chunk) => {
        chunks.push(chunk);
      });
      const response = text(chunks.join(''), EXPORT_CONTENT_TYPES[query.fmt]);
      const disposition = `attachment; filename="decisions.${query.fmt}"`;
      response.headers = {
        ...response.headers,
        'content-disposition': disposition,
        'x-export-rows': String(summary.rows),
      };
      return response;
    },
  ),
  route(
    'GET /v1/intents/{id}/provenance',
    {
      path: IntentPath,
      scope: 'intents.read',
      summary: 'The provenance record of a merged intent',
    },
    async ({ path, principal }, deps) =>
      ok(await getProvenance(deps, principal, path.id)),
  ),
  route(
    'POST /v1/audit/chain/init',
    {
      body: ChainBody,
      role: 'admin',
      scope: 'admin',
      summary: 'Seal the unsealed events into the audit hash chain',
    },
    async ({ body, principal }, deps) =>
      ok(await initChain(deps, assertTenantAccess(principal, body.tenant_id))),
  ),
  route(
    'POST /v1/audit/chain/verify',
    {
      body: ChainBody,
      role: 'admin',
      scope: 'admin',
      summary: 'Recompute the audit hash chain; names the first bad event',
    },
    async ({ body, principal }, deps) =>
      ok(
        await verifyChain(deps, assertTenantAccess(principal, body.tenant_id)),
      ),
  ),
  route(
    'GET /v1/archaeology',
    {
      query: ArchaeologyQuery,
      scope: 'risk.read',
      summary: 'Hotspots, co-change coupling, authors and bus factor',
    },
    async ({ query }, deps) =>
      ok(
        await archaeology(
          deps,
          defined({ maxCommits: query.max_commits, top: query.top }),
        ),
      ),
  ),
];

/** Lambda entry of the governance routes. */
export const handler = httpHandler(routes);
