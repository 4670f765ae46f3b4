/**
 * EventBridge event patterns: validation (what PutRule would reject) and content filtering (which events a
 * rule matches), following the EventBridge user guide and the open-source matcher behind it (aws/event-ruler).
 */
import { BlockList, isIP } from 'node:net';
import { InvalidEventPatternError } from './errors';

export type ExactValue = string | number | boolean | null;

export type NumericOperator = '<' | '<=' | '=' | '>=' | '>';

export interface NumericCondition {
  readonly operator: NumericOperator;
  readonly value: number;
}

/** One element of a leaf array in a pattern; a leaf matches when any of its matchers does. */
export type ValueMatcher =
  | { readonly kind: 'exact'; readonly value: ExactValue }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly value: string; readonly regex: RegExp }
  | { readonly kind: 'anything-but'; readonly excluded: readonly ValueMatcher[] }
  | { readonly kind: 'numeric'; readonly conditions: readonly NumericCondition[] }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly value: string; readonly version: 4 | 6; readonly range: BlockList };

export type PatternField =
  | { readonly key: string; readonly kind: 'nested'; readonly pattern: EventPattern }
  | { readonly key: string; readonly kind: 'leaf'; readonly matchers: readonly ValueMatcher[] };

/** A validated pattern: every field must match (AND); `or`, from `$or`, needs one alternative to match too. */
export interface EventPattern {
  readonly fields: readonly PatternField[];
  readonly or?: readonly EventPattern[];
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'];
const OPERATOR_HINT = `Use one of: ${OPERATORS.join(', ')}, or a plain string/number/boolean/null for an exact match`;
const NUMERIC_OPERATORS: readonly string[] = ['<', '<=', '=', '>=', '>'];

/**
 * Validates an event pattern (an object, or the JSON text PutRule takes) and compiles it for matching.
 * `{}` is accepted here and matches every event, as the matcher does; `LocalEventBus.addRule` rejects it as
 * PutRule does.
 */
export function parseEventPattern(pattern: unknown): EventPattern {
  let value = pattern;
  if (typeof pattern === 'string') {
    try {
      value = JSON.parse(pattern);
    } catch (error) {
      throw new InvalidEventPatternError(
        '',
        `not valid JSON (${(error as Error).message})`,
        'Pass an object or its JSON text, e.g. {"source":["rds-ops.app"]}',
        { cause: error },
      );
    }
  }
  if (!isPlainObject(value)) {
    throw new InvalidEventPatternError(
      '',
      `must be a JSON object, got ${describe(value)}`,
      'Write the pattern as an object whose leaves are arrays, e.g. {"detail-type":["Restore Requested"]}',
    );
  }
  return parseObject(value, '');
}

/** True when `event` matches `pattern` under EventBridge content filtering. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchNode(pattern, event);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

function parseObject(object: Record<string, unknown>, path: string): EventPattern {
  const fields: PatternField[] = [];
  let or: EventPattern[] | undefined;
  for (const [key, value] of Object.entries(object)) {
    const fieldPath = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      or = parseOr(value, fieldPath);
    } else if (Array.isArray(value)) {
      if (value.length === 0) {
        throw new InvalidEventPatternError(
          fieldPath,
          'empty array, which can match nothing',
          'List at least one value or operator, or remove the field',
        );
      }
      fields.push({ key, kind: 'leaf', matchers: value.map((element) => parseMatcher(element, fieldPath)) });
    } else if (isPlainObject(value)) {
      const nested = parseObject(value, fieldPath);
      if (nested.fields.length === 0 && nested.or === undefined) {
        throw new InvalidEventPatternError(
          fieldPath,
          'empty object',
          'Give the nested object at least one field with an array of values, or remove it',
        );
      }
      fields.push({ key, kind: 'nested', pattern: nested });
    } else {
      throw new InvalidEventPatternError(
        fieldPath,
        `expected an array of values or a nested object, got ${describe(value)}`,
        `Leaves must be arrays: write "${key}": [${JSON.stringify(value) ?? 'null'}]`,
      );
    }
  }
  return or === undefined ? { fields } : { fields, or };
}

function parseOr(value: unknown, path: string): EventPattern[] {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
    throw new InvalidEventPatternError(
      path,
      `$or must be an array of at least two objects, got ${describe(value)}`,
      'Write "$or": [{ "fieldA": ["x"] }, { "fieldB": ["y"] }]',
    );
  }
  return value.map((alternative, index) => {
    const parsed = parseObject(alternative as Record<string, unknown>, `${path}[${index}]`);
    if (parsed.fields.length === 0 && parsed.or === undefined) {
      throw new InvalidEventPatternError(
        `${path}[${index}]`,
        'empty alternative, which would match every event',
        'Give every $or alternative at least one field',
      );
    }
    return parsed;
  });
}

function parseMatcher(element: unknown, path: string): ValueMatcher {
  if (element === null || typeof element === 'string' || typeof element === 'boolean') {
    return { kind: 'exact', value: element };
  }
  if (typeof element === 'number') {
    return { kind: 'exact', value: finiteNumber(element, path) };
  }
  if (Array.isArray(element)) {
    throw new InvalidEventPatternError(
      path,
      'nested array inside a value list',
      'List the values directly: "field": ["a", "b"]',
    );
  }
  if (!isPlainObject(element)) {
    throw new InvalidEventPatternError(path, `unsupported value ${describe(element)}`, OPERATOR_HINT);
  }
  const keys = Object.keys(element);
  if (keys.length !== 1) {
    throw new InvalidEventPatternError(
      path,
      keys.length === 0
        ? 'empty operator object {}'
        : `an operator object must have exactly one key, got ${keys.map((key) => `"${key}"`).join(', ')}`,
      'Put each operator in its own array element, e.g. [{"prefix":"a"}, {"suffix":"b"}]',
    );
  }
  const operator = keys[0];
  const operand = element[operator];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return parsePrefixOrSuffix(operator, operand, path);
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', value: requireString(operand, path, operator) };
    case 'wildcard':
      return parseWildcard(operand, path);
    case 'anything-but':
      return { kind: 'anything-but', excluded: parseAnythingBut(operand, path) };
    case 'numeric':
      return { kind: 'numeric', conditions: parseNumeric(operand, path) };
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidEventPatternError(
          path,
          `exists takes true or false, got ${describe(operand)}`,
          'Write [{"exists": true}] or [{"exists": false}]',
        );
      }
      return { kind: 'exists', value: operand };
    case 'cidr':
      return parseCidr(operand, path);
    default:
      throw new InvalidEventPatternError(
        path,
        `unknown operator "${operator}"`,
        operator === '$or' ? '$or belongs at object level: {"$or": [{...}, {...}]}' : OPERATOR_HINT,
      );
  }
}

function parsePrefixOrSuffix(kind: 'prefix' | 'suffix', operand: unknown, path: string): ValueMatcher {
  if (typeof operand === 'string') return { kind, value: operand, ignoreCase: false };
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    return {
      kind,
      value: requireString(operand['equals-ignore-case'], path, `${kind}.equals-ignore-case`),
      ignoreCase: true,
    };
  }
  throw new InvalidEventPatternError(
    path,
    `${kind} takes a string or {"equals-ignore-case": string}, got ${describe(operand)}`,
    `Write [{"${kind}": "abc"}] or [{"${kind}": {"equals-ignore-case": "abc"}}]`,
  );
}

function parseWildcard(operand: unknown, path: string, operator = 'wildcard'): ValueMatcher {
  const value = requireString(operand, path, operator);
  let source = '';
  let previousWasStar = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '\\') {
      const next = value[index + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(
          path,
          `${operator} "${value}" has a backslash at position ${index} that escapes neither * nor \\`,
          'Write \\* for a literal asterisk and \\\\ for a literal backslash',
        );
      }
      source += escapeRegExp(next);
      index++;
      previousWasStar = false;
    } else if (char === '*') {
      if (previousWasStar) {
        throw new InvalidEventPatternError(
          path,
          `${operator} "${value}" has consecutive wildcard characters`,
          'Use a single * (it already matches any number of characters)',
        );
      }
      source += '.*';
      previousWasStar = true;
    } else {
      source += escapeRegExp(char);
      previousWasStar = false;
    }
  }
  return { kind: 'wildcard', value, regex: new RegExp(`^${source}$`, 's') };
}

function parseAnythingBut(operand: unknown, path: string): ValueMatcher[] {
  if (typeof operand === 'string') return [{ kind: 'exact', value: operand }];
  if (typeof operand === 'number') return [{ kind: 'exact', value: finiteNumber(operand, path) }];
  if (Array.isArray(operand)) {
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidEventPatternError(
        path,
        `anything-but list must be non-empty and hold only strings or only numbers, got ${describe(operand)}`,
        'Write [{"anything-but": ["stopped", "failed"]}] or [{"anything-but": [100, 200]}]',
      );
    }
    return operand.map((value: string | number) => ({ kind: 'exact', value }));
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [operator] = Object.keys(operand);
    const inner = operand[operator];
    const innerPath = path;
    switch (operator) {
      case 'prefix':
      case 'suffix':
        return [
          { kind: operator, value: requireString(inner, innerPath, `anything-but.${operator}`), ignoreCase: false },
        ];
      case 'equals-ignore-case':
        return stringOrStringList(inner, innerPath, 'anything-but.equals-ignore-case').map((value) => ({
          kind: 'equals-ignore-case',
          value,
        }));
      case 'wildcard':
        return stringOrStringList(inner, innerPath, 'anything-but.wildcard').map((value) =>
          parseWildcard(value, innerPath, 'anything-but.wildcard'),
        );
      default:
        throw new InvalidEventPatternError(
          path,
          `unknown anything-but operator "${operator}"`,
          'Inside anything-but use prefix, suffix, equals-ignore-case or wildcard',
        );
    }
  }
  throw new InvalidEventPatternError(
    path,
    `anything-but takes a string, a number, a list of either, or one of {prefix|suffix|equals-ignore-case|wildcard}, got ${describe(operand)}`,
    'Write e.g. [{"anything-but": "initializing"}] or [{"anything-but": {"prefix": "aws."}}]',
  );
}

function parseNumeric(operand: unknown, path: string): NumericCondition[] {
  const fix = 'Write operator/number pairs: [{"numeric": [">", 0, "<=", 5]}] or [{"numeric": ["=", 3.018e2]}]';
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidEventPatternError(
      path,
      `numeric takes one or two operator/number pairs, got ${describe(operand)}`,
      fix,
    );
  }
  const conditions: NumericCondition[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator = operand[index];
    const value = operand[index + 1];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.includes(operator)) {
      throw new InvalidEventPatternError(
        path,
        `numeric operator ${describe(operator)} is not one of ${NUMERIC_OPERATORS.join(' ')}`,
        fix,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidEventPatternError(path, `numeric "${operator}" needs a number, got ${describe(value)}`, fix);
    }
    conditions.push({ operator: operator as NumericOperator, value });
  }
  const lowers = conditions.filter((c) => c.operator === '>' || c.operator === '>=');
  const uppers = conditions.filter((c) => c.operator === '<' || c.operator === '<=');
  if (conditions.some((c) => c.operator === '=') && conditions.length > 1) {
    throw new InvalidEventPatternError(path, 'numeric "=" cannot be combined with another condition', fix);
  }
  if (lowers.length > 1 || uppers.length > 1) {
    throw new InvalidEventPatternError(
      path,
      'numeric has two lower bounds or two upper bounds',
      'Give at most one of > / >= and one of < / <=',
    );
  }
  if (lowers.length === 1 && uppers.length === 1 && !(lowers[0].value < uppers[0].value)) {
    throw new InvalidEventPatternError(
      path,
      `numeric range ${lowers[0].operator} ${lowers[0].value} and ${uppers[0].operator} ${uppers[0].value} is empty`,
      'Make the lower bound smaller than the upper bound',
    );
  }
  return conditions;
}

function parseCidr(operand: unknown, path: string): ValueMatcher {
  const value = requireString(operand, path, 'cidr');
  const [address, prefixText, extra] = value.split('/');
  const version = isIP(address) as 0 | 4 | 6;
  const maxPrefix = version === 6 ? 128 : 32;
  const prefixLength = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (
    version === 0 ||
    extra !== undefined ||
    (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
    !(prefixLength >= 0 && prefixLength <= maxPrefix)
  ) {
    throw new InvalidEventPatternError(
      path,
      `cidr "${value}" is not an IPv4 or IPv6 address with an optional /prefix length`,
      'Write e.g. [{"cidr": "10.0.0.0/24"}] or [{"cidr": "2001:db8::/32"}]',
    );
  }
  const range = new BlockList();
  range.addSubnet(address, prefixLength, version === 4 ? 'ipv4' : 'ipv6');
  return { kind: 'cidr', value, version, range };
}

function stringOrStringList(value: unknown, path: string, operator: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value;
  throw new InvalidEventPatternError(
    path,
    `${operator} takes a string or a non-empty list of strings, got ${describe(value)}`,
    `Write {"${operator.split('.').pop()}": "abc"} or a list of such strings`,
  );
}

function requireString(value: unknown, path: string, operator: string): string {
  if (typeof value !== 'string') {
    throw new InvalidEventPatternError(
      path,
      `${operator} takes a string, got ${describe(value)}`,
      `Write [{"${operator.split('.').pop()}": "text"}]`,
    );
  }
  return value;
}

function finiteNumber(value: number, path: string): number {
  if (!Number.isFinite(value)) {
    throw new InvalidEventPatternError(path, `${value} is not a JSON number`, 'Use a finite number');
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

/** Arrays in the event are "crushed": an object pattern matches an array when one element matches it whole. */
function matchNode(pattern: EventPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = value.flat(Number.POSITIVE_INFINITY);
    if (elements.length === 0) return matchObject(pattern, undefined);
    return elements.some((element) => matchObject(pattern, element));
  }
  return matchObject(pattern, value);
}

function matchObject(pattern: EventPattern, value: unknown): boolean {
  const record = isPlainObject(value) ? value : undefined;
  for (const field of pattern.fields) {
    const child = record !== undefined && Object.hasOwn(record, field.key) ? record[field.key] : undefined;
    const matched = field.kind === 'nested' ? matchNode(field.pattern, child) : matchLeaf(field.matchers, child);
    if (!matched) return false;
  }
  return pattern.or === undefined || pattern.or.some((alternative) => matchObject(alternative, value));
}

/** Leaf values at a path: scalars (null included), arrays flattened; objects are not leaves. */
function leavesOf(value: unknown): ExactValue[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  if (isPlainObject(value)) return [];
  return [value as ExactValue];
}

function matchLeaf(matchers: readonly ValueMatcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? leaves.length > 0 === matcher.value : leaves.some((leaf) => matchValue(matcher, leaf)),
  );
}

function matchValue(matcher: ValueMatcher, leaf: ExactValue): boolean {
  switch (matcher.kind) {
    case 'exact':
      return leaf === matcher.value;
    case 'prefix':
      return (
        typeof leaf === 'string' && fold(leaf, matcher.ignoreCase).startsWith(fold(matcher.value, matcher.ignoreCase))
      );
    case 'suffix':
      return (
        typeof leaf === 'string' && fold(leaf, matcher.ignoreCase).endsWith(fold(matcher.value, matcher.ignoreCase))
      );
    case 'equals-ignore-case':
      return typeof leaf === 'string' && fold(leaf, true) === fold(matcher.value, true);
    case 'wildcard':
      return typeof leaf === 'string' && matcher.regex.test(leaf);
    case 'anything-but':
      return !matcher.excluded.some((excluded) => matchValue(excluded, leaf));
    case 'numeric':
      return typeof leaf === 'number' && matcher.conditions.every((condition) => compare(leaf, condition));
    case 'cidr':
      return (
        typeof leaf === 'string' &&
        isIP(leaf) === matcher.version &&
        matcher.range.check(leaf, matcher.version === 4 ? 'ipv4' : 'ipv6')
      );
    case 'exists':
      return true;
  }
}

function compare(value: number, { operator, value: bound }: NumericCondition): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function fold(text: string, ignoreCase: boolean): string {
  return ignoreCase ? text.toLowerCase() : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** @internal */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`;
  if (value === null) return 'null';
  return `${typeof value} ${truncate(JSON.stringify(value) ?? String(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
