import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { authenticate } from '../shared/domain/auth/authenticate.js';
import { UnauthorizedError } from '../shared/domain/errors.js';
import {
  type AccessSite,
  recordAccess,
} from '../shared/http/access-control.js';
import {
  type AuthorizerContext,
  toAuthorizerContext,
} from '../shared/http/authorizer-context.js';
import { observed } from '../shared/http/lambda-stack.js';
import { logger, metrics } from '../shared/http/powertools.js';
import { type Deps, getDeps } from '../shared/runtime/deps.js';

function headerValue(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/**
 * The authorizer's decision, shared by the Lambda and the local stack: the
 * `x-api-key` header becomes the principal's authorizer context.
 * @throws UnauthorizedError (after appending `access.denied`) when the key is
 * missing, unknown, expired or revoked
 * @example
 * const context = await authorizeRequest(deps, { 'x-api-key': key });
 */
export async function authorizeRequest(
  deps: Pick<Deps, 'store' | 'clock' | 'ids'>,
  headers: Record<string, string | undefined> | null | undefined,
  site: AccessSite = { method: '', path: '', requestId: '', sourceIp: null },
): Promise<AuthorizerContext> {
  try {
    const principal = await authenticate(
      deps,
      headerValue(headers, 'x-api-key'),
    );
    return toAuthorizerContext(principal);
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      // Auditing is best effort here: a failed append must not turn a 401
      // into a 500.
      await recordAccess(
        deps,
        'access.denied',
        null,
        site,
        error.message,
      ).catch((cause: unknown) =>
        logger.warn('access.denied not recorded', { error: cause }),
      );
    }
    throw error;
  }
}

/** Allow every route of the stage: the result is cached per key, not per route. */
function stageWildcard(methodArn: string): string {
  const [apiAndStage, stage] = methodArn.split('/');
  return `${apiAndStage}/${stage}/*/*`;
}

/**
 * API Gateway REQUEST authorizer (identity source: the `x-api-key` header).
 * An invalid key fails with `Error('Unauthorized')`, which API Gateway turns
 * into a 401.
 */
export const handler = observed(
  async (
    event: APIGatewayRequestAuthorizerEvent,
  ): Promise<APIGatewayAuthorizerResult> => {
    const deps = await getDeps();
    try {
      const context = await authorizeRequest(deps, event.headers, {
        method: event.httpMethod,
        path: event.resource,
        requestId: event.requestContext.requestId,
        sourceIp: event.requestContext.identity.sourceIp ?? null,
      });
      metrics.addMetric('Authorized', MetricUnit.Count, 1);
      return {
        principalId: context.actor,
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: stageWildcard(event.methodArn),
            },
          ],
        },
        context,
      };
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      metrics.addMetric('AuthFailure', MetricUnit.Count, 1);
      throw new Error('Unauthorized');
    }
  },
);
