/**
 * dr-drill, last step: turns the per-table results into the drill report (restore and validation seconds, the
 * measured RTO against the target, whether the scratch table is gone) and writes it to `audit-log` under the subject
 * `dr-drill`, where `rds-ops drills report` reads it.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/clients';
import { fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

/** The audit-log subject of every drill report. */
export const DRILL_SUBJECT = 'dr-drill';

export interface DrillTableResult {
  readonly table: string;
  readonly tableName?: string;
  readonly scratchTableName: string;
  readonly passed: boolean;
  readonly restoreSeconds?: number;
  readonly waitSeconds?: number;
  readonly validationSeconds?: number;
  readonly recoveryTimeSeconds?: number;
  readonly itemCount?: number;
  readonly sourceItemCount?: number;
  readonly invalidItems?: number;
  readonly problems?: readonly string[];
  readonly error?: string;
  readonly cause?: string;
  readonly scratchDeleted: boolean;
}

export interface RecordDrillReportInput {
  readonly drill: {
    readonly drillId: string;
    readonly startedAt: string;
    readonly requestedBy: string;
    readonly reason: string;
    readonly rtoTargetSeconds: number;
  };
  readonly results: readonly DrillTableResult[];
  readonly leftoversRemoved: readonly { readonly tableName: string; readonly deleted: boolean }[];
  readonly finishedAt: string;
  readonly executionArn: string;
  readonly executionName: string;
  readonly correlationId?: string;
}

export interface DrillReportTable extends DrillTableResult {
  /** The measured RTO is at most the target. False for a table whose drill failed. */
  readonly withinTarget: boolean;
}

export interface DrillReport {
  readonly drillId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly requestedBy: string;
  readonly rtoTargetSeconds: number;
  readonly passed: boolean;
  readonly failedTables: readonly string[];
  readonly slowTables: readonly string[];
  readonly scratchTablesLeft: readonly string[];
  readonly leftoversRemoved: number;
  readonly slowestRecoveryTimeSeconds: number;
  readonly tables: readonly DrillReportTable[];
}

export function drillReport(input: RecordDrillReportInput): DrillReport {
  if (!input?.drill?.drillId || !Array.isArray(input.results) || input.results.length === 0) {
    throw new InvalidInputError(
      `record-drill-report needs drill.drillId and a non-empty results list, got ${JSON.stringify(input)?.slice(0, 300)}.`,
    );
  }
  const target = input.drill.rtoTargetSeconds;
  const tables = input.results.map((result) => ({
    ...result,
    withinTarget: result.passed && (result.recoveryTimeSeconds ?? Number.POSITIVE_INFINITY) <= target,
  }));
  const failedTables = tables.filter((table) => !table.passed).map((table) => table.table);
  const slowTables = tables.filter((table) => table.passed && !table.withinTarget).map((table) => table.table);
  const started = Date.parse(input.drill.startedAt);
  const finished = Date.parse(input.finishedAt);
  return {
    drillId: input.drill.drillId,
    startedAt: input.drill.startedAt,
    finishedAt: input.finishedAt,
    durationSeconds: Number.isNaN(started + finished) ? 0 : Math.max(0, Math.round((finished - started) / 1000)),
    requestedBy: input.drill.requestedBy,
    rtoTargetSeconds: target,
    passed: failedTables.length === 0 && slowTables.length === 0,
    failedTables,
    slowTables,
    scratchTablesLeft: tables.filter((table) => !table.scratchDeleted).map((table) => table.scratchTableName),
    leftoversRemoved: (input.leftoversRemoved ?? []).filter((leftover) => leftover.deleted).length,
    slowestRecoveryTimeSeconds: Math.max(0, ...tables.map((table) => table.recoveryTimeSeconds ?? 0)),
    tables,
  };
}

export async function recordDrillReport(
  input: RecordDrillReportInput,
  deps: { readonly documents: DynamoDBDocumentClient; readonly auditTable: string },
): Promise<DrillReport> {
  const report = drillReport(input);
  try {
    await deps.documents.send(
      new PutCommand({
        TableName: deps.auditTable,
        Item: {
          subject: DRILL_SUBJECT,
          at: `${report.startedAt}#${input.executionName}`,
          actor: 'workflow:dr-drill',
          action: report.passed ? 'drill.passed' : 'drill.failed',
          correlationId: input.executionArn,
          requestedBy: report.requestedBy,
          reason: input.drill.reason,
          details: report,
        },
        ConditionExpression: 'attribute_not_exists(subject)',
      }),
    );
  } catch (error) {
    // A retried invocation finds its own report already written.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw fromAwsError(error, 'PutItem audit-log');
  }
  return report;
}

export const handler = withErrorHandling('record-drill-report', (input: RecordDrillReportInput) =>
  recordDrillReport(input, { documents: dynamo(), auditTable: process.env.AUDIT_TABLE_NAME ?? '' }),
);
