/**
 * Errors of the local service: what an AWS API answers to a bad call (code, message, HTTP status, as the SDKs
 * parse them), and what stops `rds-ops local serve` from starting (a port in use, a data directory in use).
 */

/**
 * An AWS API error response. `name` and `code` are the error code the SDK turns into an exception name
 * (`ExecutionDoesNotExist`); the message follows AWS's wording.
 */
export class AwsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function isAwsApiError(error: unknown): error is AwsApiError {
  return error instanceof AwsApiError;
}

/** The errors Step Functions answers with, worded as AWS words them. */
export const sfnErrors = {
  executionDoesNotExist: (arn: string) =>
    new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) =>
    new AwsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  invalidArn: (reason: string) => new AwsApiError('InvalidArn', `Invalid Arn: '${reason}'`),
  invalidName: (name: string) => new AwsApiError('InvalidName', `Invalid Name: '${name}'`),
  invalidExecutionInput: (reason: string) =>
    new AwsApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`),
  invalidOutput: (reason: string) => new AwsApiError('InvalidOutput', `Invalid Output: '${reason}'`),
  invalidToken: (reason: string) => new AwsApiError('InvalidToken', `Invalid Token: '${reason}'`),
  resourceNotFound: (arn: string) => new AwsApiError('ResourceNotFound', `Resource not found: '${arn}'`),
  taskDoesNotExist: () => new AwsApiError('TaskDoesNotExist', 'Task Does Not Exist'),
  taskTimedOut: () => new AwsApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  stateMachineTypeNotSupported: () =>
    new AwsApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine'),
};

/** Errors every AWS JSON service shares. */
export const commonErrors = {
  /** A field that fails its constraint, worded as AWS's request validation words it. */
  validation: (message: string) => new AwsApiError('ValidationException', message),
  missingField: (field: string) =>
    new AwsApiError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    ),
  /** The body is not JSON, or a field has the wrong JSON type. */
  serialization: (detail: string) => new AwsApiError('SerializationException', detail),
  unknownOperation: (target: string) =>
    new AwsApiError(
      'UnknownOperationException',
      `The local service does not know the operation "${target}" (X-Amz-Target). It serves Step Functions, ` +
        'DynamoDB, EventBridge PutEvents, CloudWatch PutMetricData and STS GetCallerIdentity: see docs/local-runtime.md.',
    ),
  requestTooLarge: (limit: number) =>
    new AwsApiError('RequestEntityTooLargeException', `The request body is larger than ${limit} bytes.`, 413),
  internal: (detail: string) => new AwsApiError('InternalFailure', `The local service failed: ${detail}`, 500),
};

/** `rds-ops local serve` could not listen: the port is taken (or not allowed). */
export class PortUnavailableError extends Error {
  constructor(
    readonly port: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `port ${port} on 127.0.0.1 is ${reason}. Stop what uses it, or pass --port with another port (0 picks a free one).`,
      options,
    );
    this.name = 'PortUnavailableError';
  }
}

/** Another process (a second `local serve`, or `local execute`) uses the same data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    owner: string,
    lockFile: string,
    options?: ErrorOptions,
  ) {
    super(
      `${dataDir} is in use by ${owner}. Stop that process first, or pass another --data-dir ` +
        `(if no such process runs, delete ${lockFile}).`,
      options,
    );
    this.name = 'DataDirInUseError';
  }
}
