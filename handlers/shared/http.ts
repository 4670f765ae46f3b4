/**
 * The wrapper of every API Gateway (REST, proxy integration) handler. Typed errors become their catalog
 * status and `{ "error": { "code", "message", "correlationId" } }`; anything else becomes a 500 whose message
 * only asks to quote the correlation id. A stack trace or an internal message never reaches the caller; it
 * goes to the log (5xx at error, 4xx at warn) with the correlation id, which is echoed as `x-correlation-id`.
 * `apiHandler` adds input validation: path, query and JSON body parsed with zod, a body size limit, and
 * malformed JSON answered 400 InvalidInputError.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { findCatalogEntry } from './error-catalog';
import {
  asHandlerError,
  type HandlerError,
  InvalidInputError,
  isMethodNotAllowedError,
  PayloadTooLargeError,
} from './errors';
import {
  annotateTrace,
  emitCount,
  HANDLER_ERROR_METRIC,
  invocationLogger,
  type logger,
  type TraceAnnotations,
  tracer,
  withHandlerSubsegment,
} from './powertools';
import { parseWith } from './validation';

export interface HttpInvocation {
  /** The caller's `x-correlation-id`, else API Gateway's request id, else Lambda's. */
  readonly correlationId: string;
  /** This request's logger: every line carries `correlationId` and `operation`. */
  readonly logger: typeof logger;
  readonly annotate: (annotations: TraceAnnotations) => void;
}

export type HttpHandler = (event: APIGatewayProxyEvent, invocation: HttpInvocation) => Promise<APIGatewayProxyResult>;
export type LambdaHttpHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

export interface HttpErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly correlationId: string };
}

export const CORRELATION_HEADER = 'x-correlation-id';
const JSON_HEADERS = { 'content-type': 'application/json' };
/** What a caller may send as a correlation id; anything else is ignored (never echoed into headers or logs). */
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** The caller's `x-correlation-id` header (when well-formed), else API Gateway's request id, else Lambda's. */
export function httpCorrelationId(event: APIGatewayProxyEvent, context?: Pick<Context, 'awsRequestId'>): string {
  const header = headerValue(event, CORRELATION_HEADER);
  if (header && CORRELATION_ID.test(header)) return header;
  return event.requestContext?.requestId || context?.awsRequestId || 'uncorrelated';
}

/** A header by name, case-insensitively, as API Gateway passes headers through unchanged. */
export function headerValue(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1] ?? undefined;
}

/** Maps any thrown value to the response the caller sees. */
export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyResult {
  const typed = asHandlerError(error, 'request');
  const body: HttpErrorBody = {
    error: { code: typed.code, message: publicMessage(typed, correlationId), correlationId },
  };
  const headers: Record<string, string> = { ...JSON_HEADERS, [CORRELATION_HEADER]: correlationId };
  if (typed.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(typed.retryAfterSeconds));
  if (isMethodNotAllowedError(typed)) headers.allow = typed.allowed.join(', ');
  return { statusCode: typed.statusCode, headers, body: JSON.stringify(body) };
}

/** Client errors say what to fix; server errors say only what kind of failure it was and how to report it. */
function publicMessage(error: HandlerError, correlationId: string): string {
  const generic = findCatalogEntry(error.name)?.publicMessage;
  return generic ? `${generic} Quote correlation id ${correlationId} when reporting it.` : error.message;
}

/** Wraps an API handler; `operation` names it in logs, metrics and the trace (e.g. `list-instances`). */
export function withHttpErrorHandling(operation: string, handler: HttpHandler): LambdaHttpHandler {
  return async (event, context) => {
    const correlationId = httpCorrelationId(event, context);
    // API Gateway's access log holds its request id, never request headers: this key joins the two.
    const apiRequestId = event.requestContext?.requestId;
    const log = invocationLogger(
      { correlationId, operation, ...(apiRequestId && apiRequestId !== correlationId && { apiRequestId }) },
      context,
    );
    return withHandlerSubsegment(operation, async () => {
      annotateTrace({ correlationId });
      try {
        const response = await handler(event, { correlationId, logger: log, annotate: annotateTrace });
        return { ...response, headers: { ...response.headers, [CORRELATION_HEADER]: correlationId } };
      } catch (error) {
        const response = errorResponse(error, correlationId);
        const typed = asHandlerError(error, operation);
        const details = { statusCode: response.statusCode, errorName: typed.name, code: typed.code, error: typed };
        if (response.statusCode >= 500) {
          log.error(`${operation} failed with ${response.statusCode} ${typed.name}`, details);
          tracer.addErrorAsMetadata(typed);
        } else {
          log.warn(`${operation} refused with ${response.statusCode} ${typed.name}: ${typed.message}`, {
            statusCode: response.statusCode,
            errorName: typed.name,
            code: typed.code,
          });
        }
        emitCount(HANDLER_ERROR_METRIC, 1, { ErrorName: typed.name });
        return response;
      }
    });
  };
}

/** What an API route reads from the request, each validated by its schema (omit one to ignore that part). */
export interface ApiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Names the route in logs, metrics and the trace, e.g. `open-circuit`. */
  readonly operation: string;
  readonly path?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Larger bodies are refused with 413 before parsing. @default DEFAULT_MAX_BODY_BYTES */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export interface ApiRequest<P, Q, B> extends HttpInvocation {
  readonly path: P;
  readonly query: Q;
  readonly body: B;
  readonly event: APIGatewayProxyEvent;
}

export interface ApiResponse {
  /** @default 200 */
  readonly statusCode?: number;
  /** Serialized as JSON; omit for an empty body (e.g. 204). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** An API handler with validated input: `export const handler = apiHandler({ operation, query }, async (req) => ...)`. */
export function apiHandler<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(
  route: ApiRoute<P, Q, B>,
  handler: (request: ApiRequest<Parsed<P>, Parsed<Q>, Parsed<B>>) => Promise<ApiResponse>,
): LambdaHttpHandler {
  return withHttpErrorHandling(route.operation, async (event, invocation) => {
    const path = route.path ? parseWith(route.path, event.pathParameters ?? {}, 'path parameters', 'path') : undefined;
    const query = route.query
      ? parseWith(route.query, event.queryStringParameters ?? {}, 'query string', 'query')
      : undefined;
    const body = route.body
      ? parseWith(route.body, readJsonBody(event, route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), 'request body', 'body')
      : undefined;
    const response = await handler({
      ...invocation,
      path: path as Parsed<P>,
      query: query as Parsed<Q>,
      body: body as Parsed<B>,
      event,
    });
    return jsonResponse(response);
  });
}

export function jsonResponse(response: ApiResponse): APIGatewayProxyResult {
  const hasBody = response.body !== undefined;
  return {
    statusCode: response.statusCode ?? 200,
    headers: { ...(hasBody ? JSON_HEADERS : {}), ...response.headers },
    body: hasBody ? JSON.stringify(response.body) : '',
  };
}

/** The body as JSON: undefined when empty, 413 over the limit, 400 when it is not JSON. */
export function readJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, maxBytes: number): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new PayloadTooLargeError(`The request body is ${bytes} bytes; this route accepts at most ${maxBytes}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      `The request body is not valid JSON (${(error as Error).message}); send a JSON object with content-type application/json.`,
      { cause: error },
    );
  }
}
