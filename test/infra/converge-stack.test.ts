import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig, toStackConfig } from '../../lib/config.js';
import { CONVERGE_METRICS } from '../../lib/constructs/metrics.js';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../lib/constructs/queue.js';
import { SCHEDULED_TASKS } from '../../lib/constructs/scheduler.js';
import { ConvergeStack, FUNCTIONS_DIR } from '../../lib/converge-stack.js';
import {
  discoverFunctions,
  isFunctionName,
} from '../../lib/function-catalog.js';
import {
  INDEXES,
  TTL_ATTRIBUTE,
} from '../../shared/adapters/dynamodb/table-schema.js';
import {
  ALL_ENTRIES,
  cdkContext,
  configOf,
  inlineCode,
  type Synthesized,
  synthesize,
} from './stack-fixtures.js';
import {
  actionsOfRole,
  apiMethods,
  functionLogicalId,
  onlyResource,
  referencedId,
  resourcesOf,
  roleOf,
} from './template-queries.js';

let full: Synthesized;
let prod: Synthesized;

beforeAll(async () => {
  full = await synthesize('dev');
  prod = await synthesize('prod');
  // The first synthesis loads most of aws-cdk-lib: slow on a loaded machine.
}, 180_000);

describe('ConvergeStack: gateway responses', () => {
  it('answers an authorizer failure with a retryable 503 in our error shape', () => {
    // Prepare
    const responses = resourcesOf(
      full.template,
      'AWS::ApiGateway::GatewayResponse',
    );
    // Act
    const failure = Object.values(responses).find(
      (r) => r.Properties.ResponseType === 'AUTHORIZER_FAILURE',
    );
    // Assess
    expect(failure?.Properties.StatusCode).toBe('503');
    expect(JSON.stringify(failure?.Properties.ResponseTemplates)).toContain(
      'TransientError',
    );
  });
});

describe('ConvergeStack: every environment', () => {
  it('synthesizes staging offline, with its table and queues', async () => {
    // Act
    const staging = await synthesize('staging');
    // Assess
    expect(staging.config.envName).toBe('staging');
    const tables = resourcesOf(staging.template, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(1);
    expect(resourcesOf(staging.template, 'AWS::SQS::Queue')).not.toEqual({});
  }, 180_000);
});

const LAMBDA = 'AWS::Lambda::Function';

function environmentOf(fn: { Properties: Record<string, unknown> }) {
  const env = fn.Properties.Environment as
    | { Variables: Record<string, unknown> }
    | undefined;
  return env?.Variables ?? {};
}

function functionOf(s: Synthesized, constructId: string) {
  const id = functionLogicalId(s.template, constructId);
  const fn = id ? resourcesOf(s.template, LAMBDA)[id] : undefined;
  if (!id || !fn) throw new Error(`no function ${constructId}`);
  return { id, fn };
}

describe('ConvergeStack: API routes', () => {
  it('exposes exactly the routes of the route tables, each with its method', () => {
    // Prepare
    const expected = full.routes.map((r) => `${r.method} ${r.path}`).sort();
    // Act
    const actual = [...apiMethods(full.template).keys()].sort();
    // Assess
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((k) => k.split(' ')[1]?.startsWith('/v1/'))).toBe(
      true,
    );
    expect(actual).toEqual(expected);
  });

  it('integrates every route with the function of its domain', () => {
    const methods = apiMethods(full.template);
    for (const route of full.routes) {
      const method = methods.get(`${route.method} ${route.path}`);
      const constructId = route.fn
        .split('-')
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join('');
      const fnId = functionLogicalId(full.template, constructId);
      expect(fnId, route.fn).toBeDefined();
      const integration = method?.Properties.Integration as {
        Type: string;
        Uri: unknown;
      };
      expect(integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).toContain(`"${fnId}"`);
    }
  });

  it('lets API Gateway invoke each function through one permission scoped to this API', () => {
    // Prepare
    const [apiId] = onlyResource(full.template, 'AWS::ApiGateway::RestApi');
    const permissions = Object.values(
      resourcesOf(full.template, 'AWS::Lambda::Permission'),
    ).filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    const routeFunctions = new Set(full.routes.map((r) => r.fn));
    // Assess: one per route function, plus the authorizer's
    expect(permissions).toHaveLength(routeFunctions.size + 1);
    for (const p of permissions) {
      expect(JSON.stringify(p.Properties.SourceArn)).toContain(`"${apiId}"`);
    }
  });

  it('stays well below the CloudFormation limit of 500 resources', () => {
    const count = Object.keys(
      full.template.toJSON().Resources as object,
    ).length;
    expect(count).toBeLessThan(400);
  });

  it('puts the REQUEST authorizer on every non-public route and none on public ones', () => {
    // Prepare
    const [authorizerId, authorizer] = onlyResource(
      full.template,
      'AWS::ApiGateway::Authorizer',
    );
    const methods = apiMethods(full.template);
    // Assess
    expect(authorizer.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.x-api-key',
      AuthorizerResultTtlInSeconds: 300,
    });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(
      functionLogicalId(full.template, 'Authorizer'),
    );
    for (const route of full.routes) {
      const props = methods.get(`${route.method} ${route.path}`)?.Properties;
      if (route.public) {
        expect(props?.AuthorizationType, route.path).toBe('NONE');
        expect(props?.AuthorizerId, route.path).toBeUndefined();
      } else {
        expect(props?.AuthorizationType, route.path).toBe('CUSTOM');
        expect(referencedId(props?.AuthorizerId), route.path).toBe(
          authorizerId,
        );
      }
      expect(props?.ApiKeyRequired ?? false).toBe(false);
    }
    const publicFunctions = new Set(
      full.routes.filter((r) => r.public).map((r) => r.fn),
    );
    expect([...publicFunctions]).toEqual(
      expect.arrayContaining(['health', 'webhooks']),
    );
  });

  it('logs access as JSON, throttles the stage and has one usage plan per tier', () => {
    const [, stage] = onlyResource(full.template, 'AWS::ApiGateway::Stage');
    const access = stage.Properties.AccessLogSetting as {
      Format: string;
      DestinationArn: unknown;
    };
    const format = JSON.parse(access.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.tenant).toBe('$context.authorizer.tenantId');
    expect(referencedId(access.DestinationArn)).toMatch(/^ApiAccessLogs/);
    expect(stage.Properties).toMatchObject({
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({
          ThrottlingRateLimit: full.config.api.rateLimit,
          ThrottlingBurstLimit: full.config.api.burstLimit,
          MetricsEnabled: true,
        }),
      ],
    });
    const tiers = Object.entries(full.config.api.tiers);
    const plans = Object.values(
      resourcesOf(full.template, 'AWS::ApiGateway::UsagePlan'),
    );
    expect(plans).toHaveLength(tiers.length);
    for (const [tier, limits] of tiers) {
      full.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `converge-dev-${tier}`,
        Throttle: {
          RateLimit: limits.rateLimit,
          BurstLimit: limits.burstLimit,
        },
        Quota: { Limit: limits.quotaPerDay, Period: 'DAY' },
      });
    }
    const keys = Object.values(
      resourcesOf(full.template, 'AWS::ApiGateway::ApiKey'),
    );
    expect(keys).toHaveLength(tiers.length);
    for (const key of keys) expect(key.Properties.Value).toBeUndefined();
    full.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      ApiKeySourceType: 'AUTHORIZER',
    });
    // Gateway-made 401s and 429s carry the API's error body and request id.
    for (const type of ['UNAUTHORIZED', 'THROTTLED']) {
      const [response] = Object.values(
        resourcesOf(full.template, 'AWS::ApiGateway::GatewayResponse'),
      ).filter((r) => r.Properties.ResponseType === type);
      const templates = response?.Properties.ResponseTemplates as Record<
        string,
        string
      >;
      expect(templates['application/json'], type).toContain(
        '"requestId":"$context.requestId"',
      );
    }
  });
});

describe('ConvergeStack: queue', () => {
  it('is a FIFO queue redriving to a FIFO DLQ, without content-based deduplication', () => {
    const queues = resourcesOf(full.template, 'AWS::SQS::Queue');
    const [mainId, main] =
      Object.entries(queues).find(([, q]) => q.Properties.RedrivePolicy) ?? [];
    const dlqEntry = Object.entries(queues).find(([id]) => id !== mainId);
    expect(main && dlqEntry).toBeTruthy();
    expect(Object.keys(queues)).toHaveLength(2);
    expect(main?.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqEntry?.[0], 'Arn'] },
        maxReceiveCount: full.config.queue.maxReceiveCount,
      },
    });
    expect(dlqEntry?.[1].Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
    });
  });

  it('keeps messages invisible for at least 6x the processor timeout', () => {
    const { fn } = functionOf(full, 'QueueProcessor');
    const queue = Object.values(
      resourcesOf(full.template, 'AWS::SQS::Queue'),
    ).find((q) => q.Properties.RedrivePolicy);
    const timeout = Number(fn.Properties.Timeout);
    expect(timeout).toBe(full.config.lambda.processorTimeoutSeconds);
    expect(Number(queue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(
      VISIBILITY_TIMEOUT_FACTOR * timeout,
    );
  });

  it('feeds the processor through an event source with partial batch failures', () => {
    const { id } = functionOf(full, 'QueueProcessor');
    const [, mapping] = onlyResource(
      full.template,
      'AWS::Lambda::EventSourceMapping',
    );
    expect(referencedId(mapping.Properties.FunctionName)).toBe(id);
    expect(mapping.Properties.FunctionResponseTypes).toEqual([
      'ReportBatchItemFailures',
    ]);
    expect(referencedId(mapping.Properties.EventSourceArn)).toMatch(
      /^BusQueue/,
    );
  });
});

describe('ConvergeStack: storage', () => {
  it('builds the table from table-schema.ts with TTL, PITR and on-demand billing', () => {
    full.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
    });
    const [, table] = onlyResource(full.template, 'AWS::DynamoDB::Table');
    const gsis = table.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
    }[];
    expect(gsis.map((g) => g.IndexName).sort()).toEqual(
      Object.values(INDEXES)
        .map((i) => i.name)
        .sort(),
    );
  });

  it('retains the table with deletion protection in prod only', () => {
    const [, prodTable] = onlyResource(prod.template, 'AWS::DynamoDB::Table');
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.UpdateReplacePolicy).toBe('Retain');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    const [, devTable] = onlyResource(full.template, 'AWS::DynamoDB::Table');
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(devTable.Properties.DeletionProtectionEnabled ?? false).toBe(false);
    for (const secret of Object.values(
      resourcesOf(prod.template, 'AWS::SecretsManager::Secret'),
    )) {
      expect(secret.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('ConvergeStack: functions', () => {
  it('deploys one function per catalog entry it is given', () => {
    expect(Object.keys(resourcesOf(full.template, LAMBDA))).toHaveLength(
      ALL_ENTRIES.length,
    );
  });

  it('knows every file in functions/ (a new domain must join the catalog)', () => {
    const files = readdirSync(FUNCTIONS_DIR).filter((f) => f.endsWith('.ts'));
    const unknown = files
      .map((f) => f.slice(0, -3))
      .filter((n) => !isFunctionName(n));
    expect(unknown).toEqual([]);
  });

  it('runs every function on nodejs22.x, ARM64, with active tracing and the Powertools env', () => {
    const [tableId] = onlyResource(full.template, 'AWS::DynamoDB::Table');
    for (const [id, fn] of Object.entries(resourcesOf(full.template, LAMBDA))) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
      expect(environmentOf(fn), id).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'converge',
        POWERTOOLS_METRICS_NAMESPACE: 'Converge',
        STORE_DRIVER: 'dynamodb',
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_NAME: { Ref: tableId },
      });
    }
    full.template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: full.config.logRetentionDays,
    });
  });

  it('passes secrets by ARN only, and no environment value looks like a secret', () => {
    const secrets = resourcesOf(full.template, 'AWS::SecretsManager::Secret');
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties.SecretString).toBeUndefined();
    }
    const secretIds = Object.keys(secrets);
    for (const [id, fn] of Object.entries(resourcesOf(full.template, LAMBDA))) {
      for (const [name, value] of Object.entries(environmentOf(fn))) {
        const text = JSON.stringify(value);
        expect(text, `${id}.${name}`).not.toMatch(
          /PRIVATE KEY|-----BEGIN|ghs_|gh[pousr]_[A-Za-z0-9]{20}/,
        );
        if (/SECRET|PRIVATE|PASSWORD|TOKEN/.test(name)) {
          expect(name, id).toMatch(/_ARN$/);
          expect(secretIds, `${id}.${name}`).toContain(referencedId(value));
        }
      }
    }
    expect(environmentOf(functionOf(full, 'Webhooks').fn)).toHaveProperty(
      'GITHUB_WEBHOOK_SECRET_ARN',
    );
    expect(environmentOf(functionOf(full, 'QueueProcessor').fn)).toHaveProperty(
      'GITHUB_APP_PRIVATE_KEY_SECRET_ARN',
    );
  });

  it('grants least privilege: secrets, queue send/consume and table writes per role', () => {
    const actions = (constructId: string) => {
      const roleId = roleOf(functionOf(full, constructId).fn);
      if (!roleId) throw new Error(`no role for ${constructId}`);
      return actionsOfRole(full.template, roleId);
    };
    const readsSecrets = (a: string[]) =>
      a.includes('secretsmanager:GetSecretValue');
    for (const name of [
      'Webhooks',
      'QueueProcessor',
      'Scheduler',
      'Intents',
      'Queue',
    ]) {
      expect(readsSecrets(actions(name)), name).toBe(true);
    }
    for (const name of ['Health', 'Auth', 'Authorizer', 'Risk', 'Dashboard']) {
      expect(readsSecrets(actions(name)), name).toBe(false);
    }
    expect(actions('Intents')).toContain('sqs:SendMessage');
    expect(actions('Intents')).not.toContain('sqs:ReceiveMessage');
    expect(actions('QueueProcessor')).toEqual(
      expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:SendMessage',
      ]),
    );
    expect(actions('Health')).not.toContain('dynamodb:PutItem');
    expect(actions('Health')).toContain('dynamodb:Query');
    expect(actions('Authorizer')).not.toContain('sqs:SendMessage');
  });

  it('never grants a wildcard action, and table access only on the table and its indexes', () => {
    type Statement = { Action: string | string[]; Resource: unknown };
    const statements = Object.values(
      resourcesOf(full.template, 'AWS::IAM::Policy'),
    ).flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const tableId = Object.keys(
      resourcesOf(full.template, 'AWS::DynamoDB::Table'),
    )[0];
    const onTable = statements.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
    );
    expect(onTable.length).toBeGreaterThan(0);
    for (const s of statements) {
      const actions = [s.Action].flat();
      expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    }
    for (const s of onTable) {
      const resources = [s.Resource].flat();
      expect(resources).not.toContain('*');
      for (const r of resources) {
        expect(JSON.stringify(r)).toContain(tableId);
      }
    }
  });
});

describe('ConvergeStack: scheduler', () => {
  it('drives the scheduler function with one rule per task', () => {
    const { id } = functionOf(full, 'Scheduler');
    const rules = Object.values(
      resourcesOf(full.template, 'AWS::Events::Rule'),
    );
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual([
      'cron(17 3 * * ? *)',
      'rate(1 minute)',
      'rate(15 minutes)',
    ]);
    for (const rule of rules) {
      const [target] = rule.Properties.Targets as {
        Arn: unknown;
        Input: string;
      }[];
      expect(referencedId(target?.Arn)).toBe(id);
      const task = (JSON.parse(target?.Input ?? '{}') as { task?: string })
        .task;
      expect(SCHEDULED_TASKS.map((t) => t.task)).toContain(task);
    }
  });
});

describe('ConvergeStack: observability', () => {
  it('notifies a topic with at least two subscriptions of different kinds', () => {
    const [topicId] = onlyResource(full.template, 'AWS::SNS::Topic');
    const subs = Object.values(
      resourcesOf(full.template, 'AWS::SNS::Subscription'),
    );
    expect(subs.length).toBeGreaterThanOrEqual(2);
    for (const sub of subs)
      expect(referencedId(sub.Properties.TopicArn)).toBe(topicId);
    expect(new Set(subs.map((s) => s.Properties.Protocol))).toEqual(
      new Set(['email', 'https']),
    );
  });

  it('alarms on 5xx rate, p99 latency, DLQ, queue age, processor errors and open circuit', () => {
    const [topicId] = onlyResource(full.template, 'AWS::SNS::Topic');
    const alarms = Object.values(
      resourcesOf(full.template, 'AWS::CloudWatch::Alarm'),
    );
    const byName = new Map(
      alarms.map((a) => [String(a.Properties.AlarmName), a.Properties]),
    );
    expect([...byName.keys()].sort()).toEqual(
      [
        'Api5xxRate',
        'ApiP99Latency',
        'DeadLetterQueueNotEmpty',
        'GitHubCircuitOpen',
        'QueueOldestMessage',
        'QueueProcessorErrors',
      ].map((n) => `converge-dev-${n}`),
    );
    for (const props of byName.values()) {
      expect(referencedId((props.AlarmActions as unknown[])[0])).toBe(topicId);
      expect(referencedId((props.OKActions as unknown[])[0])).toBe(topicId);
    }
    const rate = byName.get('converge-dev-Api5xxRate');
    expect(rate?.Threshold).toBe(0.1);
    expect(JSON.stringify(rate?.Metrics)).toContain('100 * errors / requests');
    expect(byName.get('converge-dev-ApiP99Latency')).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 500,
    });
    expect(byName.get('converge-dev-DeadLetterQueueNotEmpty')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
    });
    expect(byName.get('converge-dev-QueueOldestMessage')).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 300,
    });
    expect(byName.get('converge-dev-GitHubCircuitOpen')).toMatchObject({
      Namespace: 'Converge',
      MetricName: 'CircuitOpen',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 0,
    });
  });

  it('builds a dashboard with API, product, queue and Lambda metrics', () => {
    const [, dashboard] = onlyResource(
      full.template,
      'AWS::CloudWatch::Dashboard',
    );
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    const names = [
      ...Object.values(CONVERGE_METRICS).flat(),
      'ColdStart',
      'Latency',
      '4XXError',
      '5XXError',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'Errors',
      'Throttles',
    ];
    for (const name of names) expect(body, name).toContain(`\\"${name}\\"`);
    expect(body).toContain('p99');
    expect(body).toContain('p50');
  });
});

describe('ConvergeStack: configuration', () => {
  it('defaults to dev and rejects an unknown environment', () => {
    const context = cdkContext();
    const read = (env: unknown) => (key: string) =>
      key === 'env' ? env : context[key];
    expect(loadStackConfig(read(undefined)).envName).toBe('dev');
    expect(() => loadStackConfig(read('qa'))).toThrow(/Unknown env 'qa'/);
  });

  it('rejects fewer than two alarm subscriptions', () => {
    const raw = JSON.parse(
      JSON.stringify((cdkContext().converge as Record<string, unknown>).dev),
    ) as {
      notifications: { emails: string[]; httpsEndpoints: string[] };
    };
    raw.notifications.httpsEndpoints = [];
    expect(() => toStackConfig('dev', raw)).toThrow(
      /at least two alarm subscriptions/,
    );
  });

  it('uses RETAIN and longer log retention in prod', () => {
    expect(configOf('prod')).toMatchObject({
      retain: true,
      removalPolicy: 'retain',
    });
    expect(configOf('dev').removalPolicy).toBe('destroy');
    expect(configOf('prod').logRetentionDays).toBeGreaterThan(
      configOf('dev').logRetentionDays,
    );
  });

  it('refuses routes outside /v1 and private routes without an authorizer', () => {
    const health = ALL_ENTRIES.filter((e) => e.name === 'health');
    const make = (path: string, isPublic: boolean) => () =>
      new ConvergeStack(new App(), 'X', {
        config: configOf('dev'),
        routes: [{ fn: 'health', method: 'GET', path, public: isPublic }],
        functions: health,
        codeFor: inlineCode,
      });
    expect(make('/health', true)).toThrow(/not under \/v1/);
    expect(make('/v1/private', false)).toThrow(/authorizer/);
    const minimal = Template.fromStack(make('/v1/health', true)());
    minimal.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    // No functions/scheduler.ts, no rules; no processor, no event source.
    minimal.resourceCountIs('AWS::Events::Rule', 0);
    minimal.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    minimal.resourceCountIs(LAMBDA, 1);
  });

  it('discovers only the function files that exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'converge-functions-'));
    writeFileSync(join(dir, 'health.ts'), 'export const handler = 1;\n');
    expect(discoverFunctions(dir).map((f) => f.name)).toEqual(['health']);
  });
});
