/**
 * Disaster-recovery drills through the AWS SDK, shared by `rds-ops drills` and any other caller: start dr-drill,
 * wait for it, and read past drill reports from `audit-log` (subject `dr-drill`, newest first), the same on AWS and
 * against `rds-ops local serve`.
 */
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DrillReport } from '../handlers/recovery/record-drill-report';

export type { DrillReport } from '../handlers/recovery/record-drill-report';

/** The audit-log subject every drill report is written under. */
export const DRILL_REPORT_SUBJECT = 'dr-drill';

export interface DrillRequest {
  readonly requestedBy: string;
  readonly reason: string;
  /** Protected tables to drill (logical names); all five when absent. */
  readonly tables?: readonly string[];
}

export interface DrillExecution {
  readonly executionArn: string;
  readonly status: string;
  readonly report?: DrillReport;
  readonly error?: string;
  readonly cause?: string;
}

/** `drill-20261201T093000-1a2b`: the execution name (unique, sortable). */
export function drillExecutionName(now: number, random: () => number = Math.random): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '');
  return `drill-${stamp}-${Math.floor(random() * 0xffff)
    .toString(16)
    .padStart(4, '0')}`;
}

export async function startDrill(
  sfn: SFNClient,
  stateMachineArn: string,
  request: DrillRequest,
  name: string,
): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }),
  );
  return executionArn!;
}

export async function describeDrill(sfn: SFNClient, executionArn: string): Promise<DrillExecution> {
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  return {
    executionArn,
    status: described.status ?? 'UNKNOWN',
    ...(described.output && { report: JSON.parse(described.output) as DrillReport }),
    ...(described.error !== undefined && { error: described.error }),
    ...(described.cause !== undefined && { cause: described.cause }),
  };
}

/** Polls DescribeExecution until the drill ends (or `signal` aborts: the drill goes on). */
export async function waitForDrill(
  sfn: SFNClient,
  executionArn: string,
  options: { readonly sleep: (ms: number) => Promise<void>; readonly pollMs?: number; readonly signal?: AbortSignal },
): Promise<DrillExecution | undefined> {
  for (;;) {
    const drill = await describeDrill(sfn, executionArn);
    if (drill.status !== 'RUNNING') return drill;
    if (options.signal?.aborted) return undefined;
    await options.sleep(options.pollMs ?? 5000);
  }
}

/** The newest `last` drill reports, newest first. */
export async function listDrillReports(
  documents: DynamoDBDocumentClient,
  auditTable: string,
  last: number,
): Promise<DrillReport[]> {
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: auditTable,
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': DRILL_REPORT_SUBJECT },
      ScanIndexForward: false,
      Limit: last,
    }),
  );
  return (Items ?? []).map((item) => item.details as DrillReport);
}

/** One line per drilled table: the RTO table operators read (and the runbook quotes). */
export function formatDrillReports(reports: readonly DrillReport[]): string[] {
  const header = ['drill', 'table', 'result', 'restore s', 'validation s', 'RTO s', 'target s', 'within target'];
  const rows = reports.flatMap((report) =>
    report.tables.map((table) => [
      report.drillId,
      table.table,
      table.passed ? 'passed' : `failed: ${table.error ?? 'validation'}`,
      figure(table.restoreSeconds),
      figure(table.validationSeconds),
      figure(table.recoveryTimeSeconds),
      String(report.rtoTargetSeconds),
      table.withinTarget ? 'yes' : 'no',
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [line(header), ...rows.map(line)];
}

function figure(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}
