/**
 * Gives in-process handlers the environment Lambda would: their variables, a region, and the local
 * DynamoDB endpoint. Handlers share one process, so two functions may not give one variable different
 * values; that is refused at start-up instead of silently misrouting a handler.
 */
import type { LocalFunctionSpec } from '../stepfunctions/bindings/lambda-function';
import type { LocalEnvironment } from './cfn-template';
import { TemplateReadError } from './errors';

export class ConflictingFunctionEnvironmentError extends TemplateReadError {
  constructor(variable: string, first: string, second: string) {
    super(
      `Functions ${first} and ${second} set ${variable} to different values; in-process handlers share one ` +
        'environment. Give the variable a function-specific name (see docs/local-runtime.md, "Divergences").',
    );
    this.name = 'ConflictingFunctionEnvironmentError';
  }
}

export function mergedFunctionEnvironment(functions: readonly LocalFunctionSpec[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const setBy: Record<string, string> = {};
  for (const fn of functions) {
    for (const [variable, value] of Object.entries(fn.environment)) {
      if (variable in merged && merged[variable] !== value) {
        throw new ConflictingFunctionEnvironmentError(variable, setBy[variable], fn.functionName);
      }
      merged[variable] = value;
      setBy[variable] = fn.functionName;
    }
  }
  return merged;
}

export function applyFunctionEnvironment(
  functions: readonly LocalFunctionSpec[],
  local: { readonly dynamoDbEndpoint: string; readonly env: LocalEnvironment },
): void {
  Object.assign(process.env, mergedFunctionEnvironment(functions), {
    AWS_REGION: local.env.region,
    AWS_DEFAULT_REGION: local.env.region,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamoDbEndpoint,
  });
}
