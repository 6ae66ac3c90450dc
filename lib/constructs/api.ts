import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.js';
import type { RouteManifestEntry } from '../function-catalog.js';
import { constructIdOf } from './functions.js';

/** Props of `ConvergeApi`. */
export interface ConvergeApiProps {
  config: StackConfig;
  routes: readonly RouteManifestEntry[];
  /** The function serving each `RouteManifestEntry.fn`. */
  functionFor: (name: string) => lambda.IFunction | undefined;
  /** Required as soon as one route is not public. */
  authorizerFunction: lambda.IFunction | undefined;
}

const ACCESS_LOG_FIELDS = {
  requestId: apigw.AccessLogField.contextRequestId(),
  extendedRequestId: apigw.AccessLogField.contextExtendedRequestId(),
  xrayTraceId: apigw.AccessLogField.contextXrayTraceId(),
  requestTime: apigw.AccessLogField.contextRequestTime(),
  httpMethod: apigw.AccessLogField.contextHttpMethod(),
  resourcePath: apigw.AccessLogField.contextResourcePath(),
  status: apigw.AccessLogField.contextStatus(),
  responseLength: apigw.AccessLogField.contextResponseLength(),
  responseLatency: apigw.AccessLogField.contextResponseLatency(),
  integrationLatency: apigw.AccessLogField.contextIntegrationLatency(),
  authorizerLatency: apigw.AccessLogField.contextAuthorizerLatency(),
  authorizerError: apigw.AccessLogField.contextAuthorizerError(),
  errorType: apigw.AccessLogField.contextErrorResponseType(),
  tenant: apigw.AccessLogField.contextAuthorizer('tenantId'),
  actor: apigw.AccessLogField.contextAuthorizerPrincipalId(),
  sourceIp: apigw.AccessLogField.contextIdentitySourceIp(),
  userAgent: apigw.AccessLogField.contextIdentityUserAgent(),
};

/** Gateway-generated errors in the API's own error body shape. */
const GATEWAY_ERRORS: ReadonlyArray<
  readonly [apigw.ResponseType, string, string]
> = [
  [apigw.ResponseType.UNAUTHORIZED, 'UnauthorizedError', 'unauthorized'],
  [apigw.ResponseType.ACCESS_DENIED, 'ForbiddenError', 'forbidden'],
  [apigw.ResponseType.THROTTLED, 'RateLimitedError', 'rate_limited'],
  [apigw.ResponseType.QUOTA_EXCEEDED, 'RateLimitedError', 'quota_exceeded'],
];

/**
 * An authorizer that failed on its own dependencies (the key store
 * throttled) is a retryable 503, as the local stack answers, not a 500.
 */
const AUTHORIZER_FAILURE_TEMPLATE =
  '{"error":"TransientError","code":"transient","message":"Authorizer unavailable, retry","requestId":"$context.requestId"}';

/**
 * The REST API: every route of the route tables under `/v1`, each method on
 * its domain's function. Non-public routes go through a REQUEST authorizer
 * that turns `x-api-key` into a principal, cached per key. Stage throttling
 * caps the whole API; one usage plan (and API key) per tenant tier carries
 * that tier's throttle and daily quota (docs/deploy.md, "Tenant tiers").
 * Access logs are JSON in their own log group.
 */
export class ConvergeApi extends Construct {
  /** The API, for metrics and outputs. */
  readonly restApi: apigw.RestApi;

  constructor(scope: Construct, id: string, props: ConvergeApiProps) {
    super(scope, id);
    const { config } = props;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `${config.prefix}-api`,
      description: `Converge merge governance API (${config.envName})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // One AWS::ApiGateway::Account per account and region: kept on delete
      // because other APIs of the account rely on it (docs/deploy.md).
      ...(config.api.cloudWatchRole
        ? {
            cloudWatchRole: true,
            cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
          }
        : { cloudWatchRole: false }),
      // Usage plans find the key through the authorizer's usageIdentifierKey.
      apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER,
      deployOptions: {
        stageName: config.envName,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: config.api.rateLimit,
        throttlingBurstLimit: config.api.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(
          JSON.stringify(ACCESS_LOG_FIELDS),
        ),
      },
    });
    this.addRoutes(props);
    this.addUsagePlans(config);
    this.addAuthorizerFailure();
    for (const [type, error, code] of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(
        constructIdOf(code.replaceAll('_', '-')),
        {
          type,
          templates: {
            'application/json': `{"error":"${error}","code":"${code}","message":$context.error.messageString,"requestId":"$context.requestId"}`,
          },
        },
      );
    }
  }

  private addAuthorizerFailure(): void {
    this.restApi.addGatewayResponse('AuthorizerFailure', {
      type: apigw.ResponseType.AUTHORIZER_FAILURE,
      statusCode: '503',
      responseHeaders: { 'Retry-After': "'1'" },
      templates: { 'application/json': AUTHORIZER_FAILURE_TEMPLATE },
    });
  }

  private addRoutes(props: ConvergeApiProps): void {
    const integrations = new Map<string, apigw.LambdaIntegration>();
    const authorizer = this.authorizerFor(props);
    const seen = new Set<string>();
    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (!route.path.startsWith('/v1/')) {
        throw new Error(`route ${key} (${route.fn}) is not under /v1`);
      }
      if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
      seen.add(key);
      let integration = integrations.get(route.fn);
      if (!integration) {
        const fn = props.functionFor(route.fn);
        if (!fn) throw new Error(`route ${key}: no function '${route.fn}'`);
        // One invoke permission per function for this API, not one per
        // method: keeps the stack far below CloudFormation's 500 resources.
        integration = new apigw.LambdaIntegration(fn, {
          scopePermissionToMethod: false,
        });
        integrations.set(route.fn, integration);
      }
      const resource = this.restApi.root.resourceForPath(route.path);
      resource.addMethod(
        route.method,
        integration,
        route.public || !authorizer
          ? { authorizationType: apigw.AuthorizationType.NONE }
          : { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer },
      );
    }
  }

  private authorizerFor(
    props: ConvergeApiProps,
  ): apigw.RequestAuthorizer | undefined {
    if (props.routes.every((r) => r.public)) return undefined;
    if (!props.authorizerFunction) {
      throw new Error('non-public routes need functions/authorizer.ts');
    }
    return new apigw.RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: props.authorizerFunction,
      identitySources: [apigw.IdentitySource.header('x-api-key')],
      resultsCacheTtl: Duration.seconds(
        props.config.api.authorizerCacheSeconds,
      ),
    });
  }

  private addUsagePlans(config: StackConfig): void {
    for (const [tier, limits] of Object.entries(config.api.tiers)) {
      const id = constructIdOf(tier);
      const plan = this.restApi.addUsagePlan(`${id}UsagePlan`, {
        name: `${config.prefix}-${tier}`,
        description: `Tenant tier '${tier}'`,
        throttle: {
          rateLimit: limits.rateLimit,
          burstLimit: limits.burstLimit,
        },
        quota: { limit: limits.quotaPerDay, period: apigw.Period.DAY },
        apiStages: [{ stage: this.restApi.deploymentStage }],
      });
      // No value given: API Gateway generates it; nothing secret in the template.
      const key = this.restApi.addApiKey(`${id}ApiKey`, {
        apiKeyName: `${config.prefix}-${tier}`,
        description: `Usage identifier of tenant tier '${tier}'`,
      });
      plan.addApiKey(key);
    }
  }
}
