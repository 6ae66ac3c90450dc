/**
 * The audit hash chain's primitives: the per-event hash, the checkpoint
 * (`audit.chain.initialized` payload) that seals a run of event hashes, and
 * the walk that checks checkpoints against the log.
 * See docs/audit-and-provenance.md for the design.
 */
import type { ConvergeEvent } from '../event.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { isJsonObject, numberAt, stringAt } from './payload-read.js';

/** The `prev` of the first event of every scope. */
export const GENESIS_HASH = '0'.repeat(64);

/** Most (event id, hash) pairs one checkpoint event carries (~40 KB). */
export const CHECKPOINT_ENTRIES = 500;

/**
 * `sha256(prev | id | timestamp | type | canonicalJson(payload))`, the
 * reference's chain formula (HEAD `audit init-chain`).
 * @example
 * const h1 = chainHash(GENESIS_HASH, firstEvent);
 * const h2 = chainHash(h1, secondEvent);
 */
export function chainHash(
  prevHash: string,
  event: Pick<ConvergeEvent, 'id' | 'timestamp' | 'type' | 'payload'>,
): string {
  return sha256Hex(
    [
      prevHash,
      event.id,
      event.timestamp,
      event.type,
      canonicalJson(event.payload),
    ].join('|'),
  );
}

/** One sealed event: its id and its chain hash. */
export type ChainEntry = readonly [eventId: string, hash: string];

/** A parsed checkpoint, with the id of the event that carries it. */
export interface Checkpoint {
  eventId: string;
  scope: string;
  /** 1, 2, 3, … in sealing order within a scope. */
  seq: number;
  /** The head before this checkpoint's first entry. */
  prevHead: string;
  /** The hash of this checkpoint's last entry (prevHead when empty). */
  head: string;
  /** Events sealed by this and every earlier checkpoint. */
  count: number;
  lastEventId: string | null;
  entries: ChainEntry[];
}

/** The `audit.chain.initialized` payload of a checkpoint. */
export function checkpointPayload(
  checkpoint: Omit<Checkpoint, 'eventId'>,
): Record<string, unknown> {
  return {
    scope: checkpoint.scope,
    seq: checkpoint.seq,
    prev_head: checkpoint.prevHead,
    head: checkpoint.head,
    count: checkpoint.count,
    last_event_id: checkpoint.lastEventId,
    entries: checkpoint.entries.map(([id, hash]) => [id, hash]),
  };
}

function readEntries(value: unknown): ChainEntry[] | null {
  if (!Array.isArray(value)) return null;
  const entries: ChainEntry[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || item.length !== 2) return null;
    const [id, hash] = item as unknown[];
    if (typeof id !== 'string' || typeof hash !== 'string') return null;
    entries.push([id, hash]);
  }
  return entries;
}

/**
 * Reads a checkpoint event; null when its payload is not a well-formed
 * checkpoint (which verification reports as tampering).
 */
export function readCheckpoint(event: ConvergeEvent): Checkpoint | null {
  const p = event.payload;
  if (!isJsonObject(p)) return null;
  const seq = numberAt(p, 'seq');
  const count = numberAt(p, 'count');
  const scope = stringAt(p, 'scope');
  const prevHead = stringAt(p, 'prev_head');
  const head = stringAt(p, 'head');
  const entries = readEntries(p.entries);
  if (seq === null || count === null || scope === null) return null;
  if (prevHead === null || head === null || entries === null) return null;
  return {
    eventId: event.id,
    scope,
    seq,
    prevHead,
    head,
    count,
    lastEventId: stringAt(p, 'last_event_id'),
    entries,
  };
}

/** Splits entries into checkpoint-sized runs; always at least one run. */
export function chunkEntries(entries: readonly ChainEntry[]): ChainEntry[][] {
  const runs: ChainEntry[][] = [];
  for (let i = 0; i < entries.length; i += CHECKPOINT_ENTRIES) {
    runs.push(entries.slice(i, i + CHECKPOINT_ENTRIES));
  }
  return runs.length > 0 ? runs : [[]];
}

/** Where a walk stands: events checked so far and the last good head. */
export interface WalkState {
  count: number;
  head: string;
}

/** The first broken link: the event (or checkpoint) and why. */
export interface BadLink {
  eventId: string;
  reason: string;
}

function checkCheckpoint(
  checkpoint: Checkpoint,
  expectedSeq: number,
  state: WalkState,
  byId: ReadonlyMap<string, ConvergeEvent>,
): BadLink | null {
  const at = { eventId: checkpoint.eventId };
  if (checkpoint.seq !== expectedSeq) {
    const reason = `checkpoint sequence broken: expected ${expectedSeq}, found ${checkpoint.seq}`;
    return { ...at, reason };
  }
  if (checkpoint.prevHead !== state.head) {
    const reason = `checkpoint ${checkpoint.seq} does not link to the previous head`;
    return { ...at, reason };
  }
  for (const [id, hash] of checkpoint.entries) {
    const event = byId.get(id);
    if (!event) {
      const reason = `event ${id} was deleted (sealed by checkpoint ${checkpoint.seq})`;
      return { eventId: id, reason };
    }
    if (chainHash(state.head, event) !== hash) {
      const reason = `event ${id} was modified (hash differs from checkpoint ${checkpoint.seq})`;
      return { eventId: id, reason };
    }
    state.head = hash;
    state.count += 1;
  }
  if (checkpoint.head !== state.head) {
    const reason = `checkpoint ${checkpoint.seq} head does not match its entries`;
    return { ...at, reason };
  }
  return null;
}

/**
 * Walks checkpoint events (in `seq` order) against the events as stored
 * now (`byId`); stops at the first broken link.
 */
export function walkChain(
  checkpointEvents: readonly ConvergeEvent[],
  byId: ReadonlyMap<string, ConvergeEvent>,
): WalkState & { bad?: BadLink } {
  const state: WalkState = { count: 0, head: GENESIS_HASH };
  for (const [index, event] of checkpointEvents.entries()) {
    const checkpoint = readCheckpoint(event);
    const bad = checkpoint
      ? checkCheckpoint(checkpoint, index + 1, state, byId)
      : { eventId: event.id, reason: `checkpoint ${event.id} is malformed` };
    if (bad) return { ...state, bad };
  }
  return state;
}
