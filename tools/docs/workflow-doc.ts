/**
 * The generated part of `docs/workflows/<machine>.md`: the graph (Mermaid, from the ASL), the input and output
 * contract (from `state-machines/<machine>.contract.json`), every error the execution can end with, and the
 * Retry table. Hand-written prose lives outside the generated markers and survives regeneration.
 */
import { type AslMachineLike, buildWorkflowGraph, retryRows, terminalErrors } from '../../local/console/asl-graph';
import { mermaidFlowchart } from './mermaid';

/** A JSON Schema (draft 2020-12), the subset the docs render. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly examples?: readonly unknown[];
  readonly additionalProperties?: boolean | JsonSchema;
}

/** `state-machines/<machine>.contract.json`: what a caller sends, what it gets back, the errors it may see. */
export interface WorkflowContract {
  readonly description: string;
  readonly input: JsonSchema;
  readonly output: JsonSchema;
  /** Error names the execution can end with, and what each means for the caller. */
  readonly errors?: Readonly<Record<string, string>>;
}

export const WORKFLOW_DOC_SECTION = 'workflow';

export function workflowDocSection(machine: string, definition: AslMachineLike, contract: WorkflowContract): string {
  const graph = buildWorkflowGraph(definition);
  return [
    `Generated from [\`state-machines/${machine}.asl.json\`](../../state-machines/${machine}.asl.json) and`,
    `[\`${machine}.contract.json\`](../../state-machines/${machine}.contract.json).`,
    '',
    contract.description,
    '',
    '## Graph',
    '',
    'Solid edges: `Next`, Choice rules (with their conditions) and `Default`. Dotted edges: `Catch` (to its',
    'handler) and `Retry` (back to the state). Map and Parallel states are boxes around their own states.',
    '',
    '```mermaid',
    mermaidFlowchart(graph),
    '```',
    '',
    '## Input',
    '',
    ...schemaSection(contract.input),
    '## Output',
    '',
    ...schemaSection(contract.output),
    '## Errors it can end with',
    '',
    ...errorSection(definition, contract),
    '## Retries',
    '',
    ...retrySection(graph),
  ]
    .join('\n')
    .trimEnd();
}

function schemaSection(schema: JsonSchema): string[] {
  const rows = flattenProperties(schema, '', new Set(schema.required ?? []));
  const lines: string[] = [];
  if (schema.description) lines.push(schema.description, '');
  if (rows.length > 0) {
    lines.push('| field | type | required | description |', '| --- | --- | --- | --- |');
    for (const row of rows)
      lines.push(`| \`${row.path}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${cell(row.description)} |`);
    lines.push('');
  }
  const example = schema.examples?.[0];
  if (example !== undefined) lines.push('Example:', '', '```json', JSON.stringify(example, null, 2), '```', '');
  return lines;
}

interface PropertyRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

function flattenProperties(schema: JsonSchema, prefix: string, required: ReadonlySet<string>): PropertyRow[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const row = { path, type: typeOf(property), required: required.has(name), description: property.description ?? '' };
    const nested = property.properties
      ? flattenProperties(property, path, new Set(property.required ?? []))
      : property.items?.properties
        ? flattenProperties(property.items, `${path}[]`, new Set(property.items.required ?? []))
        : [];
    return [row, ...nested];
  });
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(', ');
  const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
  return type === 'array' && schema.items ? `array of ${typeOf(schema.items)}` : String(type);
}

function errorSection(definition: AslMachineLike, contract: WorkflowContract): string[] {
  const lines: string[] = [];
  const declared = Object.entries(contract.errors ?? {});
  if (declared.length > 0) {
    lines.push('| error | meaning |', '| --- | --- |');
    for (const [error, meaning] of declared) lines.push(`| \`${error}\` | ${cell(meaning)} |`);
    lines.push('');
  }
  lines.push(
    'Where failures end the execution, as the definition routes them (`*`: any error name of that state;',
    'Step Functions can also end any execution with `States.Runtime` or `States.DataLimitExceeded`):',
    '',
  );
  const derived = terminalErrors(definition);
  if (derived.length === 0)
    lines.push('- none: every failure is caught and the execution succeeds with it in its output.');
  for (const error of derived) lines.push(`- \`${error.error}\`: ${error.source}`);
  lines.push('');
  return lines;
}

function retrySection(graph: ReturnType<typeof buildWorkflowGraph>): string[] {
  const rows = retryRows(graph);
  if (rows.length === 0) return ['No state retries.'];
  return [
    '| state | errors | interval (s) | max attempts | backoff rate | max delay (s) | jitter |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      ({ state, retrier }) =>
        `| ${cell(state)} | ${retrier.ErrorEquals.map((error) => `\`${error}\``).join(', ')} | ` +
        `${retrier.IntervalSeconds ?? 1} | ${retrier.MaxAttempts ?? 3} | ${retrier.BackoffRate ?? 2} | ` +
        `${retrier.MaxDelaySeconds ?? '-'} | ${retrier.JitterStrategy ?? 'NONE'} |`,
    ),
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
