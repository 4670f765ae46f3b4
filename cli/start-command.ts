/**
 * `npm start` / `rds-ops start`: synthesizes the app, then runs every scenario on a fresh local runtime,
 * printing a timeline of what happened and a summary table. Exits 0 when every scenario went as expected.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Clock, VirtualClock } from '../local/clock';
import { LocalRuntime } from '../local/runtime';
import { SCENARIOS } from '../local/scenarios';
import type { Scenario, ScenarioCheck, ScenarioReport } from '../local/scenarios/scenario';
import type { AppModel } from '../local/template/app-model';
import { loadAppModel } from '../local/template/synthesize';
import { type CliIo, EXIT } from './cli-io';
import { UsageError } from './errors';
import { clockFromFlags } from './runtime-boot';
import { formatDuration } from './timeline';

export async function runStartCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { speed: { type: 'string' }, only: { type: 'string' }, report: { type: 'string' } },
  });
  if (values.report !== undefined && values.report.trim() === '')
    throw new UsageError('--report takes a directory: one HTML file per execution is written there.');
  const scenarios = values.only
    ? SCENARIOS.filter((s) => s.title.toLowerCase().includes(values.only!.toLowerCase()))
    : SCENARIOS;
  if (scenarios.length === 0)
    throw new UsageError(
      `no scenario matches "${values.only}". Scenarios: ${SCENARIOS.map((s) => s.title).join('; ')}`,
    );

  if (values.speed !== undefined) clockFromFlags({ speed: values.speed });
  const synthStarted = Date.now();
  const model = loadAppModel();
  io.out(`rds-ops-reliability, running locally: the synthesized app on this machine (no AWS, no Docker).`);
  io.out(
    `Synthesized ${count(model.stateMachines.length, 'state machine')}, ${count(model.tables.length, 'table')}, ` +
      `${count(model.rules.length, 'rule')} and ${count(model.functions.length, 'function')} ` +
      `in ${formatDuration(Date.now() - synthStarted)}.`,
  );
  io.out(
    values.speed ? `Clock: real time x${values.speed}.` : 'Clock: virtual (waits and retry delays take no real time).',
  );

  const reports: ScenarioReport[] = [];
  for (const scenario of scenarios) {
    const clock = values.speed
      ? clockFromFlags({ speed: values.speed })
      : new VirtualClock({ startAt: Date.parse('2026-11-30T09:00:00Z') });
    reports.push(await runScenario(scenario, model, clock, io, values.report));
  }
  printSummary(reports, io);
  return reports.every((report) => report.passed) ? EXIT.ok : EXIT.failed;
}

async function runScenario(
  scenario: Scenario,
  model: AppModel,
  clock: Clock,
  io: CliIo,
  reportDir?: string,
): Promise<ScenarioReport> {
  io.out('');
  io.out(`== ${scenario.title} ==`);
  io.out(`   ${scenario.story}`);
  const wallStart = Date.now();
  const clockStart = clock.now();
  const checks: ScenarioCheck[] = [];
  const runtime = await LocalRuntime.start({ model, clock, handlerLogLevel: 'WARN' });
  let error: string | undefined;
  try {
    await scenario.run({
      runtime,
      log: (line) => io.out(`   ${formatClock(clock.now() - clockStart)}  ${line}`),
      check: (description, passed, detail) => {
        checks.push({ description, passed, ...(detail !== undefined && { detail }) });
        io.out(`   ${passed ? 'ok  ' : 'FAIL'}  ${description}${detail ? ` (${detail})` : ''}`);
      },
    });
    await runtime.settle();
    if (reportDir) await writeScenarioReports(runtime, join(reportDir, slug(scenario.title)), io);
  } catch (failure) {
    error = `${(failure as Error).name}: ${(failure as Error).message}`;
    io.out(`   FAIL  the scenario stopped: ${error}`);
  } finally {
    await runtime.stop();
  }
  return {
    title: scenario.title,
    checks,
    executions: runtime.executions.length,
    clockMs: clock.now() - clockStart,
    wallMs: Date.now() - wallStart,
    ...(error && { error }),
    passed: !error && checks.length > 0 && checks.every((check) => check.passed),
  };
}

function printSummary(reports: readonly ScenarioReport[], io: CliIo): void {
  const rows = reports.map((report) => [
    report.passed ? 'PASS' : 'FAIL',
    report.title,
    `${report.checks.filter((check) => check.passed).length}/${report.checks.length}`,
    String(report.executions),
    formatDuration(report.clockMs),
    formatDuration(report.wallMs),
  ]);
  const header = ['result', 'scenario', 'checks', 'executions', 'clock time', 'wall time'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  io.out('');
  io.out(line(header));
  io.out(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) io.out(line(row));
  const passed = reports.filter((report) => report.passed).length;
  io.out('');
  io.out(`${passed} of ${reports.length} scenarios went as expected.`);
}

/** One HTML report per execution the scenario ran (the same view as the local console). */
async function writeScenarioReports(runtime: LocalRuntime, dir: string, io: CliIo): Promise<void> {
  const { executionDataOf, reportFileName, writeExecutionReport } =
    require('../local/console/execution-report') as typeof import('../local/console/execution-report');
  for (const execution of runtime.executions) {
    const machine = runtime.stateMachine(execution.stateMachineArn);
    await writeExecutionReport(
      executionDataOf(machine, execution),
      join(dir, reportFileName(machine.name, execution.name)),
    );
  }
  io.out(`   ${count(runtime.executions.length, 'execution report')} in ${dir}`);
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function formatClock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `[${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}]`;
}
