/**
 * The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap: `$`, dot names (with dashes,
 * underscores, slashes), bracketed names and array indices, and `*` wildcards.
 */
import { InvalidInputTransformerError } from './errors';

export type JsonPathSegment =
  | { readonly kind: 'key'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

export interface CompiledJsonPath {
  readonly text: string;
  readonly segments: readonly JsonPathSegment[];
}

const FIX = 'Use a path such as $.detail.state, $.detail["instance-id"], $.resources[0] or $.detail.items[*].id';

/** Parses `text`; `where` names the option it came from, for the error message. */
export function compileJsonPath(text: unknown, where: string): CompiledJsonPath {
  if (typeof text !== 'string' || !text.startsWith('$')) {
    throw new InvalidInputTransformerError(
      where,
      `JSONPath must be a string starting with "$", got ${JSON.stringify(text)}`,
      FIX,
    );
  }
  const segments: JsonPathSegment[] = [];
  let index = 1;
  const fail = (problem: string): never => {
    throw new InvalidInputTransformerError(where, `JSONPath "${text}" ${problem} at position ${index}`, FIX);
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '.') {
      const name = /^(\*|[^.[\]]+)/.exec(text.slice(index + 1))?.[0];
      if (name === undefined) fail('has an empty name after "."');
      segments.push(name === '*' ? { kind: 'wildcard' } : { kind: 'key', name: name as string });
      index += 1 + (name as string).length;
    } else if (char === '[') {
      const rest = text.slice(index);
      const match = /^\[(?:(\d+)|(\*)|'([^']*)'|"([^"]*)")\]/.exec(rest);
      if (match === null) fail('has an unsupported bracket expression');
      const [whole, digits, star, single, double] = match as RegExpExecArray;
      if (digits !== undefined) segments.push({ kind: 'index', index: Number(digits) });
      else if (star !== undefined) segments.push({ kind: 'wildcard' });
      else segments.push({ kind: 'key', name: single ?? double });
      index += whole.length;
    } else {
      fail(`has an unexpected "${char}"`);
    }
  }
  return { text, segments };
}

/**
 * The value at `path` in `root`, or undefined when the path does not exist. A path with a wildcard yields the
 * array of everything it reaches (undefined when that is nothing).
 */
export function evaluateJsonPath(path: CompiledJsonPath, root: unknown): unknown {
  let current: unknown[] = [root];
  const hasWildcard = path.segments.some((segment) => segment.kind === 'wildcard');
  for (const segment of path.segments) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment.kind === 'wildcard') {
        if (Array.isArray(value)) next.push(...value);
        else if (typeof value === 'object' && value !== null) next.push(...Object.values(value));
      } else if (segment.kind === 'index') {
        if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
      } else if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.hasOwn(value, segment.name)
      ) {
        next.push((value as Record<string, unknown>)[segment.name]);
      }
    }
    current = next;
  }
  if (hasWildcard) return current.length === 0 ? undefined : current;
  return current[0];
}
