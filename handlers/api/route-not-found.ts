/**
 * The answer for a request no route takes, behind the `ANY` method of every resource and the `/{proxy+}`
 * catch-all: 405 with `Allow` for a known path with another method, 404 for an unknown path. API Gateway would
 * otherwise answer both with 403 "Missing Authentication Token"; with these, a signed request learns what is wrong.
 * The routes come from the `ROUTES` variable the construct sets (`{ "/instances": ["GET"], ... }`).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { MethodNotAllowedError, NotFoundError, UnexpectedError } from '../shared/errors';
import { withHttpErrorHandling } from '../shared/http';

export const CATCH_ALL_RESOURCE = '/{proxy+}';

const RoutesSchema = z.record(z.string().startsWith('/'), z.array(z.string()).min(1));
export type RouteTable = z.output<typeof RoutesSchema>;

export function routeTable(json: string | undefined): RouteTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '');
  } catch {
    parsed = undefined;
  }
  const result = RoutesSchema.safeParse(parsed);
  if (!result.success) {
    throw new UnexpectedError('Environment variable ROUTES does not hold the API routes as JSON (a deployment bug).');
  }
  return result.data;
}

/** The error a request that reached this function gets. */
export function routingError(
  event: Pick<APIGatewayProxyEvent, 'resource' | 'httpMethod' | 'path'>,
  routes: RouteTable,
): NotFoundError | MethodNotAllowedError {
  const allowed = routes[event.resource];
  if (event.resource === CATCH_ALL_RESOURCE || !allowed) {
    const listing = Object.entries(routes)
      .flatMap(([path, methods]) => methods.map((method) => `${method} ${path}`))
      .join(', ');
    return new NotFoundError(`No route ${event.httpMethod} ${event.path}. The API serves: ${listing} (docs/api.md).`);
  }
  return new MethodNotAllowedError(
    `${event.resource} does not take ${event.httpMethod}; it takes ${allowed.join(', ')}.`,
    allowed,
  );
}

export const handler = withHttpErrorHandling('route-not-found', async (event) => {
  throw routingError(event, routeTable(process.env.ROUTES));
});
