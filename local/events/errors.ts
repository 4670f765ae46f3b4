/**
 * Errors of the local EventBridge bus. Each one names what is wrong, where (a JSON path inside the
 * pattern, target input or expression) and how to fix it, so a bad rule never surfaces as a stack trace.
 */

/** Schedules are parsed by the same code that validates config at synth (lib/schedule). */
export { InvalidScheduleExpressionError, isInvalidScheduleExpressionError } from '../../lib/schedule/errors';

/** ErrorOptions plus `context`, which prefixes the message (e.g. `Rule "restore-requested"`). */
export interface EventsErrorOptions extends ErrorOptions {
  readonly context?: string;
}

function prefix(options: EventsErrorOptions | undefined): string {
  return options?.context ? `${options.context}: ` : '';
}

/** An event pattern that EventBridge would reject with `InvalidEventPatternException`. */
export class InvalidEventPatternError extends Error {
  /** JSON path inside the pattern where the problem is, `''` for the pattern itself. */
  readonly path: string;
  readonly problem: string;
  readonly fix: string;

  constructor(path: string, problem: string, fix: string, options?: EventsErrorOptions) {
    super(`${prefix(options)}Invalid event pattern at ${path === '' ? '(root)' : path}: ${problem}. ${fix}.`, options);
    this.name = 'InvalidEventPatternError';
    this.path = path;
    this.problem = problem;
    this.fix = fix;
  }
}

/** A target `Input`, `InputPath` or `InputTransformer` that PutTargets would reject. */
export class InvalidInputTransformerError extends Error {
  /** Where in the target's input options the problem is, e.g. `InputTransformer.InputPathsMap.state`. */
  readonly path: string;
  readonly problem: string;
  readonly fix: string;

  constructor(path: string, problem: string, fix: string, options?: EventsErrorOptions) {
    super(`${prefix(options)}Invalid target input at ${path}: ${problem}. ${fix}.`, options);
    this.name = 'InvalidInputTransformerError';
    this.path = path;
    this.problem = problem;
    this.fix = fix;
  }
}

/** A rule that PutRule or PutTargets would reject for a reason other than its pattern, schedule or input. */
export class InvalidRuleError extends Error {
  readonly ruleName: string;

  constructor(ruleName: string, problem: string, fix: string, options?: ErrorOptions) {
    super(`Invalid rule "${ruleName}": ${problem}. ${fix}.`, options);
    this.name = 'InvalidRuleError';
    this.ruleName = ruleName;
  }
}

/** A rule name the bus does not know (AWS answers `ResourceNotFoundException`). */
export class RuleNotFoundError extends Error {
  readonly ruleName: string;

  constructor(ruleName: string, eventBusName: string, known: readonly string[], options?: ErrorOptions) {
    const list = known.length > 0 ? known.map((name) => `"${name}"`).join(', ') : 'none';
    super(
      `Rule "${ruleName}" does not exist on event bus "${eventBusName}". Add it with addRule first; rules on that bus: ${list}.`,
      options,
    );
    this.name = 'RuleNotFoundError';
    this.ruleName = ruleName;
  }
}

export function isInvalidEventPatternError(error: unknown): error is InvalidEventPatternError {
  return error instanceof InvalidEventPatternError;
}

export function isInvalidInputTransformerError(error: unknown): error is InvalidInputTransformerError {
  return error instanceof InvalidInputTransformerError;
}
