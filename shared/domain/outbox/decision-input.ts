import type { DecisionToPublish } from '../../ports/publisher.js';
import type { IntentStore } from '../../ports/store.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { JsonObject } from '../intent.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/** A positive integer, also from a digit string (webhook payloads vary). */
function positiveInt(value: unknown): number | undefined {
  const n =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0
    ? n
    : undefined;
}

function required(value: string | undefined, path: string): string {
  if (value !== undefined) return value;
  throw new ValidationError(`decision cannot be published: no ${path}`, [
    { path, message: 'is required' },
  ]);
}

/**
 * The decision word: `decision`, else the status moved to (`to: QUEUED` ->
 * `queued`, for status-change entries), else `updated`.
 */
function decisionOf(payload: JsonObject): string {
  return text(payload.decision) ?? text(payload.to)?.toLowerCase() ?? 'updated';
}

/**
 * The commit to publish on: the tested source commit, else the head the
 * intent recorded (`technical.head_sha`, else `initial_base_commit`, which
 * the reference uses as the head SHA).
 */
function headShaOf(payload: JsonObject, technical: JsonObject): string {
  const sha =
    text(payload.source_sha) ??
    text(technical.head_sha) ??
    text(technical.initial_base_commit);
  return required(sha, 'technical.head_sha');
}

function optional(technical: JsonObject, payload: JsonObject) {
  const installationId = positiveInt(technical.installation_id);
  const prNumber = positiveInt(technical.pr_number);
  const mergedSha = text(payload.merged_commit);
  const detailsUrl = text(technical.details_url);
  return {
    ...(installationId === undefined ? {} : { installationId }),
    ...(prNumber === undefined ? {} : { prNumber }),
    ...(mergedSha === undefined ? {} : { mergedSha }),
    ...(detailsUrl === undefined ? {} : { detailsUrl }),
  };
}

/**
 * Resolves a `github.decision` outbox payload against its intent.
 *
 * @throws {ValidationError} no intent id, repository or head SHA.
 * @throws {NotFoundError} the intent no longer exists.
 * @example
 * ```ts
 * const decision = await decisionToPublish(store.intents, entry.payload, entry.id);
 * ```
 */
export async function decisionToPublish(
  intents: Pick<IntentStore, 'get'>,
  payload: JsonObject,
  fallbackTraceId: string,
): Promise<DecisionToPublish> {
  const intentId = required(text(payload.intent_id), 'intent_id');
  const intent = await intents.get(intentId);
  if (!intent) throw new NotFoundError(`Intent ${intentId} not found`);
  const technical = intent.technical;
  const reasons = texts(payload.reasons);
  const riskScore = payload.risk_score;
  return {
    repo: required(text(technical.repo), 'technical.repo'),
    headSha: headShaOf(payload, technical),
    intentId,
    traceId: text(payload.trace_id) ?? fallbackTraceId,
    decision: decisionOf(payload),
    reason: text(payload.reason) ?? reasons[0] ?? '',
    reasons,
    riskScore: typeof riskScore === 'number' ? riskScore : null,
    verdict: text(payload.verdict) ?? null,
    bombs: texts(payload.bombs),
    ...optional(technical, payload),
  };
}
