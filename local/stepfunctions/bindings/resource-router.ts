/**
 * Binds every Task `Resource` to a local implementation. A resource nothing here knows stays unbound,
 * and the state machine refuses to start: nothing is ever sent to real AWS.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../clock';
import { EVENTBRIDGE_FAILED_ENTRY } from '../../services/integration-error-names';
import { TaskFailedError } from '../errors';
import type { TaskTokenRegistry } from '../task-tokens';
import { dynamoDbTask, isDynamoDbAction } from './dynamodb';
import { type LocalFunctions, lambdaFunctionTask, lambdaInvokeTask } from './lambda-function';
import { type ParsedResource, parseResource } from './resource-arn';
import { type ServiceAction, serviceActionKey, serviceActionTask } from './service-actions';
import {
  type ChildExecutionStarter,
  startExecutionTask,
  startSyncExecutionTask,
  taskTokenCallbackTask,
  waitForTaskToken,
} from './step-functions';
import type { TaskImplementation } from './task-call';

export interface BindingDependencies {
  readonly clock: Clock;
  readonly functions: LocalFunctions;
  readonly dynamoDb: DynamoDBClient;
  readonly serviceActions: Readonly<Record<string, ServiceAction>>;
  readonly tokens: TaskTokenRegistry;
  readonly executions?: ChildExecutionStarter;
}

export function bindResource(resource: string, deps: BindingDependencies): TaskImplementation | undefined {
  const parsed = parseResource(resource);
  if (parsed.kind === 'unknown') return undefined;
  if (parsed.kind === 'lambda-function') {
    return deps.functions.has(parsed.functionName)
      ? lambdaFunctionTask(deps.functions, parsed.functionName)
      : undefined;
  }
  const requestResponse = bindRequestResponse(parsed, deps);
  if (!requestResponse) return undefined;
  if (parsed.pattern === 'wait-for-task-token') return waitForTaskToken(requestResponse, deps.tokens, deps.clock);
  return requestResponse;
}

function bindRequestResponse(
  parsed: Extract<ParsedResource, { kind: 'optimized' | 'aws-sdk' }>,
  deps: BindingDependencies,
): TaskImplementation | undefined {
  const { kind, service, action, pattern } = parsed;
  if (kind === 'optimized' && service === 'lambda' && action === 'invoke') return lambdaInvokeTask(deps.functions);
  if (service === 'dynamodb' && isDynamoDbAction(kind, action))
    return dynamoDbTask(deps.dynamoDb, deps.clock, kind, action);
  if ((kind === 'aws-sdk' && service === 'sfn') || (kind === 'optimized' && service === 'states')) {
    if (action === 'startExecution' && deps.executions) return startExecutionTask(deps.executions, pattern === 'sync');
    if (action === 'startSyncExecution' && kind === 'aws-sdk' && pattern === 'request-response' && deps.executions) {
      return startSyncExecutionTask(deps.executions);
    }
    return taskTokenCallbackTask(deps.tokens, action);
  }
  const serviceAction = deps.serviceActions[serviceActionKey(service, action)];
  if (!serviceAction) return undefined;
  const task = serviceActionTask(serviceAction, deps.clock, kind, service);
  if (kind === 'optimized' && service === 'events' && action === 'putEvents') return failOnFailedEntries(task);
  return task;
}

/** The optimized EventBridge integration fails the Task when any entry failed; the SDK call does not. */
function failOnFailedEntries(task: TaskImplementation): TaskImplementation {
  return async (call) => {
    const result = (await task(call)) as { FailedEntryCount?: number };
    if ((result.FailedEntryCount ?? 0) > 0) {
      throw new TaskFailedError(EVENTBRIDGE_FAILED_ENTRY, JSON.stringify(result));
    }
    return result;
  };
}
