/** Errors the CLI reports with a one-line reason: bad usage or bad input (exit 2), an endpoint not answering (exit 1). */

export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export class InvalidInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/** Nothing answers at the endpoint a command was pointed at (the local service is not running, say). */
export class EndpointUnreachableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EndpointUnreachableError';
  }
}

/** CloudWatch has no consumed capacity for the table in the window asked about: nothing to advise on. */
export class NoUsageDataError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NoUsageDataError';
  }
}
