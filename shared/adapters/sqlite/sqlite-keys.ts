import type Database from 'better-sqlite3';
import { NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, KeyStore, Role } from '../../ports/store.js';
import {
  checkDuration,
  isoToMs,
  msToIso,
  parseStringArray,
  toJsonText,
} from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

interface KeyRow {
  key_hash: string;
  key_id: string;
  actor: string;
  role: string;
  tenant_id: string | null;
  scopes: string;
  created_at: string;
  created_ms: number;
  expires_at: string | null;
  expires_ms: number | null;
  revoked_at: string | null;
}

const LIVE = `revoked_at IS NULL AND (expires_ms IS NULL OR expires_ms > ?)`;

/**
 * API keys on SQLite, stored by SHA-256 hex only. "Live" means not revoked
 * and not expired on the injected clock; `findByHash` and `rotate` see only
 * live keys, `list` sees every key.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly insertStatement: Database.Statement<[KeyRow]>;
  private readonly findStatement: Database.Statement<[string, number], KeyRow>;
  private readonly listStatement: Database.Statement<[], KeyRow>;
  private readonly listOfTenantStatement: Database.Statement<[string], KeyRow>;
  private readonly revokeStatement: Database.Statement<[string, string]>;
  private readonly expireStatement: Database.Statement<
    [string, number, string]
  >;
  private readonly rotateTx: Database.Transaction<
    (oldKeyHash: string, next: ApiKeyRecord, graceSeconds: number) => void
  >;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.insertStatement = db.prepare(
      `INSERT INTO api_keys (key_hash, key_id, actor, role, tenant_id, scopes,
         created_at, created_ms, expires_at, expires_ms, revoked_at)
       VALUES (@key_hash, @key_id, @actor, @role, @tenant_id, @scopes,
         @created_at, @created_ms, @expires_at, @expires_ms, @revoked_at)`,
    );
    this.findStatement = db.prepare(
      `SELECT * FROM api_keys WHERE key_hash = ? AND ${LIVE}`,
    );
    this.listStatement = db.prepare(
      'SELECT * FROM api_keys ORDER BY created_ms DESC, key_hash',
    );
    this.listOfTenantStatement = db.prepare(
      `SELECT * FROM api_keys WHERE tenant_id = ?
       ORDER BY created_ms DESC, key_hash`,
    );
    this.revokeStatement = db.prepare(
      'UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL',
    );
    this.expireStatement = db.prepare(
      'UPDATE api_keys SET expires_at = ?, expires_ms = ? WHERE key_hash = ?',
    );
    this.rotateTx = db.transaction((oldKeyHash, next, graceSeconds) =>
      this.doRotate(oldKeyHash, next, graceSeconds),
    );
  }

  /** @inheritdoc */
  put(record: ApiKeyRecord): Promise<void> {
    return this.guard(() => {
      this.insertStatement.run(toRow(record));
    });
  }

  /** @inheritdoc */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.guard(() => {
      const row = this.findStatement.get(keyHash, this.clock.now());
      return row === undefined ? null : fromRow(row);
    });
  }

  /** @inheritdoc */
  list(tenantId?: string): Promise<ApiKeyRecord[]> {
    return this.guard(() => {
      const rows =
        tenantId === undefined
          ? this.listStatement.all()
          : this.listOfTenantStatement.all(tenantId);
      return rows.map(fromRow);
    });
  }

  /** @inheritdoc False when no unrevoked key has this id. */
  revoke(keyId: string): Promise<boolean> {
    return this.guard(
      () => this.revokeStatement.run(this.clock.nowIso(), keyId).changes > 0,
    );
  }

  /**
   * @inheritdoc The old key's expiry only ever moves earlier: a key already
   * due to expire within the grace period keeps its expiry.
   * @throws ConflictError when `next.keyHash` exists (nothing is written);
   * ValidationError when `graceSeconds` < 0.
   */
  rotate(
    oldKeyHash: string,
    next: ApiKeyRecord,
    graceSeconds: number,
  ): Promise<void> {
    return this.guard(() =>
      this.rotateTx.immediate(oldKeyHash, next, graceSeconds),
    );
  }

  private doRotate(
    oldKeyHash: string,
    next: ApiKeyRecord,
    graceSeconds: number,
  ): void {
    checkDuration(graceSeconds, 'graceSeconds', 0);
    const now = this.clock.now();
    const old = this.findStatement.get(oldKeyHash, now);
    if (old === undefined) {
      throw new NotFoundError('the key to rotate is not live');
    }
    const graceEnd = now + graceSeconds * 1000;
    const expiresMs = Math.min(old.expires_ms ?? graceEnd, graceEnd);
    this.expireStatement.run(msToIso(expiresMs), expiresMs, oldKeyHash);
    this.insertStatement.run(toRow(next));
  }
}

function toRow(record: ApiKeyRecord): KeyRow {
  return {
    key_hash: record.keyHash,
    key_id: record.keyId,
    actor: record.actor,
    role: record.role,
    tenant_id: record.tenantId ?? null,
    scopes: toJsonText(record.scopes),
    created_at: record.createdAt,
    created_ms: isoToMs(record.createdAt, 'createdAt'),
    expires_at: record.expiresAt ?? null,
    expires_ms:
      record.expiresAt == null ? null : isoToMs(record.expiresAt, 'expiresAt'),
    revoked_at: record.revokedAt ?? null,
  };
}

function fromRow(row: KeyRow): ApiKeyRecord {
  return {
    keyHash: row.key_hash,
    keyId: row.key_id,
    actor: row.actor,
    role: row.role as Role,
    tenantId: row.tenant_id,
    scopes: parseStringArray(row.scopes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
