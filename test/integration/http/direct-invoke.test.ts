import type {
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler as authHandler } from '../../../functions/auth.js';
import { handler as authorizerHandler } from '../../../functions/authorizer.js';
import { handler as healthHandler } from '../../../functions/health.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { createApiKey } from '../../../shared/domain/auth/manage-api-keys.js';
import { type Deps, setDeps } from '../../../shared/runtime/deps.js';
import { getTestEvent } from '../../support/events.js';
import { SequentialIds } from '../../support/fixtures.js';
import { TestClock } from '../../support/test-clock.js';

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'converge-test',
  functionVersion: '$LATEST',
  invokedFunctionArn:
    'arn:aws:lambda:us-east-1:123456789012:function:converge-test',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req-1',
  logGroupName: '/aws/lambda/converge-test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

describe('handlers invoked directly with sample events', () => {
  let store: SqliteStore;
  let deps: Pick<Deps, 'store' | 'clock' | 'ids'>;

  beforeEach(() => {
    const clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    deps = { store, clock, ids: new SequentialIds() };
    setDeps(deps as Deps);
  });

  afterEach(async () => {
    await store.close();
  });

  it('serves GET /v1/health from events/health-get.json', async () => {
    const event = getTestEvent<APIGatewayProxyEvent>('health-get');
    const result = await healthHandler(event, context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-request-id']).toBe(
      event.requestContext.requestId,
    );
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok' });
  });

  it('serves whoami from the authorizer context of events/whoami-get.json', async () => {
    const event = getTestEvent<APIGatewayProxyEvent>('whoami-get');
    const result = await authHandler(event, context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      actor: 'alice',
      tenant_id: 'acme',
      role: 'operator',
      scopes: ['intents.read', 'risk.*'],
      key_id: '0123456789ab',
    });
  });

  it('answers 401 when the authorizer context is missing', async () => {
    const event = getTestEvent<APIGatewayProxyEvent>('whoami-get');
    event.requestContext.authorizer = null;
    const result = await authHandler(event, context);
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({
      code: 'unauthorized',
      requestId: event.requestContext.requestId,
    });
  });

  it('matches by path when the resource is missing', async () => {
    const event = getTestEvent<APIGatewayProxyEvent>('health-get');
    event.resource = '';
    event.path = '/v1/health/live';
    const result = await healthHandler(event, context);
    expect(JSON.parse(result.body)).toEqual({ status: 'alive' });
    event.path = '/v1/health/nope';
    expect((await healthHandler(event, context)).statusCode).toBe(404);
  });

  it('authorizes a valid key with an Allow policy and a string context', async () => {
    const issued = await createApiKey(deps, {
      actor: 'bot',
      role: 'operator',
      tenantId: null,
      scopes: ['risk.*'],
    });
    const event =
      getTestEvent<APIGatewayRequestAuthorizerEvent>('authorizer-request');
    event.headers = { ...event.headers, 'X-Api-Key': issued.key };
    const result = await authorizerHandler(event, context);
    expect(result).toEqual({
      principalId: 'bot',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource:
              'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*',
          },
        ],
      },
      context: {
        actor: 'bot',
        tenantId: '',
        role: 'operator',
        scopes: '["risk.*"]',
        keyId: issued.keyId,
      },
    });
  });

  it("rejects an unknown key with Error('Unauthorized') and access.denied", async () => {
    const event =
      getTestEvent<APIGatewayRequestAuthorizerEvent>('authorizer-request');
    await expect(authorizerHandler(event, context)).rejects.toThrow(
      /^Unauthorized$/,
    );
    const denied = await store.events.query({ type: 'access.denied' });
    expect(denied.items[0]?.payload).toMatchObject({
      reason: 'Invalid API key',
      method: 'GET',
      path: '/v1/auth/whoami',
    });
  });
});
