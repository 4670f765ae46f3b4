/**
 * What a protected call hands the breaker machine about its circuit: the declaration (label, what counts)
 * and the deployed settings (CDK config), as one JSON document. Every call carries it, so a deploy's
 * settings are in force from the next call on; the circuit item holds state only.
 */
import type { CircuitConfig, TableFailPolicy } from '../config';
import { type CircuitDeclaration, declarationOf } from './circuits';
import { openTimeoutLadder, validateCircuitSettings, withoutPolicy } from './settings';

export interface BreakerCircuitSettings {
  readonly label: string;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  /** Open timeouts of consecutive opens, in seconds; the last one repeats. */
  readonly openTimeoutLadder: readonly number[];
  readonly failureWindowSeconds: number;
  readonly probeLeaseSeconds: number;
  readonly tableFailPolicy: TableFailPolicy;
  readonly countedErrors: readonly string[];
  readonly countedOnlyWhenUnhealthy: readonly string[];
}

export function breakerCircuitSettings(
  circuit: string,
  config: CircuitConfig,
  declaration: CircuitDeclaration = declarationOf(circuit),
): BreakerCircuitSettings {
  const settings = validateCircuitSettings(circuit, withoutPolicy(config));
  return {
    label: declaration.label,
    failureThreshold: settings.failureThreshold,
    successThreshold: settings.successThreshold,
    openTimeoutLadder: openTimeoutLadder(settings),
    failureWindowSeconds: settings.failureWindowSeconds,
    probeLeaseSeconds: settings.probeLeaseSeconds,
    tableFailPolicy: config.tableFailPolicy,
    countedErrors: [...declaration.countedErrors],
    countedOnlyWhenUnhealthy: [...(declaration.countedOnlyWhenUnhealthy ?? [])],
  };
}

/**
 * The document as the value of a `"settings": "${XxxCircuitSettings}"` placeholder: JSON text escaped for
 * a JSON string, since DefinitionSubstitutions replace text. The breaker parses it with States.StringToJson.
 */
export function settingsPlaceholderValue(settings: BreakerCircuitSettings): string {
  return JSON.stringify(JSON.stringify(settings)).slice(1, -1);
}
