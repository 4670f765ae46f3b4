/** Step Functions' own API as a Task: task-token callbacks and child executions. */
import type { Clock } from '../../clock';
import {
  ExecutionAlreadyExistsError,
  StatesRuntimeError,
  TaskDoesNotExistError,
  TaskFailedError,
  TaskTimedOutError,
} from '../errors';
import type { TaskTokenRegistry } from '../task-tokens';
import type { TaskCall, TaskImplementation } from './task-call';

export interface ChildExecutionStarter {
  start(
    stateMachineArn: string,
    input: unknown,
    name?: string,
  ): { executionArn: string; startDate: string; done: Promise<ChildOutcome> };
}

export interface ChildOutcome {
  readonly status: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

interface TokenParams {
  readonly TaskToken?: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

export function taskTokenCallbackTask(tokens: TaskTokenRegistry, action: string): TaskImplementation | undefined {
  const callbacks: Record<string, (params: TokenParams) => void> = {
    sendTaskSuccess: (params) => tokens.sendTaskSuccess(requireToken(params), parseOutput(params.Output)),
    sendTaskFailure: (params) => tokens.sendTaskFailure(requireToken(params), params.Error, params.Cause),
    sendTaskHeartbeat: (params) => tokens.sendTaskHeartbeat(requireToken(params)),
  };
  const callback = callbacks[action];
  if (!callback) return undefined;
  return async (call: TaskCall) => {
    try {
      callback((call.params ?? {}) as TokenParams);
      return {};
    } catch (error) {
      if (error instanceof TaskDoesNotExistError || error instanceof TaskTimedOutError) {
        throw new TaskFailedError(`Sfn.${error.name}Exception`, `${error.message} (Service: Sfn, Status Code: 400)`);
      }
      throw error;
    }
  };
}

/** `arn:aws:states:::states:startExecution` (and `.sync:2`, which waits and returns the child's output). */
export function startExecutionTask(starter: ChildExecutionStarter, waitForCompletion: boolean): TaskImplementation {
  return async (call: TaskCall) => {
    const params = (call.params ?? {}) as { StateMachineArn?: string; Input?: unknown; Name?: string };
    if (!params.StateMachineArn) throw new StatesRuntimeError('startExecution needs StateMachineArn.');
    const input = typeof params.Input === 'string' ? parseOutput(params.Input) : (params.Input ?? {});
    let child: ReturnType<ChildExecutionStarter['start']>;
    try {
      child = starter.start(params.StateMachineArn, input, params.Name);
    } catch (error) {
      if (error instanceof ExecutionAlreadyExistsError) {
        throw new TaskFailedError('StepFunctions.ExecutionAlreadyExistsException', error.message);
      }
      throw error;
    }
    const started = { ExecutionArn: child.executionArn, StartDate: child.startDate };
    if (!waitForCompletion) return started;
    call.onSubmitted?.(started);
    const outcome = await child.done;
    if (outcome.status !== 'SUCCEEDED') {
      throw new TaskFailedError(
        outcome.error ?? 'States.TaskFailed',
        outcome.cause ?? `Child execution ${outcome.status}`,
      );
    }
    return { ExecutionArn: child.executionArn, Output: outcome.output, Status: outcome.status };
  };
}

/** Wraps a request-response task so it then waits for its `$$.Task.Token` to be called back. */
export function waitForTaskToken(
  inner: TaskImplementation,
  tokens: TaskTokenRegistry,
  clock: Clock,
): TaskImplementation {
  return async (call: TaskCall) => {
    const token = call.context.Task?.Token;
    if (!token) throw new StatesRuntimeError(`Task "${call.stateName}" has no $$.Task.Token.`);
    // The Task's timeout runs from when it started, the service call included (as the engine's does).
    const expiresAt = call.timeoutSeconds === undefined ? undefined : clock.now() + call.timeoutSeconds * 1000;
    call.onSubmitted?.(await inner(call));
    const task = { token, executionArn: call.context.Execution.Id, stateName: call.stateName, since: clock.now() };
    return tokens.wait(task, { clock, ...(expiresAt !== undefined && { expiresAt }) });
  };
}

function requireToken(params: TokenParams): string {
  if (!params.TaskToken) throw new TaskFailedError('Sfn.InvalidTokenException', 'TaskToken is required.');
  return params.TaskToken;
}

function parseOutput(output: string | undefined): unknown {
  if (output === undefined) return {};
  try {
    return JSON.parse(output);
  } catch {
    throw new TaskFailedError('Sfn.InvalidOutputException', 'Output is not valid JSON.');
  }
}
