import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../shared/domain/auth/manage-api-keys.js';
import { AUTH_ROLES } from '../../shared/domain/auth/principal.js';
import { isEventType } from '../../shared/domain/event.js';
import { presentEvent } from '../../shared/http/presenters.js';
import type { Role } from '../../shared/ports/store.js';
import { type Command, compact, need, opt, optInt } from './cli-context.js';

const createKey: Command = async ({ deps, actor, flags }) => {
  const role = need(flags, 'role');
  if (!(AUTH_ROLES as readonly string[]).includes(role)) {
    throw new Error(`--role must be one of ${AUTH_ROLES.join(', ')}`);
  }
  const scopes = opt(flags, 'scopes');
  return createApiKey(deps, {
    actor: need(flags, 'actor-name'),
    role: role as Role,
    tenantId: opt(flags, 'tenant-id') ?? null,
    scopes: scopes ? scopes.split(',').map((s) => s.trim()) : [],
    expiresAt: opt(flags, 'expires-at') ?? null,
    createdBy: actor.actor,
  });
};

const listKeys: Command = async ({ deps, flags }) =>
  listApiKeys(deps, opt(flags, 'tenant-id'));

const revokeKey: Command = async ({ deps, actor, flags }) => {
  await revokeApiKey(deps, need(flags, 'key-id'), actor.actor);
  return { revoked: need(flags, 'key-id') };
};

const auditEvents: Command = async ({ deps, flags }) => {
  const type = opt(flags, 'type');
  if (type !== undefined && !isEventType(type)) {
    throw new Error(`unknown event type: ${type}`);
  }
  const page = await deps.store.events.query(
    compact({
      type: type !== undefined && isEventType(type) ? type : undefined,
      intentId: opt(flags, 'intent-id'),
      agentId: opt(flags, 'agent-id'),
      tenantId: opt(flags, 'tenant-id'),
      since: opt(flags, 'since'),
    }),
    { limit: optInt(flags, 'limit') ?? 100 },
  );
  return page.items.map(presentEvent);
};

/**
 * `audit prune --retention-days 90 [--dry-run]`: deletes (or, dry, counts)
 * the events older than the retention window.
 */
const auditPrune: Command = async ({ deps, flags }) => {
  const days = optInt(flags, 'retention-days') ?? 90;
  if (days < 0) throw new Error('--retention-days must be >= 0');
  const before = new Date(deps.clock.now() - days * 86_400_000).toISOString();
  const dryRun = flags['dry-run'] === true;
  const count = await deps.store.events.prune({ before, dryRun });
  return { retention_days: days, before, dry_run: dryRun, pruned: count };
};

/** `keys create|list|revoke`, `audit events|prune`. */
export const adminCommands: Record<string, Command> = {
  'keys create': createKey,
  'keys list': listKeys,
  'keys revoke': revokeKey,
  'audit events': auditEvents,
  'audit prune': auditPrune,
};
