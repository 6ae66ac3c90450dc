import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';

/** Where a local request landed and who the authorizer said it is. */
export interface LocalInvocation {
  /** The matched resource template, e.g. `/v1/auth/keys/{keyId}`. */
  resource: string;
  pathParameters: Record<string, string>;
  requestId: string;
  /** The authorizer context plus `principalId`; null on public routes. */
  authorizer: Record<string, string | number | boolean> | null;
  stage?: string;
}

const TEXT_TYPES =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)|application\/(x-www-form-urlencoded|javascript))/i;

function headerMaps(rawHeaders: string[]): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = value;
    const list = multiValueHeaders[name] ?? [];
    list.push(value);
    multiValueHeaders[name] = list;
  }
  return { headers, multiValueHeaders };
}

function queryMaps(search: URLSearchParams): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of search) {
    single[k] = v;
    multi[k] = [...(multi[k] ?? []), v];
  }
  const empty = Object.keys(single).length === 0;
  return { single: empty ? null : single, multi: empty ? null : multi };
}

function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  if (contentType === undefined || TEXT_TYPES.test(contentType)) {
    return { body: body.toString('utf8'), isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/**
 * Builds the API Gateway REST (v1) proxy event of a local request, the shape
 * a Lambda behind `LambdaIntegration` receives: client header casing kept,
 * last value in `headers` and all in `multiValueHeaders`, null for absent
 * query and path parameters, non-text bodies base64-encoded.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * @example
 * const event = toApiGatewayEvent(req, body, { resource, pathParameters, requestId, authorizer: null });
 */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  inv: LocalInvocation,
): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const { headers, multiValueHeaders } = headerMaps(req.rawHeaders);
  const query = queryMaps(url.searchParams);
  const hasParams = Object.keys(inv.pathParameters).length > 0;
  const now = Date.now();
  return {
    resource: inv.resource,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: hasParams ? { ...inv.pathParameters } : null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: inv.authorizer,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: localIdentity(req),
      path: `/${inv.stage ?? 'local'}${url.pathname}`,
      stage: inv.stage ?? 'local',
      requestId: inv.requestId,
      requestTime: new Date(now).toUTCString(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: inv.resource,
    },
    ...encodeBody(body, req.headers['content-type']),
  };
}

function localIdentity(
  req: IncomingMessage,
): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    user: null,
    userAgent: req.headers['user-agent'] ?? null,
    userArn: null,
  };
}

/**
 * Writes a Lambda proxy result as the HTTP response, as API Gateway does:
 * `headers` and `multiValueHeaders` merged, base64 bodies decoded.
 */
export function writeApiGatewayResult(
  res: ServerResponse,
  result: APIGatewayProxyResult,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[k.toLowerCase()] = v.map(String);
  }
  for (const [k, v] of Object.entries(result.headers ?? {})) {
    headers[k.toLowerCase()] = String(v);
  }
  const body = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

/**
 * A Lambda `Context` for a local invocation. The reported deadline is a
 * little past `timeoutMs` so the caller's own timeout (504) fires before
 * middy's early-timeout error (which would be a 500).
 */
export function createLambdaContext(options: {
  functionName: string;
  requestId: string;
  timeoutMs: number;
}): Context {
  const deadline = Date.now() + options.timeoutMs + 1_000;
  const { functionName, requestId } = options;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
