/**
 * The wrapper of every API Gateway handler: typed errors become their status code and a JSON body
 * `{ error: { type, message, correlationId } }`; anything else becomes a 500 with a generic message.
 * A stack trace or an internal message never reaches the caller; it goes to the log instead.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isHandlerError } from './errors';
import { logger } from './powertools';

export type HttpHandler = (
  event: APIGatewayProxyEvent,
  invocation: { readonly correlationId: string },
) => Promise<APIGatewayProxyResult>;

export interface HttpErrorBody {
  readonly error: { readonly type: string; readonly message: string; readonly correlationId: string };
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The caller's `x-correlation-id` header, else API Gateway's request id, else Lambda's. */
export function httpCorrelationId(event: APIGatewayProxyEvent, context?: Pick<Context, 'awsRequestId'>): string {
  const headers = event.headers ?? {};
  const header = Object.entries(headers).find(([key]) => key.toLowerCase() === 'x-correlation-id')?.[1];
  return header || event.requestContext?.requestId || context?.awsRequestId || 'uncorrelated';
}

/** Maps any thrown value to the response the caller sees. */
export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyResult {
  const body: HttpErrorBody = isHandlerError(error)
    ? { error: { type: error.name, message: error.message, correlationId } }
    : {
        error: {
          type: 'UnexpectedError',
          message: `An unexpected error occurred; quote correlation id ${correlationId} when reporting it.`,
          correlationId,
        },
      };
  return {
    statusCode: isHandlerError(error) ? error.statusCode : 500,
    headers: { ...JSON_HEADERS, 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
  };
}

export function withHttpErrorHandling(
  handler: HttpHandler,
): (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult> {
  return async (event, context) => {
    const correlationId = httpCorrelationId(event, context);
    logger.appendKeys({ correlationId });
    try {
      return await handler(event, { correlationId });
    } catch (error) {
      const response = errorResponse(error, correlationId);
      const log = response.statusCode >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger);
      log(`request failed with ${response.statusCode}`, { error: error as Error });
      return response;
    } finally {
      logger.removeKeys(['correlationId']);
    }
  };
}
