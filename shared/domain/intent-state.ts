import { InvalidTransitionError } from './errors.js';
import type { IntentStatus } from './intent.js';

/**
 * The intent state machine (DECISIONS 2). A same-status move is allowed where
 * the reference re-enters a state: revalidation (VALIDATED -> VALIDATED) and
 * a push requeue (READY -> READY). MERGED is terminal; REJECTED only reopens.
 */
const ALLOWED: Readonly<Record<IntentStatus, readonly IntentStatus[]>> = {
  READY: ['READY', 'VALIDATED', 'REJECTED', 'MERGED'],
  VALIDATED: ['VALIDATED', 'QUEUED', 'READY', 'REJECTED', 'MERGED'],
  QUEUED: ['QUEUED', 'VALIDATED', 'READY', 'REJECTED', 'MERGED'],
  MERGED: [],
  REJECTED: ['READY'],
};

/** True when the state machine allows `from -> to`. */
export function canTransition(from: IntentStatus, to: IntentStatus): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * Checks `from -> to`; `force` (the audited admin path) allows anything.
 * @throws InvalidTransitionError when the move is not allowed.
 */
export function assertTransition(
  from: IntentStatus,
  to: IntentStatus,
  force = false,
): void {
  if (!force && !canTransition(from, to)) {
    throw new InvalidTransitionError(from, to);
  }
}

/** Statuses that still need work (queue inspect `only-actionable`). */
export const ACTIONABLE_STATUSES: readonly IntentStatus[] = [
  'READY',
  'VALIDATED',
  'QUEUED',
];
