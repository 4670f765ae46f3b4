/**
 * `state-machines/circuit-gates.json`: which Task of which state machine each circuit protects. The one
 * place a gate is declared; `scripts/sync-circuit-gates.ts` turns it into states inside the ASL files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CircuitDeclarationError } from './errors';

export interface CircuitDeclaration {
  /** Used in state names: "Check RDS API circuit". Letters, digits and spaces. */
  readonly label: string;
  /** Error names (after the protected Task's retries) that mean the dependency is unhealthy. */
  readonly countedErrors: readonly string[];
  /**
   * For an error name that also covers answers saying nothing about health (the aws-sdk integration reports
   * every unmodeled RDS error, validation ones included, as `Rds.RdsException`): only a failure whose Cause
   * matches one of these `StringMatches` patterns counts.
   */
  readonly countedCauses?: Readonly<Record<string, readonly string[]>>;
  /** Why these errors, for reviewers. */
  readonly countedErrorsReason?: string;
}

export interface GateDeclaration {
  /** Kebab-case machine name: the file is `state-machines/<machine>.asl.json`. */
  readonly machine: string;
  readonly circuit: string;
  readonly protectedState: string;
  readonly next: string;
  readonly onFailure: string;
  readonly errorPath: string;
  readonly onOpen?: string;
}

export interface CircuitGatesFile {
  readonly circuits: Readonly<Record<string, CircuitDeclaration>>;
  readonly gates: readonly GateDeclaration[];
}

export const STATE_MACHINES_DIR = join(__dirname, '..', '..', 'state-machines');
export const CIRCUIT_GATES_FILE = join(STATE_MACHINES_DIR, 'circuit-gates.json');

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function loadCircuitGates(file: string = CIRCUIT_GATES_FILE): CircuitGatesFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CircuitDeclarationError(`${file}: cannot read it as JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return parseCircuitGates(raw, file);
}

export function parseCircuitGates(raw: unknown, where = 'circuit-gates.json'): CircuitGatesFile {
  const fail = (problem: string): never => {
    throw new CircuitDeclarationError(`${where}: ${problem}`);
  };
  if (!isObject(raw) || !isObject(raw.circuits) || !Array.isArray(raw.gates)) {
    return fail('expected { "circuits": { ... }, "gates": [ ... ] }.');
  }
  const circuits: Record<string, CircuitDeclaration> = {};
  for (const [name, value] of Object.entries(raw.circuits)) {
    if (!KEBAB.test(name)) fail(`circuit name "${name}" must be kebab-case (it is the item key).`);
    if (!isObject(value)) return fail(`circuit "${name}" must be an object.`);
    if (typeof value.label !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ]*$/.test(value.label)) {
      fail(
        `circuit "${name}": label must be letters, digits and spaces (it goes into state names), got ${JSON.stringify(value.label)}.`,
      );
    }
    const counted = value.countedErrors;
    if (
      !Array.isArray(counted) ||
      counted.length === 0 ||
      !counted.every((e) => typeof e === 'string' && e.length > 0)
    ) {
      fail(`circuit "${name}": countedErrors must list at least one error name.`);
    }
    const causes = value.countedCauses;
    if (causes !== undefined) {
      const valid =
        isObject(causes) &&
        Object.entries(causes).every(
          ([error, patterns]) =>
            (counted as string[]).includes(error) &&
            Array.isArray(patterns) &&
            patterns.length > 0 &&
            patterns.every((pattern) => typeof pattern === 'string' && pattern.length > 0),
        );
      if (!valid) {
        fail(`circuit "${name}": countedCauses maps counted error names to non-empty lists of Cause patterns.`);
      }
    }
    circuits[name] = {
      label: value.label as string,
      countedErrors: counted as string[],
      ...(causes !== undefined ? { countedCauses: causes as Record<string, string[]> } : {}),
      ...(typeof value.countedErrorsReason === 'string' ? { countedErrorsReason: value.countedErrorsReason } : {}),
    };
  }
  const gates = (raw.gates as unknown[]).map((gate, i): GateDeclaration => {
    if (!isObject(gate)) return fail(`gates[${i}] must be an object.`);
    for (const field of ['machine', 'circuit', 'protectedState', 'next', 'onFailure', 'errorPath'] as const) {
      if (typeof gate[field] !== 'string' || (gate[field] as string).length === 0) {
        fail(`gates[${i}].${field} must be a non-empty string.`);
      }
    }
    if (!KEBAB.test(gate.machine as string)) fail(`gates[${i}].machine must be a kebab-case machine name.`);
    if (!circuits[gate.circuit as string])
      fail(`gates[${i}] names circuit "${gate.circuit}", which "circuits" does not declare.`);
    if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(gate.errorPath as string)) {
      fail(`gates[${i}].errorPath must be a plain path such as "$.failure".`);
    }
    if (gate.onOpen !== undefined && typeof gate.onOpen !== 'string') fail(`gates[${i}].onOpen must be a state name.`);
    return {
      machine: gate.machine as string,
      circuit: gate.circuit as string,
      protectedState: gate.protectedState as string,
      next: gate.next as string,
      onFailure: gate.onFailure as string,
      errorPath: gate.errorPath as string,
      ...(typeof gate.onOpen === 'string' ? { onOpen: gate.onOpen } : {}),
    };
  });
  const seen = new Set<string>();
  for (const gate of gates) {
    const id = `${gate.machine}/${gate.circuit}`;
    if (seen.has(id))
      fail(`circuit "${gate.circuit}" gates two Tasks of "${gate.machine}"; one gate per circuit per machine.`);
    seen.add(id);
  }
  return { circuits, gates };
}

/** Machines that have at least one gate. */
export function gatedMachines(file: CircuitGatesFile): string[] {
  return [...new Set(file.gates.map((gate) => gate.machine))];
}

/** Circuits a machine uses (for its placeholders and IAM). */
export function circuitsOfMachine(file: CircuitGatesFile, machine: string): string[] {
  return file.gates.filter((gate) => gate.machine === machine).map((gate) => gate.circuit);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
