/**
 * The event API Gateway sends a Lambda proxy integration of a REST API (payload format 1.0): headers as sent
 * (names in their case, the last value, and every value in `multiValueHeaders`), the query string decoded, path
 * parameters as sent, the body as text, and the request context with the caller's IAM identity.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyRequest {
  readonly method: string;
  /** After the stage, as sent: `/instances/db-a`. */
  readonly path: string;
  readonly rawQuery: string;
  /** `rawHeaders` of the Node request: name, value, name, value... */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface ProxyTarget {
  readonly resourcePath: string;
  readonly resourceId: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export interface ProxyContext {
  readonly stage: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  /** Epoch milliseconds, from the runtime clock. */
  readonly now: number;
  /** The caller as IAM authorization would have identified them. */
  readonly identity: {
    readonly accessKey: string | null;
    readonly caller: string;
    readonly user: string;
    readonly userArn: string;
  };
  readonly apiKey?: string;
}

export function proxyEvent(request: ProxyRequest, target: ProxyTarget, context: ProxyContext): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!;
    const value = request.rawHeaders[index + 1]!;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query = new URLSearchParams(request.rawQuery);
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of query) {
    queryStringParameters[name] = value;
    multiValueQueryStringParameters[name] = [...(multiValueQueryStringParameters[name] ?? []), value];
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const text = request.body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(request.body);
  const header = (name: string) => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? null;
  return {
    resource: target.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: Object.keys(target.pathParameters).length > 0 ? { ...target.pathParameters } : null,
    stageVariables: null,
    body: request.body.length === 0 ? null : isText ? text : request.body.toString('base64'),
    isBase64Encoded: request.body.length > 0 && !isText,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      authorizer: null,
      domainName: header('host') ?? '127.0.0.1',
      domainPrefix: (header('host') ?? '127.0.0.1').split('.')[0]!,
      extendedRequestId: context.extendedRequestId,
      httpMethod: request.method,
      identity: {
        accessKey: context.identity.accessKey,
        accountId: context.accountId,
        apiKey: context.apiKey ?? null,
        apiKeyId: null,
        caller: context.identity.caller,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: context.identity.user,
        userAgent: header('user-agent'),
        userArn: context.identity.userArn,
      },
      path: `/${context.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: context.requestId,
      requestTime: clfTime(context.now),
      requestTimeEpoch: context.now,
      resourceId: target.resourceId,
      resourcePath: target.resourcePath,
      stage: context.stage,
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2026:12:34:56 +0000`, as `requestContext.requestTime` gives it. */
export function clfTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
