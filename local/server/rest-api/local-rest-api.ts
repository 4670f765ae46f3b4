/**
 * A REST API of the template served on the edge port at `/<stage>/...` (the operations API at `/api/...`), as API
 * Gateway serves it: the resource and method matched as API Gateway matches them (ANY as the fallback), the
 * stage's per-method throttling, an API key when a method requires one (present, not checked against a plan), the
 * request validator's required parameters, then the Lambda proxy integration: the same handler code through the
 * local Lambda binding, with the proxy event API Gateway builds. API Gateway's own refusals come from the API's
 * gateway responses. IAM authorization is not evaluated (no SigV4 check): the caller is named after the access key
 * of a signed request, else `local` (docs/api.md, docs/local-runtime.md).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock';
import type { LocalFunctions } from '../../stepfunctions/bindings/lambda-function';
import type { RestApiModel, RestMethodModel } from '../../template/rest-api-model';
import { readBody } from '../aws-json';
import { isAwsApiError } from '../errors';
import { callerName } from '../sts-api';
import { type GatewayContext, type GatewayError, renderGatewayResponse } from './gateway-response';
import { proxyEvent } from './proxy-event';
import { ResourceTree } from './route-match';
import { TokenBuckets } from './token-buckets';

/** API Gateway's payload limit for REST APIs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LocalRestApiOptions {
  readonly functions: LocalFunctions;
  readonly clock: Pick<Clock, 'now'>;
  readonly account: string;
  /** The local service's endpoint: where the handlers' AWS SDK calls go (Step Functions, EventBridge). */
  readonly endpoint: string;
  readonly onInternalError?: (target: string, error: unknown) => void;
}

export class LocalRestApi {
  readonly prefix: string;
  private readonly tree: ResourceTree;
  private readonly buckets: TokenBuckets;

  constructor(
    readonly model: RestApiModel,
    private readonly options: LocalRestApiOptions,
  ) {
    this.prefix = `/${model.stageName}`;
    this.tree = new ResourceTree(new Set(model.methods.map((method) => method.resourcePath)));
    this.buckets = new TokenBuckets(options.clock);
  }

  /** A request for this API: its path starts with the stage (`/api/...`) and it is no AWS JSON call. */
  handles(req: IncomingMessage): boolean {
    if (req.headers['x-amz-target'] !== undefined) return false;
    const path = (req.url ?? '/').split('?')[0]!;
    return path === this.prefix || path.startsWith(`${this.prefix}/`);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = (queryAt < 0 ? url : url.slice(0, queryAt)).slice(this.prefix.length) || '/';
    const method = req.method ?? 'GET';
    const clientRequestId = String(req.headers['x-amzn-requestid'] ?? '');
    const context: GatewayContext = {
      requestId: UUID.test(clientRequestId) ? clientRequestId : randomUUID(),
      extendedRequestId: randomUUID().replaceAll('-', '').slice(0, 16),
      stage: this.model.stageName,
      httpMethod: method,
      path: `${this.prefix}${path}`,
      accountId: this.options.account,
      apiId: this.model.logicalId,
    };
    const refuse = (error: GatewayError, resourcePath?: string) => {
      const rendered = renderGatewayResponse(error, this.model.gatewayResponses, {
        ...context,
        ...(resourcePath && { resourcePath }),
      });
      send(res, rendered.statusCode, { 'Content-Type': 'application/json' }, Buffer.from(rendered.body), context);
    };

    let body: Buffer;
    try {
      body = await readBody(req, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (isAwsApiError(error)) refuse({ type: 'REQUEST_TOO_LARGE', message: 'Request Too Long' });
      return;
    }
    const match = this.tree.match(path);
    const found = match && this.methodFor(match.resourcePath, method);
    if (!match || !found) {
      refuse({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
      return;
    }
    const throttle = this.model.methodThrottles[`${method} ${match.resourcePath}`] ?? this.model.defaultThrottle;
    if (throttle && !this.buckets.take(`${found.httpMethod} ${match.resourcePath}`, throttle)) {
      refuse({ type: 'THROTTLED', message: 'Too Many Requests' }, match.resourcePath);
      return;
    }
    const apiKey = headerOf(req, 'x-api-key');
    if (found.apiKeyRequired && !apiKey) {
      refuse({ type: 'INVALID_API_KEY', message: 'Forbidden' }, match.resourcePath);
      return;
    }
    const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
    const missing = [
      ...found.requiredQuery.filter((name) => !query.has(name)),
      ...found.requiredHeaders.filter((name) => headerOf(req, name) === undefined),
    ];
    if (missing.length > 0) {
      refuse(
        { type: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${missing.join(', ')}]` },
        match.resourcePath,
      );
      return;
    }
    if (found.integration.type !== 'AWS_PROXY') {
      this.options.onInternalError?.(
        `${method} ${path}`,
        new Error(`the local service cannot run a ${found.integration.description}`),
      );
      refuse({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' }, match.resourcePath);
      return;
    }
    const name = callerName(req.headers);
    const event = proxyEvent(
      {
        method,
        path,
        rawQuery: queryAt < 0 ? '' : url.slice(queryAt + 1),
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      },
      { resourcePath: match.resourcePath, resourceId: match.resourcePath, pathParameters: match.pathParameters },
      {
        stage: this.model.stageName,
        apiId: this.model.logicalId,
        accountId: this.options.account,
        requestId: context.requestId,
        extendedRequestId: context.extendedRequestId,
        now: this.options.clock.now(),
        identity: {
          accessKey: name === 'local' ? null : name,
          caller: `AIDALOCAL${name.toUpperCase()}`,
          user: `AIDALOCAL${name.toUpperCase()}`,
          userArn: `arn:aws:iam::${this.options.account}:user/${name}`,
        },
        ...(apiKey && { apiKey }),
      },
    );
    let result: unknown;
    try {
      result = await this.options.functions.invoke(found.integration.functionArn, event, {
        environment: { AWS_ENDPOINT_URL: this.options.endpoint },
      });
    } catch (error) {
      // A function error: API Gateway answers 502 without anything the function said.
      this.options.onInternalError?.(`${method} ${path}`, error);
      refuse({ type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 }, match.resourcePath);
      return;
    }
    const response = proxyResponse(result);
    if (!response) {
      this.options.onInternalError?.(`${method} ${path}`, new Error('malformed Lambda proxy response'));
      refuse({ type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 }, match.resourcePath);
      return;
    }
    send(res, response.statusCode, response.headers, response.body, context);
  }

  /** The method for the request's verb, else the resource's ANY method. */
  private methodFor(resourcePath: string, method: string): RestMethodModel | undefined {
    const onResource = this.model.methods.filter((candidate) => candidate.resourcePath === resourcePath);
    return (
      onResource.find((candidate) => candidate.httpMethod === method) ?? onResource.find((c) => c.httpMethod === 'ANY')
    );
  }
}

interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** `{ statusCode, headers, multiValueHeaders, body, isBase64Encoded }` as API Gateway reads it; undefined if malformed. */
function proxyResponse(result: unknown): ProxyResult | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const fields = result as Record<string, unknown>;
  const statusCode = Number(fields.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (fields.body !== undefined && fields.body !== null && typeof fields.body !== 'string') return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((fields.headers as Record<string, unknown> | undefined) ?? {})) {
    headers[name] = String(value);
  }
  for (const [name, values] of Object.entries(
    (fields.multiValueHeaders as Record<string, unknown[]> | undefined) ?? {},
  )) {
    headers[name] = values.map(String).join(', ');
  }
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  const text = typeof fields.body === 'string' ? fields.body : '';
  return {
    statusCode,
    headers,
    body: fields.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.at(-1) : value;
}

function send(
  res: ServerResponse,
  statusCode: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  context: Pick<GatewayContext, 'requestId' | 'extendedRequestId'>,
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(statusCode, {
    ...headers,
    'Content-Length': body.length,
    'x-amzn-RequestId': context.requestId,
    'x-amz-apigw-id': context.extendedRequestId,
  });
  res.end(body);
}
