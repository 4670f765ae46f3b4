/** `rds-ops local ...`: run workflows, send events and inspect the app on the local runtime. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LocalRuntime } from '../local/runtime';
import { lockDataDir } from '../local/server/data-dir-lock';
import type { ExecutionRecord, LocalStateMachine } from '../local/stepfunctions/local-state-machine';
import { printAppInventory } from './app-inventory';
import { type CliIo, EXIT } from './cli-io';
import { InvalidInputError, UsageError } from './errors';
import { summarizeExecutions } from './execution-summary';
import { readJsonArgument } from './json-argument';
import { runConcurrently } from './run-concurrently';
import { assertFaultPlanTargets, bootRuntime, dataDirOf, RUNTIME_FLAG_OPTIONS } from './runtime-boot';
import { runServeCommand } from './serve-command';
import { formatExecutionLine } from './timeline';

type Subcommand = (args: string[], io: CliIo) => Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  serve: runServeCommand,
  execute: executeCommand,
  'send-event': sendEventCommand,
  'fire-schedule': fireScheduleCommand,
  list: listCommand,
};

export async function runLocalCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const subcommand = name ? SUBCOMMANDS[name] : undefined;
  if (!subcommand)
    throw new UsageError(
      `unknown local command "${name ?? ''}"; use serve, execute, send-event, fire-schedule or list (rds-ops help).`,
    );
  return subcommand(rest, io);
}

async function executeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...RUNTIME_FLAG_OPTIONS,
      input: { type: 'string' },
      count: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError('execute takes one state machine name or ASL file (rds-ops local list shows the names).');
  if (values.report !== undefined && values.report.trim() === '')
    throw new UsageError('--report takes a file (FILE.html, one execution) or a directory (one file per execution).');
  const input = values.input === undefined ? {} : readJsonArgument(values.input, '--input');
  const count = positiveInteger(values.count ?? '1', '--count');
  const concurrency = positiveInteger(values.concurrency ?? '1', '--concurrency');
  const target = positionals[0];
  return withRuntime(
    values,
    async (runtime) => {
      const machine = isDefinitionFile(target) ? runtime.loadDefinitionFile(target) : runtime.stateMachine(target);
      assertFaultPlanTargets(runtime, [machine.definition]);
      const startedAt = Date.now();
      const executions = await runConcurrently(count, concurrency, () => machine.execute(input));
      const summary = summarizeExecutions(executions, Date.now() - startedAt);
      const reports = values.report === undefined ? [] : await writeReports(values.report, machine, executions);
      if (values.json) io.out(JSON.stringify({ executions: executions.map(executionJson), summary, reports }, null, 2));
      else {
        for (const report of reports) io.out(`Report: ${report}`);
        for (const execution of executions) io.out(formatExecutionLine(execution));
        io.out(
          `${summary.total} execution(s): ${Object.entries(summary.byStatus)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ')}`,
        );
      }
      return executions.every((execution) => execution.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
    },
    { deferFaultCheck: true },
  );
}

async function sendEventCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...RUNTIME_FLAG_OPTIONS, event: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.event) throw new UsageError('send-event needs --event <json | @file> (rds-ops help).');
  const event = readJsonArgument(values.event, '--event');
  const entries = (Array.isArray(event) ? event : [event]).map(asPutEventsEntry);
  if (entries.length === 0) throw new InvalidInputError('--event: give an event object or a non-empty list of them.');
  return withRuntime(values, async (runtime) => {
    const result = await runtime.sendEvents(entries);
    const rejected = result.entries.flatMap((entry, index) =>
      entry.errorCode ? [`event ${index + 1}: ${entry.errorCode}: ${entry.errorMessage}`] : [],
    );
    if (rejected.length > 0) throw new InvalidInputError(`PutEvents rejected ${rejected.join('; ')}`);
    const matched = [...new Set(result.deliveries.map((delivery) => delivery.ruleName))];
    if (values.json) {
      io.out(
        JSON.stringify(
          { matchedRules: matched, deliveries: result.deliveries, executions: result.executions.map(executionJson) },
          null,
          2,
        ),
      );
    } else {
      io.out(matched.length ? `Matched rules: ${matched.join(', ')}` : 'No rule matched the event.');
      for (const execution of result.executions) io.out(formatExecutionLine(execution));
    }
    return result.executions.every((execution) => execution.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
  });
}

async function fireScheduleCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...RUNTIME_FLAG_OPTIONS, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1)
    throw new UsageError('fire-schedule takes one rule name (rds-ops local list shows the rules).');
  return withRuntime(values, async (runtime) => {
    const result = await runtime.fireSchedule(positionals[0]);
    if (values.json) io.out(JSON.stringify({ executions: result.executions.map(executionJson) }, null, 2));
    else for (const execution of result.executions) io.out(formatExecutionLine(execution));
    return result.executions.every((execution) => execution.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
  });
}

async function listCommand(args: string[], io: CliIo): Promise<number> {
  parseArgs({ args, options: {} });
  return withRuntime({ virtual: true }, async (runtime) => {
    printAppInventory(runtime, io);
    return EXIT.ok;
  });
}

/** Boots the runtime for one command; a data directory is locked meanwhile (a running `local serve` owns it). */
async function withRuntime(
  flags: Parameters<typeof bootRuntime>[0],
  work: (runtime: LocalRuntime) => Promise<number>,
  options: Parameters<typeof bootRuntime>[1] = {},
): Promise<number> {
  const dataDir = dataDirOf(flags);
  const lock = dataDir ? await lockDataDir(dataDir, 'rds-ops local (execute, send-event or fire-schedule)') : undefined;
  try {
    const runtime = await bootRuntime(flags, options);
    try {
      return await work(runtime);
    } finally {
      await runtime.stop();
    }
  } finally {
    await lock?.release();
  }
}

/**
 * `--report FILE.html` for one execution, `--report DIR` for any number: one self-contained HTML file per
 * execution, the same view as the local console.
 */
async function writeReports(target: string, machine: LocalStateMachine, executions: readonly ExecutionRecord[]) {
  const { executionDataOf, reportFileName, writeExecutionReport } =
    require('../local/console/execution-report') as typeof import('../local/console/execution-report');
  const single = executions.length === 1 && target.endsWith('.html');
  const files: string[] = [];
  for (const execution of executions) {
    const file = single ? target : join(target, reportFileName(machine.name, execution.name));
    await writeExecutionReport(executionDataOf(machine, execution), file);
    files.push(file);
  }
  return files;
}

/** `historyEventCount`: the events of its AWS execution history, against the 25,000 a Standard execution may have. */
export function executionJson(execution: ExecutionRecord) {
  const { executionArn, name, status, startDate, stopDate, output, error, cause, historyEventCount, trace } = execution;
  return { executionArn, name, status, startDate, stopDate, output, error, cause, historyEventCount, trace };
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${flag} must be a whole number of at least 1, got "${value}".`);
  return number;
}

function isDefinitionFile(target: string): boolean {
  return target.endsWith('.json') || (target.includes('/') && existsSync(target));
}

/** Accepts a PutEvents entry (`DetailType`, `Detail` as text) or an event as rules see it (`detail-type`, `detail`). */
function asPutEventsEntry(value: unknown) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      `--event: each event must be an object (PutEvents entry or EventBridge event), got ${JSON.stringify(value)}.`,
    );
  }
  const event = value as Record<string, unknown>;
  if ('DetailType' in event || 'Source' in event) return event;
  return {
    Source: event.source,
    DetailType: event['detail-type'],
    Detail: JSON.stringify(event.detail ?? {}),
    Resources: event.resources,
    ...(event.time !== undefined && { Time: event.time }),
  } as Record<string, unknown>;
}
