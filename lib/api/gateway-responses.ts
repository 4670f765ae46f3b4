/**
 * API Gateway's own answers (unsigned request, throttled, missing parameter, ...) in the API's error shape
 * `{ "error": { "code", "message", "correlationId" } }`, so a caller parses every refusal the same way. The body
 * templates use only plain `$context` substitution (API Gateway does not run Velocity on gateway responses), which
 * the local service renders the same way. The correlation id of these answers is API Gateway's request id (also
 * the `x-amzn-RequestId` header and the access log's `requestId`): the request never reached a handler that could
 * read `x-correlation-id`.
 */

export interface GatewayResponseSpec {
  /** The gateway response type (`THROTTLED`), as API Gateway names it. */
  readonly type: string;
  /** @default API Gateway's status for the type */
  readonly statusCode?: string;
  /** A catalog code, or the response type itself for the fallbacks. */
  readonly code: string;
  /** What the message says; `$context.error.messageString` is API Gateway's own (quoted) message. */
  readonly message?: string;
}

export const GATEWAY_RESPONSES: readonly GatewayResponseSpec[] = [
  // Unsigned, badly signed or expired: no usable identity (API Gateway says 403; the catalog says 401).
  { type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '401', code: 'UNAUTHORIZED' },
  { type: 'INVALID_SIGNATURE', statusCode: '401', code: 'UNAUTHORIZED' },
  { type: 'EXPIRED_TOKEN', statusCode: '401', code: 'UNAUTHORIZED' },
  // Signed, but IAM or the resource policy says no; an API key that is missing or not in the usage plan.
  { type: 'ACCESS_DENIED', code: 'FORBIDDEN' },
  { type: 'INVALID_API_KEY', code: 'FORBIDDEN' },
  { type: 'BAD_REQUEST_PARAMETERS', code: 'INVALID_INPUT' },
  { type: 'BAD_REQUEST_BODY', code: 'INVALID_INPUT' },
  { type: 'REQUEST_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE' },
  { type: 'RESOURCE_NOT_FOUND', code: 'NOT_FOUND' },
  { type: 'THROTTLED', code: 'THROTTLED' },
  { type: 'QUOTA_EXCEEDED', code: 'THROTTLED' },
  { type: 'INTEGRATION_TIMEOUT', code: 'DEPENDENCY_TIMEOUT' },
  { type: 'DEFAULT_4XX', code: '$context.error.responseType' },
  { type: 'DEFAULT_5XX', code: '$context.error.responseType' },
];

/** The body template of a gateway response: JSON once API Gateway has substituted the variables. */
export function gatewayResponseTemplate(spec: GatewayResponseSpec): string {
  const message = spec.message ?? '$context.error.messageString';
  return `{"error":{"code":"${spec.code}","message":${message},"correlationId":"$context.requestId"}}`;
}
