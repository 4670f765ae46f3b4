/**
 * What the default app is made of, written out by hand: the observability tests compare the synthesized
 * template and the registry with these lists, so a new workflow, handler or queue is added here on purpose.
 */

/** Every state machine of the Workflows stack: its workflow name and type. */
export const WORKFLOW_TYPES = {
  'check-table-integrity': 'EXPRESS',
  'circuit-breaker': 'EXPRESS',
  'cost-snapshot': 'STANDARD',
  'cutover-table': 'STANDARD',
  'dr-drill': 'STANDARD',
  'health-alert-ingestion': 'STANDARD',
  'inventory-refresh': 'STANDARD',
  'pitr-compliance': 'EXPRESS',
  'reapply-recovered-table-settings': 'STANDARD',
  'reapply-table-settings': 'STANDARD',
  'recover-deleted-table': 'STANDARD',
  'restore-table': 'STANDARD',
  'save-inventory-page': 'EXPRESS',
  'wait-for-drill-table': 'STANDARD',
  'wait-for-recovered-table': 'STANDARD',
  'wait-for-table-active': 'STANDARD',
} as const satisfies Record<string, 'STANDARD' | 'EXPRESS'>;

/** The workflow names, sorted. */
export const WORKFLOWS = Object.keys(WORKFLOW_TYPES).sort();

/** The workflows' Lambda handlers (the Workflows stack), in the order the constructs create them. */
export const WORKFLOW_HANDLERS = [
  'reconcile-inventory',
  'describe-health-event',
  'record-health-alert',
  'plan-cost-snapshot',
  'save-cost-page',
  'check-table-integrity-handler',
  'check-restore-request',
  'read-table-settings',
  'request-approval',
  'validate-restored-table',
  'measure-recovery',
  'plan-table-recovery',
  'plan-drill',
  'record-drill-report',
  'check-cutover-request',
  'cutover-request-approval',
  'copy-restored-items',
  'find-newer-items',
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
  'list-restores',
  'start-restore',
  'decide-approval',
  'route-not-found',
] as const;
