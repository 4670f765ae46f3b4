/** Runs the policy check over ASL files on disk, with the idempotency declarations beside them. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { AslStates } from './asl-states';
import { HANDLED_OUTCOMES, IDEMPOTENT_TASKS } from './declarations';
import { checkRetryPolicy, type PolicyViolation } from './policy-check';

export const STATE_MACHINES_DIR = join(__dirname, '..', '..', 'state-machines');

/** `{ '<workflow>': { '<state>': 'why' } }` */
export type StateDeclarations = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface PolicyDeclarations {
  readonly idempotentTasks: StateDeclarations;
  readonly handledOutcomes: StateDeclarations;
}

const DECLARED: PolicyDeclarations = { idempotentTasks: IDEMPOTENT_TASKS, handledOutcomes: HANDLED_OUTCOMES };

/** Every `*.asl.json` in the directory, so a new workflow is checked without registering it anywhere. */
export function aslFiles(dir = STATE_MACHINES_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.asl.json'))
    .sort()
    .map((name) => join(dir, name));
}

/** The violations of one file; `${Placeholders}` sit inside JSON strings, so the raw file parses as it is. */
export function checkAslFile(file: string, declarations: PolicyDeclarations = DECLARED): PolicyViolation[] {
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
  return checkRetryPolicy(definition, {
    file: shown,
    idempotentTasks: declarations.idempotentTasks[workflow] ?? {},
    handledOutcomes: declarations.handledOutcomes[workflow] ?? {},
  });
}

/** One line per violation: `file: "state": [rule] message`. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  return violations
    .map((violation) => `${violation.file}: "${violation.state}": [${violation.rule}] ${violation.message}`)
    .join('\n');
}
