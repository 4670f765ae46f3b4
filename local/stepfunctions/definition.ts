/** ASL definitions as the local runtime sees them: parsing, walking nested states, JSONPath-only checks. */
import { findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { InvalidDefinitionError } from './errors';

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Iterator?: AslDefinition;
  readonly ItemProcessor?: AslDefinition;
  readonly Branches?: readonly AslDefinition[];
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly TimeoutSeconds?: number;
  readonly QueryLanguage?: string;
  readonly [field: string]: unknown;
}

export interface TaskStateRef {
  readonly stateName: string;
  readonly resource: string;
  readonly state: AslState;
}

/** Parses a definition from JSON text or a value, naming the source in every error. */
export function parseDefinition(source: string | unknown, origin = 'definition'): AslDefinition {
  let value: unknown = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new InvalidDefinitionError(`${origin} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!isRecord(value) || typeof value.StartAt !== 'string' || !isRecord(value.States)) {
    throw new InvalidDefinitionError(
      `${origin} is not an ASL definition: it needs "StartAt" (string) and "States" (object).`,
    );
  }
  const definition = value as unknown as AslDefinition;
  assertJsonPathOnly(definition, origin);
  return definition;
}

/** Every state, nested Map and Parallel states included, with its path for messages. */
export function* walkStates(
  definition: AslDefinition,
  path = '',
): Generator<{ name: string; state: AslState; path: string }> {
  for (const [name, state] of Object.entries(definition.States)) {
    const statePath = path ? `${path} > ${name}` : name;
    yield { name, state, path: statePath };
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* walkStates(processor, statePath);
    for (const branch of state.Branches ?? []) yield* walkStates(branch, statePath);
  }
}

export function listTaskStates(definition: AslDefinition): TaskStateRef[] {
  return [...walkStates(definition)]
    .filter(({ state }) => state.Type === 'Task')
    .map(({ name, state }) => ({ stateName: name, resource: String(state.Resource), state }));
}

/**
 * The local engine silently ignores JSONata and Variables, so a definition using them would run
 * differently here than on AWS: refuse it, with the same check synth applies (`findUnsupportedFeatures`).
 * AWS also requires state names to be unique across the whole machine, Map and Parallel included.
 */
export function assertJsonPathOnly(definition: AslDefinition, origin = 'definition'): void {
  const problems = findUnsupportedFeatures(definition);
  const names = new Set<string>();
  for (const { name } of walkStates(definition)) {
    if (names.has(name)) problems.push(`state name "${name}" is used twice (AWS requires unique names)`);
    names.add(name);
  }
  if (problems.length > 0) {
    throw new InvalidDefinitionError(
      `${origin} cannot run locally as it would on AWS: ${problems.join('; ')}. ` +
        'Definitions must use JSONPath (Parameters/ResultSelector/ResultPath) without Variables.',
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
