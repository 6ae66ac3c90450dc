import type Database from 'better-sqlite3';
import type { JsonObject } from '../../domain/intent.js';
import type { Clock } from '../../ports/clock.js';
import type {
  PolicyStore,
  StoredAgentPolicy,
  StoredPolicy,
} from '../../ports/store.js';
import { parseJsonObject, toJsonText } from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

interface PolicyRow {
  tenant_id: string;
  data: string;
  version: number;
  updated_at: string;
}

interface AgentPolicyRow extends PolicyRow {
  agent_id: string;
}

/** The any-tenant key of agent policies (reference §2: null stored as ''). */
const ANY_TENANT = '';

/** One table of tenant-keyed, versioned policy documents. */
class TenantPolicyTable {
  private readonly upsertStatement: Database.Statement<
    [string, string, string],
    PolicyRow
  >;
  private readonly getStatement: Database.Statement<[string], PolicyRow>;
  private readonly listStatement: Database.Statement<[], PolicyRow>;

  constructor(db: Database.Database, table: string) {
    this.upsertStatement = db.prepare(
      `INSERT INTO ${table} (tenant_id, data, version, updated_at)
       VALUES (?, ?, 1, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET data = excluded.data,
         version = ${table}.version + 1, updated_at = excluded.updated_at
       RETURNING *`,
    );
    this.getStatement = db.prepare(
      `SELECT * FROM ${table} WHERE tenant_id = ?`,
    );
    this.listStatement = db.prepare(
      `SELECT * FROM ${table} ORDER BY tenant_id`,
    );
  }

  upsert(tenantId: string, data: JsonObject, nowIso: string): StoredPolicy {
    const row = this.upsertStatement.get(tenantId, toJsonText(data), nowIso);
    if (row === undefined) throw new Error('upsert returned no row');
    return fromRow(row);
  }

  get(tenantId: string): StoredPolicy | null {
    const row = this.getStatement.get(tenantId);
    return row === undefined ? null : fromRow(row);
  }

  list(): StoredPolicy[] {
    return this.listStatement.all().map(fromRow);
  }
}

/**
 * Risk policies, agent policies and compliance thresholds on SQLite. Each
 * upsert is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, so the
 * version goes up by exactly one per call even under concurrent writers.
 */
export class SqlitePolicyStore implements PolicyStore {
  private readonly risk: TenantPolicyTable;
  private readonly compliance: TenantPolicyTable;
  private readonly upsertAgent: Database.Statement<
    [string, string, string, string],
    AgentPolicyRow
  >;
  private readonly getAgent: Database.Statement<
    [string, string, string],
    AgentPolicyRow
  >;
  private readonly listAgents: Database.Statement<[], AgentPolicyRow>;
  private readonly listAgentsOfTenant: Database.Statement<
    [string],
    AgentPolicyRow
  >;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.risk = new TenantPolicyTable(db, 'risk_policies');
    this.compliance = new TenantPolicyTable(db, 'compliance_thresholds');
    this.upsertAgent = db.prepare(
      `INSERT INTO agent_policies (agent_id, tenant_id, data, version, updated_at)
       VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (agent_id, tenant_id) DO UPDATE SET data = excluded.data,
         version = agent_policies.version + 1, updated_at = excluded.updated_at
       RETURNING *`,
    );
    // An exact tenant row sorts before the any-tenant row ('' = '' is 1).
    this.getAgent = db.prepare(
      `SELECT * FROM agent_policies
       WHERE agent_id = ? AND tenant_id IN (?, ?)
       ORDER BY tenant_id = '' LIMIT 1`,
    );
    this.listAgents = db.prepare(
      'SELECT * FROM agent_policies ORDER BY tenant_id, agent_id',
    );
    this.listAgentsOfTenant = db.prepare(
      'SELECT * FROM agent_policies WHERE tenant_id = ? ORDER BY agent_id',
    );
  }

  /** @inheritdoc */
  upsertRiskPolicy(tenantId: string, data: JsonObject): Promise<StoredPolicy> {
    return this.guard(() =>
      this.risk.upsert(tenantId, data, this.clock.nowIso()),
    );
  }

  /** @inheritdoc */
  getRiskPolicy(tenantId: string): Promise<StoredPolicy | null> {
    return this.guard(() => this.risk.get(tenantId));
  }

  /** @inheritdoc */
  listRiskPolicies(): Promise<StoredPolicy[]> {
    return this.guard(() => this.risk.list());
  }

  /** @inheritdoc */
  upsertAgentPolicy(
    agentId: string,
    tenantId: string | null,
    data: JsonObject,
  ): Promise<StoredAgentPolicy> {
    return this.guard(() => {
      const tenant = tenantId ?? ANY_TENANT;
      const now = this.clock.nowIso();
      const row = this.upsertAgent.get(agentId, tenant, toJsonText(data), now);
      if (row === undefined) throw new Error('upsert returned no row');
      return fromAgentRow(row);
    });
  }

  /** @inheritdoc */
  getAgentPolicy(
    agentId: string,
    tenantId: string | null,
  ): Promise<StoredAgentPolicy | null> {
    return this.guard(() => {
      const tenant = tenantId ?? ANY_TENANT;
      const row = this.getAgent.get(agentId, tenant, ANY_TENANT);
      return row === undefined ? null : fromAgentRow(row);
    });
  }

  /** All agent policies, or those stored under exactly `tenantId`. */
  listAgentPolicies(tenantId?: string): Promise<StoredAgentPolicy[]> {
    return this.guard(() => {
      const rows =
        tenantId === undefined
          ? this.listAgents.all()
          : this.listAgentsOfTenant.all(tenantId);
      return rows.map(fromAgentRow);
    });
  }

  /** @inheritdoc */
  upsertComplianceThresholds(
    tenantId: string,
    data: JsonObject,
  ): Promise<StoredPolicy> {
    return this.guard(() =>
      this.compliance.upsert(tenantId, data, this.clock.nowIso()),
    );
  }

  /** @inheritdoc */
  getComplianceThresholds(tenantId: string): Promise<StoredPolicy | null> {
    return this.guard(() => this.compliance.get(tenantId));
  }

  /** @inheritdoc */
  listComplianceThresholds(): Promise<StoredPolicy[]> {
    return this.guard(() => this.compliance.list());
  }
}

function fromRow(row: PolicyRow): StoredPolicy {
  return {
    tenantId: row.tenant_id,
    data: parseJsonObject(row.data),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

function fromAgentRow(row: AgentPolicyRow): StoredAgentPolicy {
  return { ...fromRow(row), agentId: row.agent_id };
}
