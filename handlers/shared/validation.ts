/**
 * Input validation with zod for every handler: a schema failure becomes an InvalidInputError whose message
 * names each offending field (`body.reason: ...; query.limit: ...`), never a stack trace.
 */
import type { z } from 'zod';
import { InvalidInputError } from './errors';

/** One line per problem: `<where>.<field path>: <zod message>`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], where?: string): string {
  return issues
    .map((issue) => {
      const field = [where, ...issue.path.map((segment) => String(segment))].filter(Boolean).join('.');
      return `${field || 'input'}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Parses `value` with `schema`, or throws InvalidInputError naming every problem. `where` prefixes the field
 * names (`body`, `query`, `path`); `what` says what was being read (`reconcile-inventory input`).
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string, where?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInputError(`Invalid ${what}: ${describeIssues(result.error.issues, where)}.`, {
    cause: result.error,
  });
}
