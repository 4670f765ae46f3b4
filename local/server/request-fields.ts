/** Reading request members with AWS's validation answers: a missing required member, a wrong JSON type. */

import type { JsonBody } from './aws-json';
import { commonErrors } from './errors';

export function requiredString(body: JsonBody, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw commonErrors.missingField(field);
  if (typeof value !== 'string') throw commonErrors.serialization(`${field} must be a string.`);
  return value;
}

export function optionalString(body: JsonBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw commonErrors.serialization(`${field} must be a string.`);
  return value;
}

export function optionalBoolean(body: JsonBody, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw commonErrors.serialization(`${field} must be a boolean.`);
  return value;
}

/** A page size: 0 or absent means the default, as AWS reads it. */
export function pageSize(body: JsonBody, field: string, defaultSize: number, max: number): number {
  const value = body[field];
  if (value === undefined || value === null) return defaultSize;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw commonErrors.serialization(`${field} must be a whole number.`);
  }
  if (value < 0 || value > max) {
    throw commonErrors.validation(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ` +
        `Member must have value ${value < 0 ? 'greater than or equal to 0' : `less than or equal to ${max}`}`,
    );
  }
  return value === 0 ? defaultSize : value;
}
