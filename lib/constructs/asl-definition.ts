/**
 * Reading an ASL file and checking it against its substitutions, as pure functions so tests and the
 * construct share one rule: `${PascalCaseName}` placeholders, every placeholder filled, every value used,
 * JSONPath only (the local engine silently ignores JSONata and Variables).
 */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { AslDefinitionError } from '../errors';

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const PLACEHOLDER_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Distinct placeholder names in the text, in order of first appearance. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/**
 * Fills `${Name}` placeholders as Step Functions' DefinitionSubstitutions do. Placeholders without a value
 * stay as they are and are reported in `missing`.
 */
export function substitutePlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
): { readonly text: string; readonly missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (Object.hasOwn(values, name)) return values[name];
    missing.add(name);
    return placeholder;
  });
  return { text: filled, missing: [...missing] };
}

/** Throws when a placeholder is malformed or unfilled, or a substitution has no placeholder. */
export function checkSubstitutions(file: string, text: string, substitutions: Readonly<Record<string, string>>): void {
  const placeholders = findPlaceholders(text);
  const malformed = placeholders.filter((name) => !PLACEHOLDER_NAME.test(name));
  if (malformed.length > 0) {
    throw new AslDefinitionError(
      `${file}: placeholders must be \${PascalCaseName}; rename ${malformed.map((n) => `\${${n}}`).join(', ')}.`,
    );
  }
  const missing = placeholders.filter((name) => !(name in substitutions));
  if (missing.length > 0) {
    throw new AslDefinitionError(
      `${file}: no value for placeholder ${missing.map((n) => `\${${n}}`).join(', ')}; ` +
        `pass it in substitutions (e.g. { ${missing[0]}: table.tableName }).`,
    );
  }
  const unused = Object.keys(substitutions).filter((name) => !placeholders.includes(name));
  if (unused.length > 0) {
    throw new AslDefinitionError(
      `${file}: substitution ${unused.join(', ')} matches no placeholder in the file; ` +
        `remove it or add the \${${unused[0]}} placeholder where the value belongs.`,
    );
  }
}

/**
 * JSONata and Variables (`Assign`) are valid ASL but the local engine ignores them without a word,
 * so a workflow using them would behave differently locally than on AWS.
 */
export function findUnsupportedFeatures(definition: unknown): string[] {
  const findings: string[] = [];
  walkMachine(definition, 'definition', findings);
  return findings;
}

function walkMachine(machine: unknown, at: string, findings: string[]): void {
  if (!isObject(machine)) return;
  if (machine.QueryLanguage === 'JSONata') findings.push(`${at}: QueryLanguage JSONata`);
  if (!isObject(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) continue;
    const here = `${at} > "${name}"`;
    if (state.QueryLanguage === 'JSONata') findings.push(`${here}: QueryLanguage JSONata`);
    if ('Assign' in state) findings.push(`${here}: Assign (Variables)`);
    for (const field of ['Output', 'Arguments']) if (field in state) findings.push(`${here}: ${field} (JSONata)`);
    for (const [field, list] of [
      ['Catch', state.Catch],
      ['Choices', state.Choices],
    ] as const) {
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        if (isObject(entry) && 'Assign' in entry) findings.push(`${here} ${field}[${i}]: Assign (Variables)`);
      });
    }
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        walkMachine(branch, `${here} Branches[${i}]`, findings);
      });
    }
    walkMachine(state.ItemProcessor, `${here} ItemProcessor`, findings);
    walkMachine(state.Iterator, `${here} Iterator`, findings);
  }
}

export interface LoadedAslDefinition {
  /** The file's text, placeholders untouched (Step Functions substitutes them at deploy time). */
  readonly text: string;
  readonly definition: Record<string, unknown>;
}

/** Reads and checks one `state-machines/<name>.asl.json`. */
export function loadAslDefinition(
  file: string,
  substitutions: Readonly<Record<string, string>>,
  expectedName?: string,
): LoadedAslDefinition {
  if (!isAbsolute(file)) {
    throw new AslDefinitionError(
      `${file}: pass an absolute path (path.join(__dirname, '..', '..', 'state-machines', '<name>.asl.json')).`,
    );
  }
  if (expectedName !== undefined && basename(file) !== `${expectedName}.asl.json`) {
    throw new AslDefinitionError(`${file}: the workflow "${expectedName}" must live in ${expectedName}.asl.json.`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AslDefinitionError(`${file}: cannot read the state machine definition.`, { cause: error });
  }
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new AslDefinitionError(`${file}: not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (!isObject(definition)) throw new AslDefinitionError(`${file}: the definition must be a JSON object.`);
  checkSubstitutions(file, text, substitutions);
  const unsupported = findUnsupportedFeatures(definition);
  if (unsupported.length > 0) {
    throw new AslDefinitionError(`${file}: JSONPath only, remove ${unsupported.join('; ')}.`);
  }
  return { text, definition };
}

/**
 * The definition text with a top-level `TimeoutSeconds`: CDK applies a state machine's `timeout` only to
 * definitions it builds itself, never to a string body, so the construct writes it into the text. A file that
 * sets its own `TimeoutSeconds` keeps the one place it is defined: asking for both is an error.
 */
export function withExecutionTimeout(file: string, text: string, timeoutSeconds: number): string {
  const definition = JSON.parse(text) as Record<string, unknown>;
  if ('TimeoutSeconds' in definition) {
    throw new AslDefinitionError(
      `${file}: the file sets TimeoutSeconds (${String(definition.TimeoutSeconds)}) and the construct a timeout ` +
        `(${timeoutSeconds} s); keep one of them.`,
    );
  }
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    throw new AslDefinitionError(`${file}: the timeout must be a whole number of seconds >= 1, got ${timeoutSeconds}.`);
  }
  return text.replace(/^\s*\{/, (opening) => `${opening}\n  "TimeoutSeconds": ${timeoutSeconds},`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
