/**
 * What a rule target receives: the whole event, a constant `Input`, the part of the event `InputPath`
 * selects, or an `InputTransformer` template filled from the event, with EventBridge's quoting rules.
 */
import { InvalidInputTransformerError } from './errors';
import { type CompiledJsonPath, compileJsonPath, evaluateJsonPath } from './json-path';
import type { EventBridgeEvent, RuleTargetInput } from './types';

export interface RuleReference {
  readonly name: string;
  readonly arn: string;
}

export interface TransformOptions {
  /** ISO 8601 time the bus received the event, for `<aws.events.event.ingestion-time>`. @default event.time */
  readonly ingestionTime?: string;
}

export const RESERVED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

/** Reserved variables whose JSON is inserted unescaped, so AWS allows them only as a JSON field value. */
const JSON_ONLY_VARIABLES: readonly string[] = ['aws.events.event', 'aws.events.event.json'];
const VARIABLE_NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_VARIABLES = 100;

type TemplatePart = { readonly text: string } | { readonly variable: string; readonly inString: boolean };

interface CompiledTransformer {
  readonly paths: ReadonlyMap<string, CompiledJsonPath>;
  readonly parts: readonly TemplatePart[];
}

/** Throws InvalidInputTransformerError where PutTargets would reject the target's input options. */
export function validateRuleTargetInput(target: RuleTargetInput): void {
  compileTargetInput(target);
}

/** The input a target receives for `event` matched by `rule`. */
export function transformTargetInput(
  target: RuleTargetInput,
  event: EventBridgeEvent,
  rule: RuleReference,
  options: TransformOptions = {},
): unknown {
  const compiled = compileTargetInput(target);
  if (compiled.kind === 'event') return event;
  if (compiled.kind === 'constant') return compiled.value;
  if (compiled.kind === 'path') return evaluateJsonPath(compiled.path, event) ?? null;

  const values = new Map<string, unknown>();
  for (const [name, path] of compiled.transformer.paths) values.set(name, evaluateJsonPath(path, event));
  const { detail: _detail, ...envelope } = event;
  values.set('aws.events.rule-arn', rule.arn);
  values.set('aws.events.rule-name', rule.name);
  values.set('aws.events.event.ingestion-time', options.ingestionTime ?? event.time);
  values.set('aws.events.event', envelope);
  values.set('aws.events.event.json', event);

  const text = compiled.transformer.parts
    .map((part) => ('text' in part ? part.text : render(values.get(part.variable), part.inString)))
    .join('');
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON after substitution: the target receives the text itself.
    return text;
  }
}

/**
 * EventBridge does not escape inserted values. Inside a JSON string a value goes in raw (strings without quotes);
 * outside one a string gets quotes and anything else its JSON. A path that found nothing renders as null
 * outside a string and as nothing inside one.
 */
function render(value: unknown, inString: boolean): string {
  if (value === undefined) return inString ? '' : 'null';
  if (typeof value === 'string') return inString ? value : `"${value}"`;
  return JSON.stringify(value);
}

type CompiledInput =
  | { readonly kind: 'event' }
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'path'; readonly path: CompiledJsonPath }
  | { readonly kind: 'transformer'; readonly transformer: CompiledTransformer };

function compileTargetInput(target: RuleTargetInput): CompiledInput {
  const set = (['Input', 'InputPath', 'InputTransformer'] as const).filter((key) => target[key] !== undefined);
  if (set.length > 1) {
    throw new InvalidInputTransformerError(
      set.join(' + '),
      `${set.join(' and ')} are mutually exclusive`,
      'Set at most one of Input, InputPath and InputTransformer on a target',
    );
  }
  if (target.Input !== undefined) {
    if (typeof target.Input !== 'string') {
      throw new InvalidInputTransformerError('Input', 'must be JSON text', 'Pass JSON.stringify(value)');
    }
    try {
      return { kind: 'constant', value: JSON.parse(target.Input) };
    } catch (error) {
      throw new InvalidInputTransformerError(
        'Input',
        `is not valid JSON (${(error as Error).message})`,
        'Pass valid JSON text, e.g. JSON.stringify({ "action": "check" })',
        { cause: error },
      );
    }
  }
  if (target.InputPath !== undefined) return { kind: 'path', path: compileJsonPath(target.InputPath, 'InputPath') };
  if (target.InputTransformer !== undefined) {
    return { kind: 'transformer', transformer: compileTransformer(target.InputTransformer) };
  }
  return { kind: 'event' };
}

function compileTransformer(transformer: NonNullable<RuleTargetInput['InputTransformer']>): CompiledTransformer {
  const pathsMap = transformer.InputPathsMap ?? {};
  const entries = Object.entries(pathsMap);
  if (entries.length > MAX_VARIABLES) {
    throw new InvalidInputTransformerError(
      'InputTransformer.InputPathsMap',
      `defines ${entries.length} variables`,
      `Keep to at most ${MAX_VARIABLES} variables`,
    );
  }
  const paths = new Map<string, CompiledJsonPath>();
  for (const [name, path] of entries) {
    const where = `InputTransformer.InputPathsMap.${name}`;
    if (!VARIABLE_NAME.test(name)) {
      throw new InvalidInputTransformerError(
        where,
        `variable name "${name}" has characters other than letters, digits, "_", "-" and "."`,
        'Rename the variable',
      );
    }
    if (name.toLowerCase().startsWith('aws.')) {
      throw new InvalidInputTransformerError(
        where,
        `variable name "${name}" uses the reserved "aws." prefix`,
        `Rename it; the reserved variables (${RESERVED_VARIABLES.join(', ')}) need no InputPathsMap entry`,
      );
    }
    paths.set(name, compileJsonPath(path, where));
  }
  if (typeof transformer.InputTemplate !== 'string' || transformer.InputTemplate.length === 0) {
    throw new InvalidInputTransformerError(
      'InputTransformer.InputTemplate',
      'is missing or empty',
      'Give a template such as {"state": <state>} or "instance <instance> is in <state>"',
    );
  }
  const known = (name: string) => paths.has(name) || (RESERVED_VARIABLES as readonly string[]).includes(name);
  return { paths, parts: splitTemplate(transformer.InputTemplate, known) };
}

/** Splits the template into text and placeholders, noting whether each placeholder sits inside a JSON string. */
function splitTemplate(template: string, known: (name: string) => boolean): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let inString = false;
  for (let index = 0; index < template.length; index++) {
    const char = template[index];
    if (inString && char === '\\') {
      text += template.slice(index, index + 2);
      index++;
      continue;
    }
    if (char === '"') inString = !inString;
    if (char === '<') {
      const name = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(index))?.[1];
      if (name !== undefined && known(name)) {
        if (inString && JSON_ONLY_VARIABLES.includes(name)) {
          throw new InvalidInputTransformerError(
            'InputTransformer.InputTemplate',
            `<${name}> is used inside a JSON string, but its JSON is not escaped`,
            `Use it only as a field value: {"event": <${name}>}`,
          );
        }
        if (text !== '') parts.push({ text });
        text = '';
        parts.push({ variable: name, inString });
        index += name.length + 1;
        continue;
      }
    }
    text += char;
  }
  if (text !== '') parts.push({ text });
  return parts;
}
