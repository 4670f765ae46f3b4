/**
 * Tasks that are safe to repeat whatever failed, so a Retry may name `States.ALL` on them (reads need no
 * entry: the check knows get/describe/list/query/scan). Keyed by workflow (the ASL file name) and Task
 * state, with the reason; the policy check flags an entry that names no Task.
 */
export const IDEMPOTENT_TASKS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'inventory-refresh': {
    'Mark instances missing from this refresh':
      'reconcile-inventory only writes MISSING under a condition that re-checks lastSeenAt and the status; a repeat marks nothing twice.',
  },
};
