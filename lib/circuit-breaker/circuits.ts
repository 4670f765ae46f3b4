/**
 * Which circuits exist and what each one counts: the one declaration. Their settings (thresholds,
 * timeouts, fail policy) live in CDK config (`circuits.<name>` in cdk.json); both reach the breaker
 * through each protected call's input (see `breakerCircuitDocument`).
 */
import { CircuitDeclarationError } from './errors';

export interface CircuitDeclaration {
  /** How operators call the dependency, used in texts and events: "RDS API". */
  readonly label: string;
  /** Error names (after the protected Task's own retries) that mean the dependency is unhealthy. */
  readonly countedErrors: readonly string[];
  /**
   * Of the counted errors, those that count only when their Cause shows throttling or a server error
   * (`UNHEALTHY_CAUSE_PATTERNS`): an error name that also covers answers saying nothing about health.
   */
  readonly countedOnlyWhenUnhealthy?: readonly string[];
  /** Why these errors, for reviewers. */
  readonly reason: string;
}

/**
 * The Cause texts of throttling and 5xx answers in every AWS SDK integration (`Rate exceeded`,
 * `ThrottlingException`, `... Status Code: 503 ...`). The breaker's Choice state has exactly these
 * `StringMatches` patterns (a Choice cannot take a pattern from data); a test keeps the two equal.
 */
export const UNHEALTHY_CAUSE_PATTERNS: readonly string[] = ['*Rate exceeded*', '*Throttl*', '*Status Code: 5*'];

export const CIRCUITS = {
  'rds-api': {
    label: 'RDS API',
    countedErrors: ['Rds.RdsException', 'States.Timeout'],
    countedOnlyWhenUnhealthy: ['Rds.RdsException'],
    reason:
      'RDS throttling (Throttling, "Rate exceeded") and 5xx (InternalFailure, ServiceUnavailable) are not in the ' +
      'RDS service model, so the aws-sdk integration reports them as the base exception Rds.RdsException, and so ' +
      'it reports unmodeled validation errors (InvalidParameterValue, InvalidParameterCombination): only a Cause ' +
      'showing throttling or a 5xx counts. Rds.DbInstanceNotFoundException and other modeled errors are answers, ' +
      'not ill health.',
  },
  'cost-explorer': {
    label: 'Cost Explorer',
    countedErrors: ['CostExplorer.LimitExceededException', 'CostExplorer.CostExplorerException', 'States.Timeout'],
    countedOnlyWhenUnhealthy: ['CostExplorer.CostExplorerException'],
    reason:
      'LimitExceededException is Cost Explorer throttling; 5xx answers are unmodeled (CostExplorerException), as ' +
      'are validation errors, so that name counts only with a throttling or 5xx Cause.',
  },
} as const satisfies Readonly<Record<string, CircuitDeclaration>>;

export type CircuitName = keyof typeof CIRCUITS;

export const CIRCUIT_NAMES = Object.keys(CIRCUITS) as CircuitName[];

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The declaration of a circuit, or a named error listing the declared ones. */
export function declarationOf(circuit: string): CircuitDeclaration {
  const declaration = (CIRCUITS as Readonly<Record<string, CircuitDeclaration>>)[circuit];
  if (!declaration) {
    throw new CircuitDeclarationError(
      `No circuit "${circuit}" is declared; declared circuits: ${CIRCUIT_NAMES.join(', ')} (lib/circuit-breaker/circuits.ts).`,
    );
  }
  return declaration;
}

/** Every rule a declaration must keep; empty when valid. */
export function declarationProblems(circuit: string, declaration: CircuitDeclaration): string[] {
  const problems: string[] = [];
  if (!KEBAB.test(circuit)) problems.push(`circuit name "${circuit}" must be kebab-case (it is the item key)`);
  if (!/^[A-Za-z0-9][A-Za-z0-9 ]*$/.test(declaration.label)) {
    problems.push(`label must be letters, digits and spaces, got ${JSON.stringify(declaration.label)}`);
  }
  if (declaration.countedErrors.length === 0) problems.push('countedErrors must list at least one error name');
  if (declaration.countedErrors.some((name) => name.length === 0)) problems.push('countedErrors has an empty name');
  for (const name of declaration.countedOnlyWhenUnhealthy ?? []) {
    if (!declaration.countedErrors.includes(name)) {
      problems.push(`countedOnlyWhenUnhealthy names ${name}, which countedErrors does not list`);
    }
  }
  return problems.map((problem) => `circuit "${circuit}": ${problem}`);
}

/**
 * Whether a failed call counts against its circuit: its error is counted and, when that name also covers
 * healthy answers, its Cause shows throttling or a server error. The breaker machine decides the same way.
 */
export function isDependencyFailure(
  failure: { readonly error: string; readonly cause: string },
  declaration: CircuitDeclaration,
): boolean {
  if (!declaration.countedErrors.includes(failure.error)) return false;
  if (!(declaration.countedOnlyWhenUnhealthy ?? []).includes(failure.error)) return true;
  return UNHEALTHY_CAUSE_PATTERNS.some((pattern) => matchesPattern(failure.cause, pattern));
}

/** Step Functions `StringMatches`: `*` is any run of characters, everything else is literal. */
export function matchesPattern(text: string, pattern: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`, 's').test(text);
}
