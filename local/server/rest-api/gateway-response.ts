/**
 * API Gateway's own answers, rendered from the API's gateway responses in the template as API Gateway renders
 * them: the status (the response's own, else the type's default), and the body template with plain `$context`
 * substitution (no Velocity). A type the template does not customize falls back to DEFAULT_4XX / DEFAULT_5XX, and
 * without those to API Gateway's default body `{"message": "..."}`.
 */
import type { GatewayResponseModel } from '../../template/rest-api-model';

export interface GatewayError {
  /** The response type, `THROTTLED`. */
  readonly type: string;
  /** API Gateway's message for it, `Too Many Requests`. */
  readonly message: string;
  /** Overrides the type's default status (a Lambda failure is a 502 DEFAULT_5XX). */
  readonly status?: number;
}

export interface GatewayContext {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly stage: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly resourcePath?: string;
  readonly accountId: string;
  readonly apiId: string;
}

/** The statuses API Gateway gives each response type it emits locally (docs: "Gateway response types"). */
export const DEFAULT_STATUS: Readonly<Record<string, number>> = {
  MISSING_AUTHENTICATION_TOKEN: 403,
  INVALID_API_KEY: 403,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  REQUEST_TOO_LARGE: 413,
  THROTTLED: 429,
  API_CONFIGURATION_ERROR: 500,
  DEFAULT_5XX: 502,
};

/** The `$context` variables a gateway response template may use locally; the template test keeps the app within them. */
export const SUPPORTED_CONTEXT_VARIABLES = [
  'requestId',
  'extendedRequestId',
  'stage',
  'httpMethod',
  'path',
  'resourcePath',
  'accountId',
  'apiId',
  'error.message',
  'error.messageString',
  'error.responseType',
] as const;

export interface RenderedResponse {
  readonly statusCode: number;
  readonly body: string;
}

export function renderGatewayResponse(
  error: GatewayError,
  responses: Readonly<Record<string, GatewayResponseModel>>,
  context: GatewayContext,
): RenderedResponse {
  const defaultStatus = error.status ?? DEFAULT_STATUS[error.type] ?? 400;
  const fallback = defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const response = responses[error.type] ?? responses[fallback];
  const statusCode = Number(response?.statusCode ?? defaultStatus);
  if (!response?.template) return { statusCode, body: JSON.stringify({ message: error.message }) };
  const values: Record<string, string> = {
    requestId: context.requestId,
    extendedRequestId: context.extendedRequestId,
    stage: context.stage,
    httpMethod: context.httpMethod,
    path: context.path,
    resourcePath: context.resourcePath ?? '',
    accountId: context.accountId,
    apiId: context.apiId,
    'error.message': error.message,
    'error.messageString': JSON.stringify(error.message),
    'error.responseType': error.type,
  };
  // Longest names first: `$context.error.messageString` before `$context.error.message`.
  const body = response.template.replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => {
    const known = Object.keys(values)
      .filter((key) => name.startsWith(key))
      .sort((a, b) => b.length - a.length)[0];
    return known === undefined ? '' : `${values[known]}${name.slice(known.length)}`;
  });
  return { statusCode, body };
}
