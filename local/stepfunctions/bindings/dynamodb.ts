/**
 * DynamoDB tasks against the local endpoint: the optimized integration (`arn:aws:states:::dynamodb:getItem`)
 * and the AWS SDK integration (`arn:aws:states:::aws-sdk:dynamodb:<action>`), each with its own error
 * spelling (`DynamoDB.X` vs `DynamoDb.X`). Control-plane actions reach the PITR emulator through the same
 * endpoint.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../clock';
import type { IntegrationKind } from '../../services/integration-error-names';
import { TaskFailedError } from '../errors';
import { asServiceTaskFailure } from './service-failure';
import type { TaskCall, TaskImplementation } from './task-call';

const OPTIMIZED_ACTIONS = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem']);

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
  if (!Command) throw new TaskFailedError('States.Runtime', `DynamoDB has no action ${action}.`);
  return async (call: TaskCall) => {
    try {
      const response = (await clock.track(client.send(new Command(call.params ?? {}) as never))) as unknown as Record<
        string,
        unknown
      >;
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

function commandFor(action: string): CommandClass | undefined {
  const name = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const Command = (dynamodb as Record<string, unknown>)[name];
  return typeof Command === 'function' ? (Command as CommandClass) : undefined;
}

function requestIdOf(metadata: unknown): string {
  return (metadata as { requestId?: string } | undefined)?.requestId ?? 'local';
}
