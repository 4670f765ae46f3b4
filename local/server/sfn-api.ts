/**
 * The Step Functions API (`AWSStepFunctions.*`, JSON 1.0) over the local runtime: state machines, executions,
 * their histories, StopExecution and the task-token callbacks, with AWS's validation and error answers.
 */
import type { LocalRuntime } from '../runtime';
import { ExecutionAlreadyExistsError, TaskDoesNotExistError, TaskTimedOutError } from '../stepfunctions/errors';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import type { JsonBody } from './aws-json';
import { type AwsApiError, commonErrors, sfnErrors } from './errors';
import { decodePageToken, encodePageToken } from './page-token';
import { optionalBoolean, optionalString, pageSize, requiredString } from './request-fields';
import { describeExecutionShape, executionListItemShape, historyEventShape, syncExecutionShape } from './sfn-shapes';

export const SFN_TARGET_PREFIX = 'AWSStepFunctions.';

type Operation = (body: JsonBody) => Promise<unknown> | unknown;

const STATUS_FILTERS = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'];
const ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;
/** AWS execution names: 1-80 characters without whitespace, brackets, wildcards or these specials... */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** ...nor control characters (U+0000-001F, U+007F-009F). */
function hasControlCharacter(name: string): boolean {
  return [...name].some((character) => {
    const code = character.charCodeAt(0);
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}
const MAX_TASK_OUTPUT_BYTES = 256 * 1024;

export class SfnApi {
  private readonly createdAt: number;
  private readonly operations: Readonly<Record<string, Operation>>;

  constructor(private readonly runtime: LocalRuntime) {
    this.createdAt = runtime.clock.now();
    this.operations = {
      ListStateMachines: (body) => this.listStateMachines(body),
      DescribeStateMachine: (body) => this.describeStateMachine(body),
      ListTagsForResource: (body) => this.listTagsForResource(body),
      StartExecution: (body) => this.startExecution(body),
      StartSyncExecution: (body) => this.startSyncExecution(body),
      DescribeExecution: (body) => describeExecutionShape(this.execution(body).record),
      ListExecutions: (body) => this.listExecutions(body),
      GetExecutionHistory: (body) => this.getExecutionHistory(body),
      StopExecution: (body) => this.stopExecution(body),
      SendTaskSuccess: (body) => this.sendTaskSuccess(body),
      SendTaskFailure: (body) => this.sendTaskFailure(body),
      SendTaskHeartbeat: (body) => this.sendTaskHeartbeat(body),
    };
  }

  handles(operation: string): boolean {
    return Object.hasOwn(this.operations, operation);
  }

  async call(operation: string, body: JsonBody): Promise<unknown> {
    const handler = this.operations[operation];
    if (!handler) throw commonErrors.unknownOperation(`${SFN_TARGET_PREFIX}${operation}`);
    return handler(body);
  }

  private listStateMachines(body: JsonBody) {
    const machines = this.runtime.stateMachines();
    const size = pageSize(body, 'maxResults', 100, 1000);
    const token = optionalString(body, 'nextToken');
    const start = token === undefined ? 0 : Number(decodePageToken(token, 'ListStateMachines'));
    const page = machines.slice(start, start + size);
    return {
      stateMachines: page.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: machine.type,
        creationDate: this.createdAt / 1000,
      })),
      ...(start + size < machines.length && { nextToken: encodePageToken('ListStateMachines', start + size) }),
    };
  }

  private describeStateMachine(body: JsonBody) {
    const machine = this.stateMachine(requiredString(body, 'stateMachineArn'));
    const model = this.runtime.model.stateMachines.find((candidate) => candidate.arn === machine.arn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      ...(model?.roleArn && { roleArn: model.roleArn }),
      type: machine.type,
      creationDate: this.createdAt / 1000,
    };
  }

  /** The tags of a state machine, from its template (an activity or anything else is not found). */
  private listTagsForResource(body: JsonBody) {
    const arn = requiredString(body, 'resourceArn');
    const model = this.runtime.model.stateMachines.find((candidate) => candidate.arn === arn);
    if (!model) throw sfnErrors.resourceNotFound(arn);
    return { tags: Object.entries(model.tags ?? {}).map(([key, value]) => ({ key, value })) };
  }

  private startExecution(body: JsonBody) {
    const machine = this.stateMachine(requiredString(body, 'stateMachineArn'));
    const name = this.executionName(body);
    const input = executionInput(body);
    try {
      const started = this.runtime.start(machine.arn, input, name);
      return { executionArn: started.executionArn, startDate: Date.parse(started.startDate) / 1000 };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExistsError) throw sfnErrors.executionAlreadyExists(error.executionArn);
      throw error;
    }
  }

  private async startSyncExecution(body: JsonBody) {
    const machine = this.stateMachine(requiredString(body, 'stateMachineArn'));
    if (machine.type !== 'EXPRESS') throw sfnErrors.stateMachineTypeNotSupported();
    const name = this.executionName(body);
    const result = await this.runtime.startSyncExecution(machine.arn, executionInput(body), name);
    return syncExecutionShape(result);
  }

  private listExecutions(body: JsonBody) {
    const machine = this.stateMachine(requiredString(body, 'stateMachineArn'));
    const statusFilter = optionalString(body, 'statusFilter');
    if (statusFilter !== undefined && !STATUS_FILTERS.includes(statusFilter)) {
      throw commonErrors.validation(
        `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: ` +
          `Member must satisfy enum value set: [${STATUS_FILTERS.join(', ')}]`,
      );
    }
    const size = pageSize(body, 'maxResults', 100, 1000);
    const token = optionalString(body, 'nextToken');
    const scope = `ListExecutions:${machine.arn}:${statusFilter ?? ''}`;
    const after = token === undefined ? undefined : (decodePageToken(token, scope) as string);
    const matching = this.runtime
      .executionsOf(machine.arn)
      .filter((record) => statusFilter === undefined || record.status === statusFilter);
    const start = after === undefined ? 0 : matching.findIndex((record) => pageKey(record) < after);
    const page = start < 0 ? [] : matching.slice(start, start + size);
    const more = start >= 0 && start + size < matching.length;
    return {
      executions: page.map(executionListItemShape),
      ...(more && { nextToken: encodePageToken(scope, pageKey(page[page.length - 1])) }),
    };
  }

  private getExecutionHistory(body: JsonBody) {
    const { record } = this.execution(body);
    const size = pageSize(body, 'maxResults', 100, 1000);
    const reverse = optionalBoolean(body, 'reverseOrder') ?? false;
    const includeData = optionalBoolean(body, 'includeExecutionData') ?? true;
    const token = optionalString(body, 'nextToken');
    const scope = `GetExecutionHistory:${record.executionArn}:${reverse}`;
    const events = this.runtime.stateMachine(record.stateMachineArn).historyOf(record);
    const ordered = reverse ? [...events].reverse() : events;
    // The cursor is the id of the next event to list: ids stay put while a running execution adds events.
    const nextId = token === undefined ? undefined : Number(decodePageToken(token, scope));
    const start = nextId === undefined ? 0 : ordered.findIndex((event) => event.id === nextId);
    const page = start < 0 ? [] : ordered.slice(start, start + size);
    const following = start < 0 ? undefined : ordered[start + size];
    return {
      events: page.map((event) => historyEventShape(event, includeData)),
      ...(following && { nextToken: encodePageToken(scope, following.id) }),
    };
  }

  private async stopExecution(body: JsonBody) {
    const { record } = this.execution(body);
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    if (error !== undefined && error.length > 256) throw lengthError('error', 256);
    if (cause !== undefined && cause.length > 32_768) throw lengthError('cause', 32_768);
    const stopped = await this.runtime.stopExecution(record.executionArn, {
      ...(error !== undefined && { error }),
      ...(cause !== undefined && { cause }),
    });
    return { stopDate: Date.parse(stopped?.stopDate ?? new Date(this.runtime.clock.now()).toISOString()) / 1000 };
  }

  private sendTaskSuccess(body: JsonBody) {
    const token = taskToken(body);
    const output = requiredString(body, 'output');
    if (Buffer.byteLength(output, 'utf8') > MAX_TASK_OUTPUT_BYTES) throw lengthError('output', MAX_TASK_OUTPUT_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch (error) {
      throw sfnErrors.invalidOutput((error as Error).message);
    }
    return withTaskErrors(() => this.runtime.tokens.sendTaskSuccess(token, parsed));
  }

  private sendTaskFailure(body: JsonBody) {
    const token = taskToken(body);
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    if (error !== undefined && error.length > 256) throw lengthError('error', 256);
    if (cause !== undefined && cause.length > 32_768) throw lengthError('cause', 32_768);
    return withTaskErrors(() => this.runtime.tokens.sendTaskFailure(token, error, cause ?? ''));
  }

  private sendTaskHeartbeat(body: JsonBody) {
    const token = taskToken(body);
    return withTaskErrors(() => this.runtime.tokens.sendTaskHeartbeat(token));
  }

  /** The state machine an ARN names: InvalidArn for a malformed one, StateMachineDoesNotExist for an unknown one. */
  private stateMachine(arn: string) {
    const [, resourceType] = ARN.exec(arn) ?? [];
    if (resourceType === undefined) throw sfnErrors.invalidArn(`Invalid ARN prefix: ${arn}`);
    if (resourceType !== 'stateMachine')
      throw sfnErrors.invalidArn(`Resource type not valid in this context: ${resourceType}`);
    const machine = this.runtime.stateMachines().find((candidate) => candidate.arn === arn);
    if (!machine) throw sfnErrors.stateMachineDoesNotExist(arn);
    return machine;
  }

  private execution(body: JsonBody) {
    const arn = requiredString(body, 'executionArn');
    const [, resourceType] = ARN.exec(arn) ?? [];
    if (resourceType === undefined) throw sfnErrors.invalidArn(`Invalid ARN prefix: ${arn}`);
    if (resourceType !== 'execution')
      throw sfnErrors.invalidArn(`Resource type not valid in this context: ${resourceType}`);
    const found = this.runtime.findExecution(arn);
    if (!found) throw sfnErrors.executionDoesNotExist(arn);
    return found;
  }

  private executionName(body: JsonBody): string | undefined {
    const name = optionalString(body, 'name');
    if (
      name !== undefined &&
      (name.length < 1 || name.length > 80 || INVALID_NAME.test(name) || hasControlCharacter(name))
    ) {
      throw sfnErrors.invalidName(name);
    }
    return name;
  }
}

/** The execution input: JSON text (default `{}`), refused with InvalidExecutionInput when it does not parse. */
function executionInput(body: JsonBody): unknown {
  const text = optionalString(body, 'input') ?? '{}';
  try {
    return JSON.parse(text);
  } catch (error) {
    throw sfnErrors.invalidExecutionInput((error as Error).message);
  }
}

function taskToken(body: JsonBody): string {
  const token = requiredString(body, 'taskToken');
  if (token.length < 1 || token.length > 2048) {
    throw commonErrors.validation(
      `1 validation error detected: Value at 'taskToken' failed to satisfy constraint: ` +
        'Member must have length between 1 and 2048',
    );
  }
  return token;
}

function withTaskErrors(callback: () => void): Record<string, never> {
  try {
    callback();
  } catch (error) {
    if (error instanceof TaskTimedOutError) throw sfnErrors.taskTimedOut();
    if (error instanceof TaskDoesNotExistError) throw sfnErrors.taskDoesNotExist();
    throw error;
  }
  return {};
}

function lengthError(field: string, max: number): AwsApiError {
  return commonErrors.validation(
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ` +
      `Member must have length less than or equal to ${max}`,
  );
}

/** The sort key of ListExecutions (newest first): a page ends at one key and the next starts below it. */
function pageKey(record: ExecutionRecord): string {
  return `${record.startDate}\u0000${record.executionArn}`;
}
