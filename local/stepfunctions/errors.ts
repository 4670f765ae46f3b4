/** Errors of the local Step Functions runtime: bad definitions, unbound resources, unknown machines. */

export class LocalStepFunctionsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStepFunctionsError';
  }
}

/** A definition that is not valid ASL, or uses features the local engine cannot run faithfully. */
export class InvalidDefinitionError extends LocalStepFunctionsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidDefinitionError';
  }
}

/** A Task whose Resource has no local implementation: refused at start-up, never sent to real AWS. */
export class UnboundResourceError extends LocalStepFunctionsError {
  constructor(
    readonly stateName: string,
    readonly resource: string,
  ) {
    super(
      `Task state "${stateName}" uses resource "${resource}", which has no local implementation. ` +
        'Bind it in local/stepfunctions/bindings (see docs/local-runtime.md, "Resource bindings").',
    );
    this.name = 'UnboundResourceError';
  }
}

export class UnknownStateMachineError extends LocalStepFunctionsError {
  constructor(
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(`No state machine named "${requested}". Known state machines: ${known.join(', ') || '(none)'}.`);
    this.name = 'UnknownStateMachineError';
  }
}

/** An execution ARN this runtime never started (AWS answers ExecutionDoesNotExist). */
export class UnknownExecutionError extends LocalStepFunctionsError {
  constructor(readonly executionArn: string) {
    super(`Execution Does Not Exist: '${executionArn}' was never started by this local runtime.`);
    this.name = 'UnknownExecutionError';
  }
}

export class UnknownTableError extends LocalStepFunctionsError {
  constructor(
    readonly requested: string,
    readonly known: readonly string[],
  ) {
    super(`No table with id "${requested}". Tables: ${known.join(', ') || '(none)'}.`);
    this.name = 'UnknownTableError';
  }
}

/** What `sendTaskSuccess`/`sendTaskFailure` answer for a token that is not waiting (as AWS's TaskDoesNotExist). */
export class TaskDoesNotExistError extends LocalStepFunctionsError {
  constructor(readonly token: string) {
    super(
      `Task token ${token.slice(0, 12)}... does not belong to a waiting task (it completed, timed out or never existed).`,
    );
    this.name = 'TaskDoesNotExist';
  }
}

/** StartExecution with a name this state machine already used (AWS keeps names unique for 90 days). */
export class ExecutionAlreadyExistsError extends LocalStepFunctionsError {
  constructor(readonly executionArn: string) {
    super(`Execution ${executionArn} already exists; execution names are unique per state machine.`);
    this.name = 'ExecutionAlreadyExists';
  }
}

/**
 * StartExecution input or SendTaskSuccess output over the payload quota: AWS refuses the API call with a
 * validation error (the member's length constraint), so no execution starts and the task keeps waiting.
 */
export class PayloadTooLargeError extends LocalStepFunctionsError {
  constructor(
    readonly member: 'input' | 'output',
    readonly bytes: number,
    readonly quotaBytes: number,
  ) {
    super(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length ` +
        `less than or equal to ${quotaBytes} (it is ${bytes} bytes of UTF-8). Pass large data by reference ` +
        '(an S3 object or a DynamoDB item) instead.',
    );
    this.name = 'ValidationException';
  }
}

/** StartSyncExecution on a Standard state machine: AWS answers `StateMachineTypeNotSupported` (HTTP 400). */
export class StateMachineTypeNotSupportedError extends LocalStepFunctionsError {
  constructor(readonly stateMachineArn: string) {
    super(
      `This operation is not supported by this type of state machine: ${stateMachineArn} is STANDARD; ` +
        'StartSyncExecution runs EXPRESS state machines only (start a Standard one with StartExecution).',
    );
    this.name = 'StateMachineTypeNotSupported';
  }
}

/** What `sendTaskSuccess`/`sendTaskFailure` answer for a token whose task timed out (as AWS's TaskTimedOut). */
export class TaskTimedOutError extends LocalStepFunctionsError {
  constructor(readonly token: string) {
    super(`Task token ${token.slice(0, 12)}... belongs to a task that timed out.`);
    this.name = 'TaskTimedOut';
  }
}

/** The saved executions of a data directory cannot be read: say which file and what to do. */
export class ExecutionStoreError extends LocalStepFunctionsError {
  constructor(
    readonly path: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `Cannot load the saved executions from ${path}: ${problem}. Move the file away to start without them.`,
      options,
    );
    this.name = 'ExecutionStoreError';
  }
}

/**
 * The error a Task reports to the engine: `name` is what Retry/Catch `ErrorEquals` matches and
 * `message` becomes the `Cause`, exactly as Step Functions reports them.
 */
export class TaskFailedError extends Error {
  constructor(
    name: string,
    cause: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(cause);
    this.name = name;
  }
}

/**
 * `States.Runtime`: a failure in the workflow itself (a missing parameter, a bad reference). As on AWS,
 * no Retry or Catch handles it, `States.ALL` included: the execution fails. The engine reads the flags.
 */
export class StatesRuntimeError extends TaskFailedError {
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}

export function isTaskFailedError(error: unknown): error is TaskFailedError {
  return error instanceof TaskFailedError;
}
