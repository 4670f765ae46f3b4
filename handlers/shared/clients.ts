/**
 * One AWS SDK client per service per container, configured from the environment only: the standard retry
 * mode with bounded attempts and timeouts, the endpoint the SDK itself would take from
 * AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (how the local runtime and `local serve` point handlers at
 * themselves), captured by the Tracer, and a retry metric whenever the SDK had to retry.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnexpectedError } from './errors';
import { emitCount, logger, SDK_RETRY_METRIC, tracer } from './powertools';

/** Attempts per SDK call (the first try included) unless AWS_MAX_ATTEMPTS asks for fewer or more, within bounds. */
export const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_ATTEMPTS_BOUNDS = { min: 1, max: 5 } as const;
/** Connection and response timeouts, well inside the Lambda timeout, so a hung dependency becomes an error. */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 10_000;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The endpoint override for a service, as the AWS SDK resolves it: `AWS_ENDPOINT_URL_<SERVICE_ID>` (the
 * service id upper-cased, spaces as underscores: DYNAMODB, SFN, COST_EXPLORER), then `AWS_ENDPOINT_URL`;
 * none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true.
 */
export function endpointFromEnv(serviceId: string, env: Env = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined;
  const key = `AWS_ENDPOINT_URL_${serviceId.toUpperCase().replaceAll(' ', '_')}`;
  return env[key] || env.AWS_ENDPOINT_URL || undefined;
}

export interface ClientSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly retryMode: 'standard';
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/** The client configuration for a service from an environment (tests pass their own map). */
export function clientSettings(serviceId: string, env: Env = process.env): ClientSettings {
  const requested = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10);
  const maxAttempts = Number.isInteger(requested)
    ? Math.min(MAX_ATTEMPTS_BOUNDS.max, Math.max(MAX_ATTEMPTS_BOUNDS.min, requested))
    : DEFAULT_MAX_ATTEMPTS;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const endpoint = endpointFromEnv(serviceId, env);
  return {
    ...(region && { region }),
    ...(endpoint && { endpoint }),
    retryMode: 'standard',
    maxAttempts,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
}

/** Any AWS SDK v3 client (its middleware stack takes an initialize-step middleware). */
interface InstrumentableClient {
  readonly middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string }): void };
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

/** Counts the retries the SDK made for each call (from `$metadata.attempts`) as the SdkRetries metric. */
export function addRetryMetric<C extends InstrumentableClient>(client: C, dependency: string): C {
  const record = (metadata: { attempts?: number } | undefined) => {
    const retries = (metadata?.attempts ?? 1) - 1;
    if (retries <= 0) return;
    emitCount(SDK_RETRY_METRIC, retries, { Dependency: dependency });
    logger.warn(`${dependency} call needed ${retries} SDK retr${retries === 1 ? 'y' : 'ies'}`, { dependency, retries });
  };
  const countRetries: Middleware = (next) => async (args) => {
    try {
      const result = (await next(args)) as { output?: { $metadata?: { attempts?: number } } };
      record(result.output?.$metadata);
      return result;
    } catch (error) {
      record((error as { $metadata?: { attempts?: number } })?.$metadata);
      throw error;
    }
  };
  client.middlewareStack.add(countRetries as never, { step: 'initialize', name: 'rdsOpsRetryMetric' });
  return client;
}

const shared = new Map<string, unknown>();

/**
 * The container's client for a service, created on first use. Cached per service, endpoint and region: on
 * Lambda these never change, so there is exactly one; a process that changes them (a second local runtime in
 * one test process) gets a client for the new environment instead of a stale one.
 */
export function sharedClient<C>(serviceId: string, create: (settings: ClientSettings) => C, env: Env = process.env): C {
  const settings = clientSettings(serviceId, env);
  const key = `${serviceId}|${settings.endpoint ?? ''}|${settings.region ?? ''}`;
  let client = shared.get(key) as C | undefined;
  if (!client) {
    client = create(settings);
    shared.set(key, client);
  }
  return client;
}

/** A DocumentClient (plain JavaScript values in and out) over a traced, retry-counted DynamoDB client. */
export function createDocumentClient(env: Env = process.env): DynamoDBDocumentClient {
  const base = addRetryMetric(
    tracer.captureAWSv3Client(new DynamoDBClient(clientSettings('DynamoDB', env))),
    'DynamoDB',
  );
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

/** The container's DynamoDB DocumentClient. */
export function dynamo(env: Env = process.env): DynamoDBDocumentClient {
  return sharedClient('DynamoDB', () => createDocumentClient(env), env);
}

/** The container's Step Functions client (start executions, describe them, run the circuit breaker). */
export function stepFunctions(env: Env = process.env): SFNClient {
  return sharedClient(
    'SFN',
    (settings) => addRetryMetric(tracer.captureAWSv3Client(new SFNClient(settings)), 'SFN'),
    env,
  );
}

const controlPlanes = new Map<string, DynamoDBClient>();

/**
 * The container's low-level DynamoDB client, for control-plane calls (DescribeTable, DescribeContinuousBackups,
 * ListTagsOfResource) the DocumentClient does not model: the same settings, tracing and retry metric as `dynamo()`.
 */
export function dynamoControlPlane(env: Env = process.env): DynamoDBClient {
  const settings = clientSettings('DynamoDB', env);
  const key = `${settings.endpoint ?? ''}|${settings.region ?? ''}`;
  let client = controlPlanes.get(key);
  if (!client) {
    client = addRetryMetric(tracer.captureAWSv3Client(new DynamoDBClient(settings)), 'DynamoDB');
    controlPlanes.set(key, client);
  }
  return client;
}

/** The container's EventBridge client (announcements on the default bus). */
export function eventBridge(env: Env = process.env): EventBridgeClient {
  return sharedClient(
    'EventBridge',
    (settings) => addRetryMetric(tracer.captureAWSv3Client(new EventBridgeClient(settings)), 'EventBridge'),
    env,
  );
}

/** A required environment variable (a table name set by `bindTable`); its absence is a deployment bug. */
export function requireEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (!value) {
    throw new UnexpectedError(
      `Environment variable ${name} is not set; bind the table with HandlerFunction.bindTable (a deployment bug).`,
    );
  }
  return value;
}
