/** Runs the policy check over ASL files on disk, with the idempotency declarations beside them. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { AslStates } from './asl-states';
import { IDEMPOTENT_TASKS } from './idempotent-tasks';
import { checkRetryPolicy, type PolicyViolation } from './policy-check';

export const STATE_MACHINES_DIR = join(__dirname, '..', '..', 'state-machines');

/** `{ "<workflow>": { "<Task state>": "why repeating it after any failure is safe" } }` */
export type IdempotencyDeclarations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Every `*.asl.json` in the directory, so a new workflow is checked without registering it anywhere. */
export function aslFiles(dir = STATE_MACHINES_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.asl.json'))
    .sort()
    .map((name) => join(dir, name));
}

/** The violations of one file; `${Placeholders}` sit inside JSON strings, so the raw file parses as it is. */
export function checkAslFile(
  file: string,
  declarations: IdempotencyDeclarations = IDEMPOTENT_TASKS,
): PolicyViolation[] {
  const shown = relative(join(STATE_MACHINES_DIR, '..'), file);
  const workflow = basename(file, '.asl.json');
  let definition: AslStates;
  try {
    definition = JSON.parse(readFileSync(file, 'utf8')) as AslStates;
  } catch (error) {
    return [
      {
        file: shown,
        state: '(file)',
        rule: 'retry-preset',
        message: `cannot be read as JSON: ${(error as Error).message}`,
      },
    ];
  }
  return checkRetryPolicy(definition, { file: shown, idempotentTasks: declarations[workflow] ?? {} });
}

/** One line per violation: `file: "state": [rule] message`. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  return violations
    .map((violation) => `${violation.file}: "${violation.state}": [${violation.rule}] ${violation.message}`)
    .join('\n');
}
