/** Step Functions' own API as a Task: task-token callbacks and child executions (Standard and Express). */
import type { Clock } from '../../clock';
import {
  ExecutionAlreadyExistsError,
  StateMachineTypeNotSupportedError,
  StatesRuntimeError,
  TaskDoesNotExistError,
  TaskFailedError,
  TaskTimedOutError,
  UnknownStateMachineError,
} from '../errors';
import { childExecutionTrace, type ExecutionRecord } from '../local-state-machine';
import { type SyncExecutionResult, syncExecutionTaskResult } from '../sync-execution';
import type { TaskTokenRegistry } from '../task-tokens';
import { asServiceTaskFailure } from './service-failure';
import type { TaskCall, TaskImplementation } from './task-call';

export interface ChildExecutionStarter {
  start(
    stateMachineArn: string,
    input: unknown,
    name?: string,
  ): { executionArn: string; startDate: string; done: Promise<ExecutionRecord> };
  /** Runs an Express machine to its end (StartSyncExecution); throws when it cannot start one. */
  startSync(
    stateMachineArn: string,
    input: unknown,
    name?: string,
  ): Promise<{ readonly result: SyncExecutionResult; readonly record: ExecutionRecord }>;
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
    call.onChildExecution?.(childExecutionTrace(outcome));
    if (outcome.status !== 'SUCCEEDED') {
      // As on AWS: the caller's Task fails with States.TaskFailed, its Cause the child's DescribeExecution.
      throw new TaskFailedError('States.TaskFailed', JSON.stringify(describedChild(child.executionArn, outcome)));
    }
    return { ExecutionArn: child.executionArn, Output: outcome.output, Status: outcome.status };
  };
}

/**
 * `arn:aws:states:::aws-sdk:sfn:startSyncExecution`: runs an Express child to its end and returns the API's
 * result. As on AWS the Task succeeds when the child FAILED or TIMED_OUT (`Status`, `Error`, `Cause`, no
 * `Output`); it fails only when no execution could start (`Sfn.StateMachineTypeNotSupportedException` for a
 * Standard machine, `Sfn.StateMachineDoesNotExistException`, `Sfn.InvalidExecutionInputException`).
 */
export function startSyncExecutionTask(starter: ChildExecutionStarter): TaskImplementation {
  return async (call: TaskCall) => {
    const params = (call.params ?? {}) as { StateMachineArn?: unknown; Input?: unknown; Name?: unknown };
    if (typeof params.StateMachineArn !== 'string') {
      throw new StatesRuntimeError('startSyncExecution needs StateMachineArn.');
    }
    const input = executionInput(params.Input);
    const name = typeof params.Name === 'string' ? params.Name : undefined;
    let started: Awaited<ReturnType<ChildExecutionStarter['startSync']>>;
    try {
      started = await starter.startSync(params.StateMachineArn, input, name);
    } catch (error) {
      throw asSfnFailure(error);
    }
    call.onChildExecution?.(childExecutionTrace(started.record));
    return syncExecutionTaskResult(started.result);
  };
}

/** AWS SDK integrations serialize an object given for a string member such as `Input`; text must be JSON. */
function executionInput(input: unknown): unknown {
  if (input === undefined) return {};
  if (typeof input !== 'string') return JSON.parse(JSON.stringify(input));
  try {
    return JSON.parse(input);
  } catch {
    throw asServiceTaskFailure(
      { code: 'InvalidExecutionInput', message: 'Invalid State Machine Execution Input: not valid JSON' },
      'aws-sdk',
      'sfn',
    );
  }
}

function asSfnFailure(error: unknown): Error {
  const answer = (code: string, message: string) => asServiceTaskFailure({ code, message }, 'aws-sdk', 'sfn');
  if (error instanceof StateMachineTypeNotSupportedError) return answer(error.name, error.message);
  if (error instanceof UnknownStateMachineError) {
    return answer('StateMachineDoesNotExist', `State Machine Does Not Exist: '${error.requested}'`);
  }
  return error as Error;
}

/** DescribeExecution of a finished child as `.sync:2` reports it (PascalCase, Input and Output as JSON). */
function describedChild(executionArn: string, outcome: ExecutionRecord): Record<string, unknown> {
  const epochMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  return {
    ExecutionArn: executionArn,
    ...(outcome.stateMachineArn !== undefined && { StateMachineArn: outcome.stateMachineArn }),
    ...(outcome.name !== undefined && { Name: outcome.name }),
    Status: outcome.status,
    ...(outcome.startDate !== undefined && { StartDate: epochMs(outcome.startDate) }),
    ...(outcome.stopDate !== undefined && { StopDate: epochMs(outcome.stopDate) }),
    ...(outcome.input !== undefined && { Input: outcome.input, InputDetails: { Included: true } }),
    ...(outcome.error !== undefined && { Error: outcome.error }),
    ...(outcome.cause !== undefined && { Cause: outcome.cause }),
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
