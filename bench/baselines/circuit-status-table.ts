/**
 * The baseline design's table, as the AWS sample keeps it: one item per open period, keyed by the service and
 * the second its open period expires (a sort key, so a Query finds unexpired items only).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const CIRCUIT_STATUS_TABLE_ENV = 'CIRCUIT_STATUS_TABLE';
/** The sample opens the circuit for 20 seconds after one failure. */
export const OPEN_SECONDS = 20;

let client: DynamoDBClient | undefined;

/** The SDK takes the endpoint from AWS_ENDPOINT_URL_DYNAMODB, which the local runtime sets. */
export function dynamoDb(): DynamoDBClient {
  client ??= new DynamoDBClient({ maxAttempts: 1 });
  return client;
}

export function tableName(): string {
  const name = process.env[CIRCUIT_STATUS_TABLE_ENV];
  if (!name) throw new Error(`${CIRCUIT_STATUS_TABLE_ENV} is not set.`);
  return name;
}

export interface CircuitStatusRequest {
  readonly ServiceName: string;
  /** The state's entered time on the runtime clock (the sample reads the Lambda's own clock). */
  readonly now: string;
}

export function epochSeconds(request: CircuitStatusRequest): number {
  return Math.floor(Date.parse(request.now) / 1000);
}
