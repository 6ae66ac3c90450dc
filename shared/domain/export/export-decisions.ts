/**
 * The decision dataset (reference §7 "export decisions"): one row per intent
 * joining its latest simulation, risk and policy events, read page by page.
 */
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import {
  booleanAt,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
  stringsAt,
} from '../audit/payload-read.js';
import { buildEvent, type ConvergeEvent, type IdSource } from '../event.js';
import type { Intent, JsonObject } from '../intent.js';
import {
  csvHeader,
  type DecisionRow,
  type ExportFormat,
  formatRow,
} from './decision-formats.js';

/** What reading the dataset needs. */
export interface DecisionReadDeps {
  store: Store;
}

/** What the export use case needs (it appends `dataset.exported`). */
export interface ExportDeps extends DecisionReadDeps {
  clock: Clock;
  ids: IdSource;
}

/** Which intents: one tenant, or every tenant for null. */
export interface DecisionQuery {
  tenantId: string | null;
  /** Intents per page (default 100; the store caps pages at 1000). */
  pageSize?: number;
}

/** What one export wrote. */
export interface ExportSummary {
  format: ExportFormat;
  rows: number;
  tenant_id: string | null;
  event_id: string;
}

const DEFAULT_PAGE_SIZE = 100;

async function latest(
  store: Store,
  intentId: string,
  type: 'simulation.completed' | 'risk.evaluated' | 'policy.evaluated',
): Promise<ConvergeEvent | undefined> {
  const page = await store.events.query({ intentId, type }, { limit: 1 });
  return page.items[0];
}

function simulationColumns(payload: JsonObject | undefined) {
  if (!payload) {
    return { mergeable: null, conflict_count: null, files_changed_count: null };
  }
  return {
    mergeable: booleanAt(payload, 'mergeable'),
    conflict_count: stringsAt(payload, 'conflicts').length,
    files_changed_count: stringsAt(payload, 'files_changed').length,
  };
}

function riskColumns(payload: JsonObject | undefined) {
  const p = payload ?? {};
  const signals = objectAt(p, 'signals');
  const graph = objectAt(p, 'graph_metrics');
  const bombs = objectsAt(p, 'bombs');
  return {
    risk_score: numberAt(p, 'risk_score'),
    damage_score: numberAt(p, 'damage_score'),
    entropy_score: numberAt(p, 'entropy_score'),
    propagation_score: numberAt(p, 'propagation_score'),
    containment_score: numberAt(p, 'containment_score'),
    entropic_load: numberAt(signals, 'entropic_load'),
    contextual_value: numberAt(signals, 'contextual_value'),
    complexity_delta: numberAt(signals, 'complexity_delta'),
    path_dependence: numberAt(signals, 'path_dependence'),
    bomb_count: payload ? bombs.length : null,
    bomb_types: payload
      ? bombs.map((b) => stringAt(b, 'type') ?? '?').join(',')
      : null,
    graph_nodes: numberAt(graph, 'nodes'),
    graph_edges: numberAt(graph, 'edges'),
    graph_density: numberAt(graph, 'density'),
  };
}

/** The row of one intent, from its latest simulation, risk and policy. */
export async function decisionRow(
  deps: DecisionReadDeps,
  intent: Intent,
): Promise<DecisionRow> {
  const [sim, risk, policy] = await Promise.all([
    latest(deps.store, intent.id, 'simulation.completed'),
    latest(deps.store, intent.id, 'risk.evaluated'),
    latest(deps.store, intent.id, 'policy.evaluated'),
  ]);
  return {
    intent_id: intent.id,
    status: intent.status,
    risk_level: intent.riskLevel,
    priority: intent.priority,
    retries: intent.retries,
    ...simulationColumns(sim?.payload),
    ...riskColumns(risk?.payload),
    policy_verdict: policy ? stringAt(policy.payload, 'verdict') : null,
    profile_used: policy ? stringAt(policy.payload, 'profile_used') : null,
    tenant_id: intent.tenantId,
    created_at: intent.createdAt,
  };
}

/**
 * The rows, one page of intents at a time (queue order: priority, then
 * creation), so memory holds one page, never the whole dataset. A read: it
 * appends nothing (DECISIONS 8).
 * @example
 * for await (const row of decisionRows(deps, { tenantId: 'acme' })) { … }
 */
export async function* decisionRows(
  deps: DecisionReadDeps,
  query: DecisionQuery,
): AsyncGenerator<DecisionRow> {
  const filter = query.tenantId === null ? {} : { tenantId: query.tenantId };
  const limit = query.pageSize ?? DEFAULT_PAGE_SIZE;
  let cursor: string | undefined;
  do {
    const page = await deps.store.intents.list(
      filter,
      cursor === undefined ? { limit } : { limit, cursor },
    );
    const rows = await Promise.all(
      page.items.map((intent) => decisionRow(deps, intent)),
    );
    yield* rows;
    cursor = page.cursor;
  } while (cursor !== undefined);
}

/**
 * The explicit export (API route, CLI): streams the dataset in `format` to
 * `write` chunk by chunk (the CSV header first), then appends
 * `dataset.exported {dataset, format, rows}`. Nothing is recorded when
 * `write` throws.
 * @example
 * const chunks: string[] = [];
 * const summary = await exportDecisions(deps, { tenantId: null, format: 'csv' },
 *   (chunk) => { chunks.push(chunk); });
 */
export async function exportDecisions(
  deps: ExportDeps,
  input: DecisionQuery & { format: ExportFormat; actor?: string },
  write: (chunk: string) => void | Promise<void>,
): Promise<ExportSummary> {
  if (input.format === 'csv') await write(csvHeader());
  let rows = 0;
  for await (const row of decisionRows(deps, input)) {
    await write(formatRow(row, input.format));
    rows += 1;
  }
  const event = buildEvent(
    {
      type: 'dataset.exported',
      tenantId: input.tenantId,
      payload: {
        dataset: 'decisions',
        format: input.format,
        rows,
        ...(input.actor === undefined ? {} : { actor: input.actor }),
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
  return {
    format: input.format,
    rows,
    tenant_id: input.tenantId,
    event_id: event.id,
  };
}
