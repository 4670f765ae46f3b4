/**
 * One DynamoDB DocumentClient per container, configured from the environment only, so the same handler
 * runs on Lambda and against the local runtime (which sets AWS_ENDPOINT_URL_DYNAMODB).
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnexpectedError } from './errors';

/** The endpoint override, if any: the SDK's standard variable first, then the project's older alias. */
export function dynamoEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB || env.DYNAMODB_ENDPOINT || undefined;
  return endpoint;
}

/** Builds a DocumentClient from an environment; tests pass their own map, handlers use `dynamo()`. */
export function createDocumentClient(env: NodeJS.ProcessEnv = process.env): DynamoDBDocumentClient {
  const endpoint = dynamoEndpointFromEnv(env);
  const config: DynamoDBClientConfig = { maxAttempts: 3 };
  if (endpoint) config.endpoint = endpoint;
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) config.region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

const shared = new Map<string, DynamoDBDocumentClient>();

/**
 * The container's DocumentClient, created on first use. Cached per endpoint and region: on Lambda these
 * never change, so there is exactly one; a process that changes them (a second local runtime in one test
 * process) gets a client for the new environment instead of a stale one.
 */
export function dynamo(env: NodeJS.ProcessEnv = process.env): DynamoDBDocumentClient {
  const key = `${dynamoEndpointFromEnv(env) ?? ''}|${env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? ''}`;
  let client = shared.get(key);
  if (!client) {
    client = createDocumentClient(env);
    shared.set(key, client);
  }
  return client;
}

/** A required environment variable (a table name set by `bindTable`); its absence is a deployment bug. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) {
    throw new UnexpectedError(
      `Environment variable ${name} is not set; bind the table with HandlerFunction.bindTable (a deployment bug).`,
    );
  }
  return value;
}
