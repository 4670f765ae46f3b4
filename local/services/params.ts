/** Shared parameter checks for the stand-ins: the keys an aws-sdk integration accepts, in its casing. */

import { type ServiceError, UnknownParameterError } from './errors';
import { sdkMemberName } from './integration-error-names';

export type Params = Readonly<Record<string, unknown>>;

/**
 * Returns `params` as an object after checking every key is one the action accepts. A key that only differs
 * in casing (`DBInstanceIdentifier` for `DbInstanceIdentifier`) gets a hint.
 */
export function checkParams(action: string, params: unknown, allowed: readonly string[]): Params {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new UnknownParameterError(`${action} takes an object of parameters, got ${JSON.stringify(params)}.`);
  }
  for (const key of Object.keys(params)) {
    if (allowed.includes(key)) continue;
    const spelled = sdkMemberName(key);
    const hint = allowed.includes(spelled)
      ? ` aws-sdk integrations spell it '${spelled}' (AWS SDK for Java v2 casing).`
      : ` It accepts: ${allowed.join(', ')}.`;
    throw new UnknownParameterError(
      `${action} does not take '${key}'.${hint} On AWS, Step Functions would reject the state machine definition.`,
    );
  }
  return params as Params;
}

/** A required string parameter, or the error the service answers when it is missing. */
export function requireString(
  params: Params,
  key: string,
  fail: (code: string, message: string) => ServiceError,
): string {
  const value = params[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw fail(
      'ValidationError',
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
