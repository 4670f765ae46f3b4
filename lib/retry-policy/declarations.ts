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
export const HANDLED_OUTCOMES: Declarations = {
  'restore-table': {
    'Report the restored table':
      'the restore is done, validated and audited; a failed success notification is reported in the output (notification) instead of failing a recovery that worked',
  },
  'cutover-table': {
    'Report the cutover':
      'the cutover is done, audited and its writers resumed; a failed success notification is reported in the output (notification) instead of failing it',
    'Report that the rule stays disabled':
      'on the failure path, a writer rule that cannot be enabled again is reported in the Map result (resumedRules) so the other rules, the hold release, the audit entry and the notification still happen (docs/workflows/cutover-table.md)',
  },
  'recover-deleted-table': {
    'Report the recovered table':
      'the table is back, validated and audited; a failed success notification is reported in the output (notification) instead of failing a recovery that worked',
    'Report that the deletion is already being recovered':
      'a duplicate delivery of a deletion event: the execution holding the claim recovers the table; a failed audit entry of the duplicate changes nothing',
  },
  'dr-drill': {
    'Report the drill':
      'the drill passed and its report is in the audit log; a failed notification does not make a passed drill fail',
    'Report the leftover that stays':
      'an old scratch table that cannot be deleted now is reported (deleted: false); the next drill tries again',
    'Report the drilled table whose scratch table stays':
      'the table was drilled; a scratch table that cannot be deleted is reported (scratchDeleted: false, listed in scratchTablesLeft) and removed by the next drill',
    'Report the failed drill of the table whose scratch table stays':
      'the failed drill is reported with its error and the scratch table it could not delete (scratchTablesLeft); the drill ends in DrillFailedError',
  },
  'pitr-compliance': {
    'Report the table that could not be checked':
      'reported in the output (checked: false) with its error; no PitrEnabled datapoint, which the alarm treats as missing, and the Express execution alarms cover a check that does not run',
    'Report the compliant table':
      'PITR is on; a failed metric write is best effort (the next hourly check publishes again)',
    'Report the remediated table': 'PITR is on again; a failed audit entry does not undo the remediation',
    'Report the table without PITR':
      'PitrEnabled 0 was published (the alarm fires) and the failed remediation was attempted; the output says remediated: false',
  },
  'circuit-breaker': {
    'Report that the outcome was not recorded':
      'a failed write of an outcome answers recorded: false; bookkeeping never changes the caller outcome (docs/circuit-breaker.md)',
    'Let the call through without the circuit':
      'FAIL_OPEN: the circuit could not be read, so the answer lets the call through unprotected and says why',
    'Refuse the call: another execution is probing':
      'a lost race for the probe lease answers REFUSE with CircuitOpenError, which the caller fails with',
    'Continue after the announcement':
      'the announcement and its metric are best effort; the answer to the caller does not depend on them',
  },
};
