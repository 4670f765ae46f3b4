/** The `rds-ops` command line: routes a command group to its module and maps errors to exit codes. */
import { type CliIo, EXIT, processIo } from './cli-io';
import { runEventsCommand } from './events-command';

type CommandGroup = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Loaded on demand (require, not import(): the CLI runs as CommonJS under tsx) so that a quick command
 * such as `events test-pattern` does not load the CDK.
 */
const GROUPS: Readonly<Record<string, () => CommandGroup>> = {
  start: () => (require('./start-command') as typeof import('./start-command')).runStartCommand,
  local: () => (require('./local-command') as typeof import('./local-command')).runLocalCommand,
  events: () => runEventsCommand,
  circuits: () => (require('./circuits-entry') as typeof import('./circuits-entry')).runCircuitsEntry,
  restore: () => (require('./recovery-entry') as typeof import('./recovery-entry')).runRestoreEntry,
  approvals: () => (require('./recovery-entry') as typeof import('./recovery-entry')).runApprovalsEntry,
  drills: () => (require('./recovery-entry') as typeof import('./recovery-entry')).runDrillsEntry,
  'reattach-tables': () => (require('./reattach-command') as typeof import('./reattach-command')).runReattachCommand,
  bench: () => (require('../bench/run-benchmarks') as typeof import('../bench/run-benchmarks')).runBenchmarks,
  docs: () => (require('./docs-command') as typeof import('./docs-command')).runDocsCommand,
  capacity: () => (require('./capacity-command') as typeof import('./capacity-command')).runCapacityCommand,
};

export const USAGE = `Usage: rds-ops <command>
  start [--speed N] [--only TEXT] [--report DIR]
                                          play every local scenario and print the timeline (npm start);
                                          --report writes one HTML report per execution into DIR
  local serve [--port 8083] [--data-dir DIR] [--speed N] [--faults <@file | json>]
                                          the app on one local AWS endpoint until Ctrl-C (prints the export line);
                                          the local console is at http://127.0.0.1:<port>/console
  local execute <machine | file.asl.json> [--input <json | @file>] [--faults <@file | json>]
                [--speed N | --virtual] [--count N --concurrency C] [--data-dir DIR]
                [--handler-log-level LEVEL] [--bundled] [--json] [--report FILE.html | DIR]
                --bundled runs the esbuild bundles Lambda gets instead of the handler sources
                --report writes the execution's graph view (as the local console draws it) as one HTML file
  local send-event --event <json | @file> [--faults ...] [--data-dir DIR] [--json]
  local fire-schedule <rule-name> [--data-dir DIR] [--json]
  local list                              the synthesized state machines, rules and tables
  events test-pattern --event-pattern <json | @file> --event <json | @file>
  circuits list | show NAME | open NAME [--for DURATION] | close NAME | reset NAME
                --reason TEXT [--actor NAME] [--json]
                [--local | --endpoint URL] [--circuit-table NAME --audit-table NAME]
                (AWS by default; --local is the local service on 127.0.0.1:8083)
  restore --table TABLE --to ISO-TIME|latest --reason TEXT [--approval skip] [--target NAME]
          [--requested-by NAME] [--no-follow]     start restore-table and follow it (Ctrl-C stops following)
  restore status EXECUTION [--json] | restore list [--max N] [--json]
  approvals list [--status STATUS] [--json] | show ID [--json]
          | approve ID --reason TEXT [--actor NAME] | reject ID --reason TEXT [--actor NAME]
          [--local | --endpoint URL] [--state-machine ARN] [--approvals-table NAME --audit-table NAME]
          (AWS by default, found by tags; the requester and decider is the caller's STS identity)
  drills run [--wait] [--table TABLE ...] [--reason TEXT] | drills report [--last N] [--json]
          [--local | --endpoint URL] [--state-machine ARN] [--audit-table NAME]
          start the DR drill (and wait for its RTO table) | print past drill reports from the audit log
  reattach-tables --template cdk.out/RdsOps-<Stage>-Data.template.json [--key-id ID] [--out DIR]
          [--local | --endpoint URL]   after the Data stack was deleted: the IMPORT change set that adopts the
          retained tables (found by their rds-ops:table tags), and the commands to run
  capacity advise --table T [--days 14] [--json] [--local | --endpoint URL]
                                          on-demand vs provisioned cost from CloudWatch usage, and what to choose
  bench [--only TEXT] [--update-baseline]  same-run comparisons (npm run bench, docs/benchmarks.md): --only runs
                                          the benchmarks whose id or title contains TEXT; --update-baseline
                                          records this run's ratios in bench/baselines/ratios.json
  docs [--check]                          regenerate the generated sections of docs/ (npm run docs)

Exit codes: 0 success, 1 an execution or operation failed, 2 bad usage or input.`;

/** Errors that mean "you asked for something invalid": exit 2 with one line, never a stack trace. */
const BAD_INPUT_ERRORS = new Set([
  'UsageError',
  'InvalidInputError',
  'InvalidEventPatternError',
  'InvalidInputTransformerError',
  'InvalidScheduleExpressionError',
  'InvalidFaultPlanError',
  'InvalidDefinitionError',
  'UnknownStateMachineError',
  'UnboundResourceError',
  'InvalidConfigError',
  'InvalidRuleError',
  'RuleNotFoundError',
  'NoUsageDataError',
  // Approval decisions the operator got wrong: a missing reason, an unknown or already decided request.
  'InvalidDecisionError',
  'ApprovalNotFoundError',
  // reattach-tables: a table the account no longer has, or a template that is not the Data stack's.
  'ReattachError',
  // An execution input over the 256 KB payload quota (AWS refuses StartExecution the same way).
  'ValidationException',
]);

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [group, ...rest] = argv;
  if (!group) {
    io.err(USAGE);
    return EXIT.usage;
  }
  if (group === '--help' || group === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  const load = GROUPS[group];
  if (!load) {
    io.err(`rds-ops: unknown command "${group}". Run "rds-ops help" for the list.`);
    return EXIT.usage;
  }
  try {
    return await load()(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  // Errors from node: built-ins come from another realm under jest, so read fields instead of using instanceof.
  const failure = (typeof error === 'object' && error !== null ? error : new Error(String(error))) as Error;
  const code = String((failure as NodeJS.ErrnoException).code ?? '');
  if (BAD_INPUT_ERRORS.has(failure.name) || code.startsWith('ERR_PARSE_ARGS')) {
    io.err(`rds-ops: ${failure.name === 'TypeError' ? 'UsageError' : failure.name}: ${oneLine(failure.message)}`);
    return EXIT.usage;
  }
  io.err(`rds-ops: ${failure.name}: ${oneLine(failure.message)}`);
  return EXIT.failed;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
