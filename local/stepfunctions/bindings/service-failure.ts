/** Turns whatever a service call threw into the Error/Cause pair Step Functions would report. */
import { type IntegrationKind, integrationFailure } from '../../services/integration-error-names';
import { TaskFailedError } from '../errors';

interface AwsLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly statusCode?: number;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

export function asServiceTaskFailure(error: unknown, integration: IntegrationKind, service: string): Error {
  if (error instanceof TaskFailedError) return error;
  const failure = (error ?? {}) as AwsLikeError;
  const code = failure.code ?? failure.name ?? 'InternalFailure';
  if (isEngineOrInjectedName(code)) return error as Error;
  const { error: name, cause } = integrationFailure(
    {
      code,
      message: failure.message ?? String(error),
      statusCode: failure.statusCode ?? failure.$metadata?.httpStatusCode,
      requestId: failure.$metadata?.requestId,
    },
    integration,
    service,
  );
  return new TaskFailedError(name, cause);
}

/** Names that already are Step Functions names (`States.Timeout`, injected `Rds.RdsException`): keep them. */
function isEngineOrInjectedName(name: string): boolean {
  return name.includes('.');
}
