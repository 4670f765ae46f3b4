/**
 * What the policy check cannot see in an ASL file, declared per workflow (the ASL file name) and state, each
 * with its reason. The check flags an entry that names no state.
 */
type Declarations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * Tasks safe to repeat whatever failed, so a Retry may name `States.ALL` on them. Reads need no entry (the
 * check knows get/describe/list/query/scan).
 */
export const IDEMPOTENT_TASKS: Declarations = {
  'inventory-refresh': {
    'Mark instances missing from this refresh':
      'reconcile-inventory only writes MISSING under a condition that re-checks lastSeenAt and the status; a repeat marks nothing twice.',
  },
};

/**
 * States that end an execution with an answer its caller acts on: a nested helper (run with
 * startSyncExecution) reports a failure in its output instead of failing, so a catch-all may lead there.
 */
export const HANDLED_OUTCOMES: Declarations = {};
