/**
 * `rds-ops drills run [--wait] [--table T ...] [--reason TEXT]` starts the dr-drill workflow through the Step
 * Functions API (and with --wait follows it to the end and prints its RTO table); `rds-ops drills report
 * [--last N] [--json]` prints the past drill reports from audit-log.
 */
import { parseArgs } from 'node:util';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type DrillExecution,
  drillExecutionName,
  formatDrillReports,
  listDrillReports,
  startDrill,
  waitForDrill,
} from '../operations/drills';
import { EXIT } from './cli-io';
import { UsageError } from './errors';

export const DRILLS_USAGE =
  'usage: rds-ops drills run [--wait] [--table TABLE ...] [--reason TEXT] [--requested-by NAME] | ' +
  'drills report [--last N] [--json]';

export interface DrillsCommandDependencies {
  readonly stepFunctions: SFNClient;
  readonly documents: DynamoDBDocumentClient;
  /** Finds the dr-drill state machine (flag, environment, or by its workflow tag). */
  readonly stateMachineArn: () => Promise<string>;
  /** Finds the audit-log table (flag, environment, or by its table tag). */
  readonly auditTable: () => Promise<string>;
  readonly requester: () => Promise<string>;
  readonly out: (line: string) => void;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

export async function runDrillsCommand(argv: readonly string[], deps: DrillsCommandDependencies): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'run') return run(rest, deps);
  if (verb === 'report') return report(rest, deps);
  throw new UsageError(`unknown drills command "${verb ?? ''}"; ${DRILLS_USAGE}`);
}

async function run(argv: readonly string[], deps: DrillsCommandDependencies): Promise<number> {
  const { values } = parse(() =>
    parseArgs({
      args: [...argv],
      options: {
        wait: { type: 'boolean' },
        table: { type: 'string', multiple: true },
        reason: { type: 'string' },
        'requested-by': { type: 'string' },
      },
    }),
  );
  const tables = values.table;
  const request = {
    requestedBy: values['requested-by'] ?? (await deps.requester()),
    reason: values.reason ?? 'drill started by hand',
    ...(tables && tables.length > 0 && { tables }),
  };
  const stateMachineArn = await deps.stateMachineArn();
  const executionArn = await startDrill(deps.stepFunctions, stateMachineArn, request, drillExecutionName(deps.now()));
  deps.out(`Started dr-drill: ${executionArn}`);
  if (!values.wait) {
    deps.out('Follow it with: rds-ops drills report --last 1 (once it ends), or in the Step Functions console.');
    return EXIT.ok;
  }
  const drill = await waitForDrill(deps.stepFunctions, executionArn, {
    sleep: deps.sleep,
    ...(deps.pollMs !== undefined && { pollMs: deps.pollMs }),
    ...(deps.signal && { signal: deps.signal }),
  });
  if (!drill) {
    deps.out('Stopped following; the drill goes on.');
    return EXIT.ok;
  }
  printOutcome(drill, deps);
  if (drill.status !== 'SUCCEEDED') {
    const [last] = await listDrillReports(deps.documents, await deps.auditTable(), 1);
    if (last && drill.error === 'DrillFailedError') for (const line of formatDrillReports([last])) deps.out(line);
  }
  return drill.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

function printOutcome(drill: DrillExecution, deps: DrillsCommandDependencies): void {
  if (drill.status === 'SUCCEEDED' && drill.report) {
    deps.out(`Drill ${drill.report.drillId} passed: every table restored, validated and its scratch table deleted.`);
    for (const line of formatDrillReports([drill.report])) deps.out(line);
    return;
  }
  deps.out(`Drill ${drill.status}: ${drill.error ?? ''} ${drill.cause ?? ''}`.trim());
}

async function report(argv: readonly string[], deps: DrillsCommandDependencies): Promise<number> {
  const { values } = parse(() =>
    parseArgs({ args: [...argv], options: { last: { type: 'string' }, json: { type: 'boolean' } } }),
  );
  const last = values.last === undefined ? 5 : Number(values.last);
  if (!Number.isInteger(last) || last < 1 || last > 100) {
    throw new UsageError(`--last takes a whole number from 1 to 100, got "${String(values.last)}".`);
  }
  const reports = await listDrillReports(deps.documents, await deps.auditTable(), last);
  if (values.json) {
    deps.out(JSON.stringify(reports, null, 2));
    return EXIT.ok;
  }
  if (reports.length === 0) {
    deps.out('No drill has run yet: start one with "rds-ops drills run --wait".');
    return EXIT.ok;
  }
  for (const line of formatDrillReports(reports)) deps.out(line);
  return EXIT.ok;
}

function parse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${DRILLS_USAGE}`);
  }
}
