/**
 * `rds-ops restore --table T --to TIME|latest --reason TEXT [--approval skip] [--target NAME] [--no-follow]`,
 * `rds-ops restore status EXECUTION` and `rds-ops restore list`: starts restore-table through the Step Functions
 * API and follows it live (Ctrl-C stops following, not the restore), then prints the measured RTO and RPO.
 */
import { parseArgs } from 'node:util';
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  describeRestore,
  followExecution,
  listRestores,
  type RestoreRequest,
  type RestoreSummary,
  restoreExecutionName,
  startRestore,
} from '../../operations/restores';
import { EXIT } from '../cli-io';
import { UsageError } from '../errors';
import { describeOutcome, RestoreProgress } from './restore-progress';

export const RESTORE_USAGE =
  'usage: rds-ops restore --table TABLE --to ISO-TIME|latest --reason TEXT [--approval skip] [--target NAME] ' +
  '[--requested-by NAME] [--no-follow] | restore status EXECUTION [--json] | restore list [--max N] [--json]';

export interface RestoreCommandDependencies {
  readonly stepFunctions: SFNClient;
  /** Finds the restore-table state machine (flag, environment, or by its workflow tag). */
  readonly stateMachineArn: () => Promise<string>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Who asks when --requested-by is absent (the caller's identity); asked only once the request is complete. */
  readonly requester: () => Promise<string>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Aborted on Ctrl-C: following stops, the execution goes on. */
  readonly signal?: AbortSignal;
  /** Rewrites a status line in place (a countdown on a terminal); absent when output is not a terminal. */
  readonly status?: (line: string) => void;
  readonly pollMs?: number;
}

export async function runRestoreCommand(argv: readonly string[], deps: RestoreCommandDependencies): Promise<number> {
  const [verb] = argv;
  if (verb === 'status') return status(argv.slice(1), deps);
  if (verb === 'list') return list(argv.slice(1), deps);
  return start(argv, deps);
}

async function start(argv: readonly string[], deps: RestoreCommandDependencies): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: [...argv],
      options: {
        table: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        approval: { type: 'string' },
        target: { type: 'string' },
        'requested-by': { type: 'string' },
        'no-follow': { type: 'boolean' },
      },
      allowPositionals: true,
    }),
  );
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}". ${RESTORE_USAGE}`);
  for (const flag of ['table', 'to', 'reason'] as const) {
    if (!values[flag]) throw new UsageError(`--${flag} is required. ${RESTORE_USAGE}`);
  }
  if (values.approval !== undefined && values.approval !== 'skip' && values.approval !== 'required') {
    throw new UsageError(`--approval takes "skip" (or "required", the default), got "${values.approval}".`);
  }
  const request: RestoreRequest = {
    tableName: String(values.table),
    restoreTo: String(values.to),
    reason: String(values.reason),
    requestedBy: String(values['requested-by'] ?? (await deps.requester())),
    approval: values.approval === 'skip' ? 'skip' : 'required',
    ...(values.target !== undefined && { targetTableName: String(values.target) }),
  };
  const stateMachineArn = await deps.stateMachineArn();
  const name = restoreExecutionName(request.tableName, deps.now());
  const { executionArn } = await startRestore(deps.stepFunctions, stateMachineArn, request, name);
  deps.out(`Started restore ${name}`);
  deps.out(`  execution: ${executionArn}`);
  if (request.approval === 'required') deps.out(`  approval request: restore-${name}`);
  if (values['no-follow']) {
    deps.out(`Follow it with: rds-ops restore status ${executionArn}`);
    return EXIT.ok;
  }
  return follow(executionArn, deps);
}

async function follow(executionArn: string, deps: RestoreCommandDependencies): Promise<number> {
  const progress = new RestoreProgress(deps.out);
  const summary = await followExecution(deps.stepFunctions, executionArn, {
    onEvent: (event) => progress.event(event),
    onIdle: (now) => {
      const wait = progress.pendingWait;
      if (wait && deps.status) deps.status(`          ${Math.max(0, Math.ceil((wait.until - now) / 1000))} s left`);
    },
    sleep: deps.sleep,
    now: deps.now,
    ...(deps.pollMs !== undefined && { pollMs: deps.pollMs }),
    ...(deps.signal && { signal: deps.signal }),
  });
  if (!summary) {
    deps.out(`Stopped following; the restore goes on. Follow it again: rds-ops restore status ${executionArn}`);
    return EXIT.ok;
  }
  for (const line of describeOutcome(summary)) deps.out(line);
  return summary.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

async function status(argv: readonly string[], deps: RestoreCommandDependencies): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({ args: [...argv], options: { json: { type: 'boolean' } }, allowPositionals: true }),
  );
  const [executionArn] = positionals;
  if (!executionArn || positionals.length > 1)
    throw new UsageError(`restore status takes one execution ARN. ${RESTORE_USAGE}`);
  const summary = await describeRestore(deps.stepFunctions, executionArn);
  if (values.json) {
    deps.out(JSON.stringify(summary));
  } else {
    deps.out(`${summary.name}  ${summary.status}  started ${summary.startDate?.toISOString() ?? '?'}`);
    if (summary.status === 'RUNNING')
      deps.out('  still running: rds-ops approvals list shows whether it waits for an approval');
    else for (const line of describeOutcome(summary)) deps.out(`  ${line}`);
  }
  return summary.status === 'RUNNING' || summary.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

async function list(argv: readonly string[], deps: RestoreCommandDependencies): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, max: { type: 'string' } },
      allowPositionals: true,
    }),
  );
  if (positionals.length > 0) throw new UsageError(`restore list takes no argument. ${RESTORE_USAGE}`);
  const max = values.max === undefined ? 20 : Number(values.max);
  if (!Number.isInteger(max) || max < 1 || max > 1000)
    throw new UsageError(`--max takes a number from 1 to 1000, got "${values.max}".`);
  const restores: RestoreSummary[] = await listRestores(deps.stepFunctions, await deps.stateMachineArn(), max);
  if (values.json) {
    deps.out(JSON.stringify(restores));
    return EXIT.ok;
  }
  if (restores.length === 0) deps.out('No restores yet.');
  for (const restore of restores) {
    deps.out(
      `${restore.status.padEnd(9)} ${restore.startDate?.toISOString() ?? '?'}  ${restore.name}  ${restore.executionArn}`,
    );
  }
  return EXIT.ok;
}

/** parseArgs' own errors (an unknown flag, a missing value) are usage errors. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message} ${RESTORE_USAGE}`);
  }
}
