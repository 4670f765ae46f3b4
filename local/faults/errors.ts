/** Errors of fault injection: a plan that does not validate, and the failure a fault injects into a call. */

/** A fault plan is wrong; `path` names the field (`faults[1].rate`) so the author can fix it without a stack trace. */
export class InvalidFaultPlanError extends Error {
  readonly path: string;
  readonly problem: string;
  readonly source: string | undefined;

  constructor(path: string, problem: string, source?: string, options?: ErrorOptions) {
    super(`${source ? `${source}: ` : ''}${path}: ${problem}`, options);
    this.name = 'InvalidFaultPlanError';
    this.path = path;
    this.problem = problem;
    this.source = source;
  }
}

export interface InjectedFaultDetails {
  /** The configured Step Functions error name, e.g. 'Rds.RdsException' or 'Throttling'. */
  readonly error: string;
  /** Becomes the message, i.e. the Task's `Cause`. */
  readonly cause?: string;
  /** The raw AWS error code, when the plan gives one (or the error name has no dot). */
  readonly code?: string;
  /** The HTTP status the plan gives; otherwise the code's status on AWS. */
  readonly statusCode?: number;
  readonly faultId: string;
}

/**
 * The failure a fault plan injects. Unlike the other error classes its `name` is not fixed: it is the
 * configured error, because Step Functions Retry/Catch route on `name`.
 */
export class InjectedFaultError extends Error {
  readonly code: string | undefined;
  readonly statusCode: number | undefined;
  readonly faultId: string;
  readonly injected = true;

  constructor(details: InjectedFaultDetails, options?: ErrorOptions) {
    super(details.cause ?? `Fault ${details.faultId} injected ${details.error}.`, options);
    this.name = details.error;
    this.code = details.code;
    this.statusCode = details.statusCode;
    this.faultId = details.faultId;
  }
}

export function isInjectedFaultError(error: unknown): error is InjectedFaultError {
  return error instanceof InjectedFaultError;
}
