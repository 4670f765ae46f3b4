/**
 * The routes of the operations API: method, path template and the handler behind it. The construct builds API
 * Gateway resources and methods from this list, the `route-not-found` handler gets it as `ROUTES`, and the docs
 * table is checked against it.
 */

export type ApiHandlerId =
  | 'listInstances'
  | 'getInstance'
  | 'listAlerts'
  | 'listCosts'
  | 'listCircuits'
  | 'changeCircuit'
  | 'listRestores'
  | 'startRestore'
  | 'decideApproval'
  | 'getExecution';

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  /** A path template as API Gateway writes resources: `/instances/{id}`. */
  readonly path: string;
  readonly handler: ApiHandlerId;
  /** Query-string parameters API Gateway's request validator requires before the handler runs. */
  readonly requiredQuery?: readonly string[];
  /** Changes state: throttled by `api.writeThrottling` instead of the stage limit. */
  readonly writes?: boolean;
}

/** The stage name is also the first path segment, on AWS and on the local service: `/api/instances`. */
export const API_STAGE_NAME = 'api';

export const READ_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/instances', handler: 'listInstances' },
  { method: 'GET', path: '/instances/{id}', handler: 'getInstance' },
  { method: 'GET', path: '/alerts', handler: 'listAlerts' },
  { method: 'GET', path: '/costs', handler: 'listCosts', requiredQuery: ['from', 'to'] },
  { method: 'GET', path: '/circuits', handler: 'listCircuits' },
  { method: 'GET', path: '/executions/{arn}', handler: 'getExecution' },
];

export const CIRCUIT_ROUTES: readonly ApiRoute[] = ['open', 'close', 'reset'].map((action) => ({
  method: 'POST',
  path: `/circuits/{name}/${action}`,
  handler: 'changeCircuit',
  writes: true,
}));

/** The routes of the restore workflow, present when the app has it. */
export const RECOVERY_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/restores', handler: 'listRestores' },
  { method: 'POST', path: '/restores', handler: 'startRestore', writes: true },
  { method: 'POST', path: '/approvals/{id}/approve', handler: 'decideApproval', writes: true },
  { method: 'POST', path: '/approvals/{id}/reject', handler: 'decideApproval', writes: true },
];

/** `{ "/instances": ["GET"], ... }`: what the route-not-found handler answers 405 with. */
export function routeTable(routes: readonly ApiRoute[]): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const route of routes) table[route.path] = [...(table[route.path] ?? []), route.method];
  return table;
}
