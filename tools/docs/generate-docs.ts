/**
 * Every generated section of the docs, computed from the code: the alarm reference in docs/operations.md, and
 * one docs/workflows/<machine>.md per `state-machines/*.asl.json` plus their index. `rds-ops docs` (npm run
 * docs) writes them; `test/tools/docs.test.ts` regenerates them and fails on any difference.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AslMachineLike } from '../../local/console/asl-graph';
import { ALARM_REFERENCE_SECTION, alarmReferenceTable } from './alarm-reference';
import { replaceGeneratedSection } from './generated-section';
import { WORKFLOW_DOC_SECTION, type WorkflowContract, workflowDocSection } from './workflow-doc';

export const PROJECT_ROOT = join(__dirname, '..', '..');
const STATE_MACHINES_DIR = 'state-machines';
const WORKFLOW_DOCS_DIR = join('docs', 'workflows');
const WORKFLOW_INDEX_SECTION = 'workflow-index';

export class MissingContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingContractError';
  }
}

export interface GeneratedDoc {
  /** Relative to the project root. */
  readonly path: string;
  readonly current: string | undefined;
  readonly expected: string;
}

/** The kebab names of every workflow definition, sorted. */
export function workflowNames(root = PROJECT_ROOT): string[] {
  return readdirSync(join(root, STATE_MACHINES_DIR))
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => file.slice(0, -'.asl.json'.length))
    .sort();
}

export function generatedDocs(root = PROJECT_ROOT): GeneratedDoc[] {
  const names = workflowNames(root);
  return [
    sectionDoc(root, join('docs', 'operations.md'), ALARM_REFERENCE_SECTION, alarmReferenceTable()),
    ...names.map((name) => workflowDoc(root, name)),
    sectionDoc(root, join(WORKFLOW_DOCS_DIR, 'README.md'), WORKFLOW_INDEX_SECTION, workflowIndex(names), '# Workflows'),
  ];
}

/** Writes every document whose generated part changed; returns their paths. */
export function writeGeneratedDocs(root = PROJECT_ROOT): string[] {
  const changed = generatedDocs(root).filter((doc) => doc.current !== doc.expected);
  for (const doc of changed) {
    mkdirSync(dirname(join(root, doc.path)), { recursive: true });
    writeFileSync(join(root, doc.path), doc.expected);
  }
  return changed.map((doc) => doc.path);
}

function workflowDoc(root: string, name: string): GeneratedDoc {
  const definition = JSON.parse(
    readFileSync(join(root, STATE_MACHINES_DIR, `${name}.asl.json`), 'utf8'),
  ) as AslMachineLike;
  const contractFile = join(STATE_MACHINES_DIR, `${name}.contract.json`);
  if (!existsSync(join(root, contractFile))) {
    throw new MissingContractError(
      `${contractFile} is missing: every workflow documents its input, output and errors there ` +
        `(copy state-machines/inventory-refresh.contract.json and describe ${name}), then run npm run docs.`,
    );
  }
  const contract = JSON.parse(readFileSync(join(root, contractFile), 'utf8')) as WorkflowContract;
  const intro = `# ${name}\n\nWhat the workflow is for and how to run it (hand-written; the sections below are generated).\n`;
  return sectionDoc(
    root,
    join(WORKFLOW_DOCS_DIR, `${name}.md`),
    WORKFLOW_DOC_SECTION,
    workflowDocSection(name, definition, contract),
    intro,
  );
}

function sectionDoc(root: string, path: string, section: string, content: string, newDocIntro = ''): GeneratedDoc {
  const file = join(root, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  return { path, current, expected: replaceGeneratedSection(current ?? newDocIntro, section, content, path) };
}

function workflowIndex(names: readonly string[]): string {
  return [
    'Every state machine, with its graph, input and output contract, the errors it can end with and its Retry',
    'table, generated from `state-machines/<name>.asl.json` and `<name>.contract.json`:',
    '',
    ...names.map((name) => `- [${name}](${name}.md)`),
  ].join('\n');
}
