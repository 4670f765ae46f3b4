/** Errors of the service stand-ins: what an AWS service answers to a bad call, and misuse of the naming helpers. */
import { httpStatusOf } from './http-status';

export interface ServiceErrorOptions extends ErrorOptions {
  /** HTTP status AWS answers with. @default the code's status on AWS (`httpStatusOf`), 400 when unknown */
  readonly statusCode?: number;
  /** Whether the AWS SDKs retry this error on their own (throttling, 5xx). @default statusCode >= 500 */
  readonly retryable?: boolean;
  /** The service as the aws-sdk resource ARN spells it ('rds', 'sns', ...), to name the error as Step Functions does. */
  readonly service?: string;
  /** The request ID AWS would return; stand-ins derive it from a seed so runs repeat. */
  readonly requestId?: string;
}

/**
 * A failed call to a stand-in, shaped like an AWS error response. `name` is the raw AWS error code
 * ('Throttling', 'DBInstanceNotFound'), exactly what the service puts on the wire; Step Functions renames it
 * (see `integration-error-names.ts`) before Retry/Catch see it.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly retryable: boolean;
  readonly service: string | undefined;
  readonly requestId: string | undefined;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message, options);
    this.name = code;
    this.code = code;
    this.statusCode = options.statusCode ?? httpStatusOf(code);
    this.retryable = options.retryable ?? this.statusCode >= 500;
    this.service = options.service;
    this.requestId = options.requestId;
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}

/** Asked for the error name of an integration Step Functions does not have (e.g. an optimized RDS integration). */
export class UnsupportedIntegrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedIntegrationError';
  }
}

/**
 * A stand-in got a parameter the aws-sdk integration does not accept, usually SDK-for-JavaScript casing
 * (`DBInstanceIdentifier`) where Step Functions wants SDK-for-Java-v2 casing (`DbInstanceIdentifier`). On AWS the
 * state machine definition itself would be rejected, so this is a bug in the definition, not a runtime fault.
 */
export class UnknownParameterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnknownParameterError';
  }
}
