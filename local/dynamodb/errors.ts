/** Errors of the local DynamoDB (dynalite + PITR emulator proxy). */

/** Base of every error this module throws, so callers can catch them as one family. */
export class LocalDynamoDbError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalDynamoDbError';
  }
}

/** dynalite or the proxy could not start (port, data directory, upstream). */
export class LocalDynamoDbStartError extends LocalDynamoDbError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalDynamoDbStartError';
  }
}

/** A table in `dataDir` has a different key schema than the one asked for. */
export class LocalTableSchemaMismatchError extends LocalDynamoDbError {
  constructor(
    readonly tableName: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `Table '${tableName}' already exists with a different key schema (${detail}). ` +
        'Delete the table (or the local data directory) and start again, or use the existing schema.',
      options,
    );
    this.name = 'LocalTableSchemaMismatchError';
  }
}

/** The saved emulator state in `dataDir` cannot be read. */
export class PitrStateFileError extends LocalDynamoDbError {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `Cannot read the PITR emulator state at ${path}: ${detail}. ` +
        'Delete the file to start with an empty PITR history (table data in dynalite is kept).',
      options,
    );
    this.name = 'PitrStateFileError';
  }
}

/**
 * An error in DynamoDB's own shape: the proxy answers it as
 * `{"__type":"com.amazonaws.dynamodb.v20120810#<code>","message":...}` with `statusCode`.
 * Internal calls to dynalite surface its errors as this too, keeping the AWS `code`.
 */
export class DynamoDbServiceError extends LocalDynamoDbError {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    options?: ErrorOptions & {
      /** More members of the error body, as AWS sends them (`CancellationReasons`). */
      readonly details?: Readonly<Record<string, unknown>>;
    },
  ) {
    super(message, options);
    this.name = 'DynamoDbServiceError';
    this.details = options?.details;
  }

  readonly details: Readonly<Record<string, unknown>> | undefined;
}

/** One entry of a TransactionCanceledException's CancellationReasons, in AWS's shape. */
export interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: Record<string, unknown>;
}

export function isDynamoDbServiceError(error: unknown, code?: string): error is DynamoDbServiceError {
  return error instanceof DynamoDbServiceError && (code === undefined || error.code === code);
}

/** Shorthands for the service errors the emulator raises, named exactly as AWS names them. */
export const serviceErrors = {
  validation: (message: string) => new DynamoDbServiceError('ValidationException', message),
  resourceNotFound: (message = 'Requested resource not found') =>
    new DynamoDbServiceError('ResourceNotFoundException', message),
  resourceInUse: (message: string) => new DynamoDbServiceError('ResourceInUseException', message),
  tableNotFound: (tableName: string) =>
    new DynamoDbServiceError('TableNotFoundException', `Table not found: ${tableName}`),
  tableAlreadyExists: (tableName: string) =>
    new DynamoDbServiceError('TableAlreadyExistsException', `Table already exists: ${tableName}`),
  tableInUse: (tableName: string) =>
    new DynamoDbServiceError('TableInUseException', `Table is being created or deleted: ${tableName}`),
  pitrUnavailable: (tableName: string) =>
    new DynamoDbServiceError(
      'PointInTimeRecoveryUnavailableException',
      `Point in time recovery is not enabled for table '${tableName}'`,
    ),
  invalidRestoreTime: (message: string) => new DynamoDbServiceError('InvalidRestoreTimeException', message),
  backupNotFound: (backupArn: string) =>
    new DynamoDbServiceError('BackupNotFoundException', `Backup not found for the given BackupARN: ${backupArn}`),
  /**
   * AWS's wording: `Transaction cancelled, please refer cancellation reasons for specific reasons
   * [ConditionalCheckFailed, None]`, with one reason per item in request order (`Message` capitalised).
   */
  transactionCanceled: (reasons: readonly CancellationReason[]) =>
    new DynamoDbServiceError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
      400,
      { details: { CancellationReasons: reasons } },
    ),
  idempotentParameterMismatch: () =>
    new DynamoDbServiceError(
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request. Use a new ClientRequestToken for a different request.',
    ),
  transactionInProgress: () =>
    new DynamoDbServiceError(
      'TransactionInProgressException',
      'The transaction with the given request token is already in progress.',
    ),
  continuousBackupsUnavailable: (tableName: string) =>
    new DynamoDbServiceError(
      'ContinuousBackupsUnavailableException',
      `Continuous backups are not yet available for table '${tableName}' (it is still being created); retry later`,
    ),
};
