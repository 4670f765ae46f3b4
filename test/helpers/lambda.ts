/** A fake Lambda context, API Gateway event builders, and a capture of what handlers print (logs and EMF). */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function fakeContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test-function',
    memoryLimitInMB: '256',
    awsRequestId: 'lambda-request-1',
    logGroupName: '/aws/lambda/test-function',
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

export interface ApiEventOptions {
  readonly method?: string;
  readonly path?: string;
  /** The resource API Gateway matched (`/instances/{id}`). @default the path */
  readonly resource?: string;
  /** The caller IAM authorization verified. @default none */
  readonly userArn?: string;
  readonly headers?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestId?: string;
}

/** An API Gateway REST proxy event (the shape API Gateway sends a Lambda proxy integration). */
export function apiEvent(options: ApiEventOptions = {}): APIGatewayProxyEvent {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const resource = options.resource ?? path;
  return {
    resource,
    path,
    httpMethod: method,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      requestId: options.requestId ?? 'api-request-1',
      httpMethod: method,
      path: `/prod${path}`,
      resourcePath: resource,
      stage: 'prod',
      ...(options.userArn && {
        identity: { userArn: options.userArn, caller: 'AROAEXAMPLE:session', accountId: '123456789012' },
      }),
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

export interface CapturedOutput {
  /** Every JSON line printed on stdout or stderr, parsed. */
  readonly lines: () => Record<string, unknown>[];
  /** The Powertools Logger lines (they carry `level`). */
  readonly logs: () => Record<string, unknown>[];
  /** The EMF documents Powertools Metrics printed. */
  readonly emf: () => EmfDocument[];
}

/**
 * Swallows what handlers print to stdout and stderr and keeps the JSON lines. Call it in `beforeEach`; the
 * spies it creates are undone by `jest.restoreAllMocks()` in `afterEach`.
 */
export function captureOutput(): CapturedOutput {
  const printed: string[] = [];
  const keep = (chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  jest.spyOn(process.stderr, 'write').mockImplementation(keep);
  const lines = () =>
    printed
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    lines,
    logs: () => lines().filter((line) => typeof line.level === 'string'),
    emf: () => lines().filter((line) => typeof line._aws === 'object') as unknown as EmfDocument[],
  };
}
