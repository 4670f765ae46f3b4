/**
 * What the default app is made of, written out by hand: the observability tests compare the synthesized
 * template and the registry with these lists, so a new workflow, handler or queue is added here on purpose.
 */

/** Every state machine of the Workflows stack, by workflow name. */
export const WORKFLOWS = [
  'circuit-breaker',
  'cost-snapshot',
  'health-alert-ingestion',
  'inventory-refresh',
  'save-inventory-page',
] as const;

/** The workflows' Lambda handlers (the Workflows stack), in the order the constructs create them. */
export const WORKFLOW_HANDLERS = [
  'reconcile-inventory',
  'describe-health-event',
  'record-health-alert',
  'plan-cost-snapshot',
  'save-cost-page',
] as const;

/** The operations API's handlers (the Api stack), in the order the construct creates them. */
export const ROUTE_HANDLERS = [
  'list-instances',
  'get-instance',
  'list-alerts',
  'list-costs',
  'list-circuits',
  'get-execution',
  'change-circuit',
  'route-not-found',
] as const;
