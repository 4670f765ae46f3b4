/** Errors of schedule expressions, shared by config validation (synth) and the local EventBridge bus. */

/** ErrorOptions plus `context`, which prefixes the message (e.g. `Rule "inventory-refresh"`). */
export interface ScheduleErrorOptions extends ErrorOptions {
  readonly context?: string;
}

/** A `rate(...)` or `cron(...)` expression that EventBridge's PutRule would reject. */
export class InvalidScheduleExpressionError extends Error {
  /** The expression as given. */
  readonly expression: string;
  readonly problem: string;
  readonly fix: string;

  constructor(expression: string, problem: string, fix: string, options?: ScheduleErrorOptions) {
    const prefix = options?.context ? `${options.context}: ` : '';
    super(`${prefix}Invalid schedule expression "${expression}": ${problem}. ${fix}.`, options);
    this.name = 'InvalidScheduleExpressionError';
    this.expression = expression;
    this.problem = problem;
    this.fix = fix;
  }
}

export function isInvalidScheduleExpressionError(error: unknown): error is InvalidScheduleExpressionError {
  return error instanceof InvalidScheduleExpressionError;
}
