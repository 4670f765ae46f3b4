/**
 * One JSON line per request in the API's access log. REST API access logs can hold `$context` variables only,
 * never a request header: a caller's `x-correlation-id` is tied to `requestId` by the handler's log line
 * (`apiRequestId`), and a caller that sends a UUID as `x-amzn-RequestId` sees it as `requestId` here.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  responseLength: '$context.responseLength',
  caller: '$context.identity.userArn',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  xrayTraceId: '$context.xrayTraceId',
} as const;

/**
 * Every value quoted, as AWS's own JSON example does: a variable without a value logs `-`, which would break
 * an unquoted number.
 */
export function accessLogFormat(): string {
  return JSON.stringify(ACCESS_LOG_FIELDS);
}
