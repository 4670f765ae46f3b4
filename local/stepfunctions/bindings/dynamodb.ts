/**
 * DynamoDB tasks against the local endpoint: the optimized integration (`arn:aws:states:::dynamodb:getItem`)
 * and the AWS SDK integration (`arn:aws:states:::aws-sdk:dynamodb:<action>`), each with its own error
 * spelling (`DynamoDB.X` vs `DynamoDb.X`). Control-plane actions reach the PITR emulator through the same
 * endpoint.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../clock';
import type { IntegrationKind } from '../../services/integration-error-names';
import { StatesRuntimeError } from '../errors';
import { asServiceTaskFailure } from './service-failure';
import type { TaskCall, TaskImplementation } from './task-call';

const OPTIMIZED_ACTIONS = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem']);

/**
 * Timestamp members of DynamoDB requests. ASL passes them as ISO-8601 text (or epoch seconds), which the
 * Java SDK behind Step Functions parses; the JavaScript SDK needs Date objects to serialize them.
 */
const TIMESTAMP_MEMBERS = new Set(['RestoreDateTime', 'TimeRangeLowerBound', 'TimeRangeUpperBound', 'ExportTime']);

type CommandClass = new (
  input: unknown,
) => dynamodb.DynamoDBClient extends { send(command: infer C): unknown } ? C : never;

export function isDynamoDbAction(integration: IntegrationKind, action: string): boolean {
  if (integration === 'optimized') return OPTIMIZED_ACTIONS.has(action);
  return commandFor(action) !== undefined;
}

export function dynamoDbTask(
  client: dynamodb.DynamoDBClient,
  clock: Clock,
  integration: IntegrationKind,
  action: string,
): TaskImplementation {
  const Command = commandFor(action);
  if (!Command) throw new StatesRuntimeError(`DynamoDB has no action ${action}.`);
  return async (call: TaskCall) => {
    try {
      const request = new Command(withTimestamps(call.params ?? {}));
      const response = (await clock.track(client.send(request as never))) as unknown as Record<string, unknown>;
      const { $metadata, ...body } = response;
      const result = JSON.parse(JSON.stringify(body));
      return integration === 'optimized'
        ? {
            ...result,
            SdkHttpMetadata: { HttpStatusCode: 200 },
            SdkResponseMetadata: { RequestId: requestIdOf($metadata) },
          }
        : result;
    } catch (error) {
      throw asServiceTaskFailure(error, integration, 'dynamodb');
    }
  };
}

function withTimestamps(params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  return Object.fromEntries(
    Object.entries(params).map(([member, value]) => [
      member,
      TIMESTAMP_MEMBERS.has(member) && (typeof value === 'string' || typeof value === 'number') ? toDate(value) : value,
    ]),
  );
}

function toDate(value: string | number): Date {
  return typeof value === 'number' ? new Date(value * 1000) : new Date(value);
}

function commandFor(action: string): CommandClass | undefined {
  const name = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = (dynamodb as Record<string, unknown>)[name];
  return typeof Command === 'function' ? (Command as CommandClass) : undefined;
}

function requestIdOf(metadata: unknown): string {
  return (metadata as { requestId?: string } | undefined)?.requestId ?? 'local';
}
