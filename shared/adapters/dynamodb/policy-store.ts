import type { JsonObject } from '../../domain/intent.js';
import type { Clock } from '../../ports/clock.js';
import type {
  PolicyStore,
  StoredAgentPolicy,
  StoredPolicy,
} from '../../ports/store.js';
import type { DynamoGateway, Item } from './dynamodb-gateway.js';
import { agentPolicyPrefix, type TableKey, tableKeys } from './keys.js';

const toPolicy = (item: Item): StoredPolicy => ({
  tenantId: String(item.tenantId),
  data: (item.data ?? {}) as JsonObject,
  version: Number(item.version),
  updatedAt: String(item.updatedAt),
});

const toAgentPolicy = (item: Item): StoredAgentPolicy => ({
  ...toPolicy(item),
  agentId: String(item.agentId),
});

/**
 * Policies live in three small partitions (risk, agent, compliance), one item
 * per tenant (and agent). An upsert is one UpdateItem that sets the data and
 * adds 1 to the version atomically, so concurrent upserts never lose a version.
 */
export class DynamoPolicyStore implements PolicyStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async upsertRiskPolicy(
    tenantId: string,
    data: JsonObject,
  ): Promise<StoredPolicy> {
    return toPolicy(
      await this.upsert(tableKeys.riskPolicy(tenantId), { tenantId }, data),
    );
  }

  async getRiskPolicy(tenantId: string): Promise<StoredPolicy | null> {
    const item = await this.db.get(tableKeys.riskPolicy(tenantId));
    return item === undefined ? null : toPolicy(item);
  }

  async listRiskPolicies(): Promise<StoredPolicy[]> {
    return (await this.partition(tableKeys.riskPolicy('').PK)).map(toPolicy);
  }

  async upsertAgentPolicy(
    agentId: string,
    tenantId: string | null,
    data: JsonObject,
  ): Promise<StoredAgentPolicy> {
    const tenant = tenantId ?? '';
    const key = tableKeys.agentPolicy(agentId, tenant);
    return toAgentPolicy(
      await this.upsert(key, { tenantId: tenant, agentId }, data),
    );
  }

  async getAgentPolicy(
    agentId: string,
    tenantId: string | null,
  ): Promise<StoredAgentPolicy | null> {
    const items = await this.db.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': tableKeys.agentPolicy(agentId, '').PK,
        ':prefix': agentPolicyPrefix(agentId),
      },
      ConsistentRead: true,
    });
    const policies = items.map(toAgentPolicy);
    const exact =
      tenantId === null || tenantId === ''
        ? undefined
        : policies.find((policy) => policy.tenantId === tenantId);
    return exact ?? policies.find((policy) => policy.tenantId === '') ?? null;
  }

  async listAgentPolicies(tenantId?: string): Promise<StoredAgentPolicy[]> {
    const pk = tableKeys.agentPolicy('', '').PK;
    const policies = (await this.partition(pk)).map(toAgentPolicy);
    return tenantId === undefined
      ? policies
      : policies.filter((policy) => policy.tenantId === tenantId);
  }

  async upsertComplianceThresholds(
    tenantId: string,
    data: JsonObject,
  ): Promise<StoredPolicy> {
    return toPolicy(
      await this.upsert(tableKeys.compliance(tenantId), { tenantId }, data),
    );
  }

  async getComplianceThresholds(
    tenantId: string,
  ): Promise<StoredPolicy | null> {
    const item = await this.db.get(tableKeys.compliance(tenantId));
    return item === undefined ? null : toPolicy(item);
  }

  async listComplianceThresholds(): Promise<StoredPolicy[]> {
    return (await this.partition(tableKeys.compliance('').PK)).map(toPolicy);
  }

  private async upsert(
    key: TableKey,
    identity: Record<string, string>,
    data: JsonObject,
  ): Promise<Item> {
    const names: Record<string, string> = {
      '#data': 'data',
      '#updatedAt': 'updatedAt',
      '#version': 'version',
    };
    const values: Record<string, unknown> = {
      ':data': data,
      ':now': this.clock.nowIso(),
      ':one': 1,
    };
    const sets = ['#data = :data', '#updatedAt = :now'];
    for (const [n, [name, value]] of Object.entries(identity).entries()) {
      names[`#id${n}`] = name;
      values[`:id${n}`] = value;
      sets.push(`#id${n} = :id${n}`);
    }
    const out = await this.db.update({
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    return out.Attributes ?? {};
  }

  private partition(pk: string): Promise<Item[]> {
    return this.db.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
  }
}
