/**
 * Building blocks of the config schema (zod) and the one place a zod issue becomes an `InvalidConfigError`.
 * Every block's error message is the "allowed" part of that error (`an integer from 1 to 35`), so a bad value
 * reads: key, allowed range, value.
 */
import { type ZodType, z } from 'zod';
import { InvalidConfigError } from './errors';
import { isInvalidScheduleExpressionError } from './schedule/errors';
import { parseScheduleExpression } from './schedule/schedule-expression';

/** `-c` delivers strings: accept "7" where 7 is meant. */
function fromNumberText(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

/** Objects may arrive as JSON text, from `-c key='{"a":1}'`. */
export function decodeJsonObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** An object with exactly the fields of `shape`: a typo is an error, not a setting silently ignored. */
export function strictFields<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = `one of the fields ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return allowed;
      return typeof issue.input === 'string' ? 'a JSON object' : 'an object';
    },
  });
}

/** `strictFields`, also given as JSON text. */
export function fields<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.preprocess(decodeJsonObject, strictFields(shape));
}

/** A map with free keys, given as an object or as JSON text; `withDefaults` adds the entries that always exist. */
export function recordOf<K extends z.core.$ZodRecordKey, V extends ZodType>(
  key: K,
  value: V,
  withDefaults: (given: Record<string, unknown>) => Record<string, unknown> = (given) => given,
) {
  return z.preprocess(
    (raw) => {
      const decoded = decodeJsonObject(raw);
      const isMap = decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded);
      return isMap ? withDefaults(decoded as Record<string, unknown>) : decoded;
    },
    z.record(key, value, {
      error: (issue) => (typeof issue.input === 'string' ? 'a JSON object' : 'an object'),
    }),
  );
}

export function integerIn(min: number, max: number) {
  const allowed = `an integer from ${min} to ${max}`;
  return z.preprocess(fromNumberText, z.int({ error: allowed }).min(min, allowed).max(max, allowed));
}

export function numberIn(min: number, max: number) {
  const allowed = `a number from ${min} to ${max}`;
  return z.preprocess(fromNumberText, z.number({ error: allowed }).min(min, allowed).max(max, allowed));
}

/** `-c` delivers strings: "true" and "false" are the booleans they spell. */
export function booleanValue() {
  return z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : value),
    z.boolean({ error: 'true or false' }),
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.literal(values, { error: `one of ${values.map((value) => JSON.stringify(value)).join(', ')}` });
}

export function oneOfNumbers<const T extends readonly [number, ...number[]]>(values: T) {
  return z.preprocess(fromNumberText, z.literal(values, { error: `one of ${values.join(', ')}` }));
}

/** An EventBridge rule schedule, checked by the parser the local bus runs: what PutRule would reject fails synth. */
export const scheduleExpression = z
  .string({ error: 'an EventBridge schedule such as rate(15 minutes)' })
  .check((ctx) => {
    try {
      parseScheduleExpression(ctx.value);
    } catch (error) {
      if (!isInvalidScheduleExpressionError(error)) throw error;
      ctx.issues.push({
        code: 'custom',
        message: `an EventBridge schedule expression (${error.problem}; ${lowerFirst(error.fix)})`,
        input: ctx.value,
      });
    }
  });

/**
 * Refines an object so `high` is not below `low`; the issue sits on `high` and names the range it could take.
 * (`read.max` below `read.min`, `maxOpenTimeoutSeconds` below `openTimeoutSeconds`.)
 */
export function notBelow<T>(low: keyof T & string, high: keyof T & string, ceiling: number) {
  return (value: T, context: z.RefinementCtx) => {
    const floor = value[low] as number;
    if ((value[high] as number) < floor) {
      context.addIssue({ code: 'custom', path: [high], message: `an integer from ${floor} to ${ceiling}` });
    }
  };
}

/** Parses `raw` with `schema`; one problem is thrown as an InvalidConfigError naming key, range and value. */
export function parseWithSchema<T extends ZodType>(schema: T, raw: Readonly<Record<string, unknown>>): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  // A misspelt field explains the field reported missing beside it: name the typo first.
  const { issues } = result.error;
  const first = issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0]!;
  throw toInvalidConfigError(first, raw, result.error);
}

function toInvalidConfigError(
  issue: z.core.$ZodIssue,
  raw: Readonly<Record<string, unknown>>,
  cause: Error,
): InvalidConfigError {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0]!;
    return new InvalidConfigError([...path, field].join('.'), issue.message, field, { cause });
  }
  if (issue.code === 'invalid_key') {
    // A record key (a circuit name) is itself the bad value.
    const key = path[path.length - 1];
    return new InvalidConfigError(path.join('.'), issue.issues[0]?.message ?? issue.message, key, { cause });
  }
  return new InvalidConfigError(path.join('.'), issue.message, valueAt(raw, path), { cause });
}

/** The value as the user wrote it (so `"0"` is reported as `"0"`), looking through JSON text on the way. */
function valueAt(raw: unknown, path: readonly string[]): unknown {
  let value: unknown = raw;
  for (const segment of path) {
    const container = decodeJsonObject(value);
    if (container === null || typeof container !== 'object') return undefined;
    value = (container as Record<string, unknown>)[segment];
  }
  return value;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
