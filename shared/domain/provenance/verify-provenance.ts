import type { Scm } from '../../ports/scm.js';
import type { Store } from '../../ports/store.js';
import { isJsonObject, stringAt } from '../audit/payload-read.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { JsonObject } from '../intent.js';
import type { ProvenanceClaim } from './claim.js';
import { checkClaims, type GitFacts } from './provenance-claims.js';
import {
  findRecordEvent,
  previousRecordHash,
  recordHash,
} from './provenance-record.js';
import { readTraceEvidence, traceFacts } from './trace-evidence.js';

/** What verification reads: the store and git, never written. */
export interface VerifyProvenanceDeps {
  store: Store;
  /** Only the merged commit and its tree are asked of git. */
  scm: Pick<Scm, 'treeOf'>;
}

/** The verdict on a record: ok only when every claim passes. */
export interface ProvenanceVerification {
  ok: boolean;
  intent_id: string;
  trace_id: string;
  record_hash: string | null;
  passed: number;
  failed: number;
  claims: ProvenanceClaim[];
}

/**
 * The merged commit and its tree, through the port as it is: merging a
 * commit into itself gives exactly its own tree (and `headSha` peels every
 * rev to a commit, so `sha^{tree}` cannot go through it).
 */
async function gitFacts(
  scm: Pick<Scm, 'treeOf'>,
  mergedSha: string | null,
): Promise<GitFacts> {
  if (mergedSha === null) {
    return { commit: null, tree: null, error: 'no merged_sha' };
  }
  try {
    const tree = await scm.treeOf(mergedSha);
    return { commit: mergedSha, tree, error: null };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ValidationError) {
      return { commit: null, tree: null, error: error.message };
    }
    throw error;
  }
}

function tenantOf(record: JsonObject): string | null {
  return stringAt(record, 'tenant_id');
}

/**
 * Checks every claim of a provenance record against the store (the events
 * of its trace: simulation, checks, risk, policy, merge; the intent; the
 * tenant's record chain and risk policy) and git (the merged commit and its
 * tree), plus the record's own hash. Reads only.
 * @throws ValidationError when `record` has no intent_id or trace_id.
 * @example
 * const { ok, claims } = await verifyProvenance(deps, record);
 */
export async function verifyProvenance(
  deps: VerifyProvenanceDeps,
  record: unknown,
): Promise<ProvenanceVerification> {
  const data: JsonObject = isJsonObject(record) ? record : {};
  const intentId = stringAt(data, 'intent_id');
  const traceId = stringAt(data, 'trace_id');
  if (intentId === null || traceId === null) {
    throw new ValidationError(
      'Not a provenance record: intent_id and trace_id are required',
    );
  }
  const hash = stringAt(data, 'record_hash');
  const tenantId = tenantOf(data);
  const [intent, evidence, own, git, riskPolicy] = await Promise.all([
    deps.store.intents.get(intentId),
    readTraceEvidence(deps.store, intentId, traceId),
    hash === null ? null : findRecordEvent(deps.store, intentId, hash),
    gitFacts(deps.scm, stringAt(data, 'merged_sha')),
    tenantId === null ? null : deps.store.policies.getRiskPolicy(tenantId),
  ]);
  const previousHash = own
    ? await previousRecordHash(deps.store, own.tenantId, own)
    : undefined;
  const claims = checkClaims(data, {
    intent,
    facts: traceFacts(evidence, intent),
    storedHash: own ? recordHash(own.payload) : null,
    previousHash,
    git,
    riskPolicy,
  });
  const failed = claims.filter((c) => c.status === 'FAIL').length;
  return {
    ok: failed === 0,
    intent_id: intentId,
    trace_id: traceId,
    record_hash: hash,
    passed: claims.length - failed,
    failed,
    claims,
  };
}

/**
 * The verification as text: one `[PASS] name: expected - description` or
 * `[FAIL] …` line per claim; with `verbose`, Expected / Actual (and
 * Mismatch on a failure) lines under each.
 * @example
 * process.stdout.write(formatVerification(result, { verbose: true }));
 */
export function formatVerification(
  result: ProvenanceVerification,
  options: { verbose?: boolean } = {},
): string {
  const lines: string[] = [];
  for (const c of result.claims) {
    lines.push(
      `[${c.status}] ${c.name}: ${brief(c.expected)} - ${c.description}`,
    );
    if (options.verbose !== true) continue;
    lines.push(`        Expected: ${c.expected}`);
    lines.push(`        Actual:   ${c.actual}`);
    if (c.mismatch !== undefined) lines.push(`        Mismatch: ${c.mismatch}`);
  }
  const verdict = result.ok ? 'verified' : 'NOT verified';
  lines.push(
    `${result.passed}/${result.claims.length} claims passed: provenance ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

function brief(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
