/**
 * restore-table, first step: checks the request before anything is created and turns it into the plan the rest
 * of the workflow follows (source, target, restore point, approval, lock). An invalid request is not an error of
 * this handler: it answers `{ valid: false, problem }` and the workflow ends in InvalidInputError with that text.
 */
import {
  DescribeContinuousBackupsCommand,
  type DescribeContinuousBackupsCommandOutput,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { dynamoControlPlane } from '../shared/clients';
import { fromAwsError, InvalidInputError, UnexpectedError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';
import {
  type RestoreSettings,
  requestedTime,
  type ShapedRequest,
  shapeRequest,
  windowProblem,
} from './restore-request';
import type { CatalogTable, TableCatalog } from './table-catalog';
import { tableCatalogFromEnv } from './table-catalog';

export interface CheckRestoreInput {
  /** The execution input, as the caller gave it. */
  readonly request: unknown;
  /** `$$.State.EnteredTime`: the clock every time in the plan is read from. */
  readonly now: string;
  readonly executionArn: string;
  readonly executionName: string;
  /** `$$.Execution.StartTime`. */
  readonly startedAt: string;
  readonly correlationId?: string;
}

export type RestorePlan =
  | { readonly valid: false; readonly subject: string; readonly problem: string }
  | {
      readonly valid: true;
      /** The audit-log subject: `table#health-alerts`. */
      readonly subject: string;
      /** This execution, which owns the restore lock. */
      readonly executionArn: string;
      /** The restore point as text: an ISO time, or "latest". */
      readonly restoreTo: string;
      readonly source: Pick<CatalogTable, 'tableId' | 'logicalName' | 'tableName' | 'tableArn'>;
      readonly target: { readonly tableName: string; readonly tableArn: string };
      readonly restoreToLatest: boolean;
      /** The requested point in time (absent for "latest", known only once DynamoDB restored it). */
      readonly restoreDateTime?: string;
      readonly triggeredAt: string;
      readonly request: { readonly reason: string; readonly requestedBy: string; readonly approval: string };
      readonly approval: {
        readonly required: boolean;
        readonly requestId: string;
        readonly timeoutSeconds: number;
        readonly expiresAt: string;
        readonly command: string;
      };
      readonly lock: { readonly key: string; readonly nowEpoch: number; readonly expiresAtEpoch: number };
      readonly wait: {
        readonly maxWaitSeconds: number;
        readonly firstPollSeconds: number;
        readonly maxPollSeconds: number;
        /** The wait step's own limit: the polling maximum plus its last interval and a margin. */
        readonly taskTimeoutSeconds: number;
      };
      readonly validationSampleSize: number;
    };

export interface CheckRestoreDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly catalog: TableCatalog;
  readonly settings: RestoreSettings;
}

export async function checkRestoreRequest(
  input: CheckRestoreInput,
  deps: CheckRestoreDependencies,
): Promise<RestorePlan> {
  const now = Date.parse(input.now);
  const startedAt = Date.parse(input.startedAt);
  if (Number.isNaN(now) || Number.isNaN(startedAt)) {
    throw new InvalidInputError(
      `check-restore-request needs now and startedAt as ISO times, got ${input.now}, ${input.startedAt}.`,
    );
  }
  const subject = subjectOf(input.request, deps.catalog);
  const shaped = shapeRequest(input.request, { catalog: deps.catalog, settings: deps.settings, startedAt });
  if (!shaped.ok) return { valid: false, subject, problem: explain(shaped.problems) };
  const request = shaped.request;

  const problem = await awsProblem(request, now, deps);
  if (problem) return { valid: false, subject, problem: explain([problem]) };

  const at = requestedTime(request.restorePoint);
  const approvalExpires = now + deps.settings.approvalTimeoutSeconds * 1000;
  const requestId = `restore-${input.executionName}`;
  return {
    valid: true,
    subject,
    executionArn: input.executionArn,
    restoreTo: at === undefined ? 'latest' : new Date(at).toISOString(),
    source: {
      tableId: request.source.tableId,
      logicalName: request.source.logicalName,
      tableName: request.source.tableName,
      tableArn: request.source.tableArn,
    },
    target: {
      tableName: request.targetTableName,
      tableArn: request.source.tableArn.replace(/table\/[^/]+$/, `table/${request.targetTableName}`),
    },
    restoreToLatest: at === undefined,
    ...(at !== undefined && { restoreDateTime: new Date(at).toISOString() }),
    triggeredAt: new Date(request.triggeredAt).toISOString(),
    request: {
      reason: request.reason,
      requestedBy: request.requestedBy,
      approval: request.approvalRequired ? 'required' : 'skip',
    },
    approval: {
      required: request.approvalRequired,
      requestId,
      timeoutSeconds: deps.settings.approvalTimeoutSeconds,
      expiresAt: new Date(approvalExpires).toISOString(),
      command: `rds-ops approvals approve ${requestId} --reason "<why>"`,
    },
    lock: {
      key: `restore#${request.source.tableId}`,
      nowEpoch: Math.floor(now / 1000),
      expiresAtEpoch: Math.ceil((now + deps.settings.lockSeconds * 1000) / 1000),
    },
    wait: {
      maxWaitSeconds: deps.settings.maxWaitSeconds,
      firstPollSeconds: deps.settings.firstPollSeconds,
      maxPollSeconds: deps.settings.maxPollSeconds,
      taskTimeoutSeconds: deps.settings.maxWaitSeconds + deps.settings.maxPollSeconds + 900,
    },
    validationSampleSize: deps.settings.validationSampleSize,
  };
}

/** The checks that need DynamoDB: PITR on the source, the restore point inside its window, the target free. */
async function awsProblem(
  request: ShapedRequest,
  now: number,
  deps: CheckRestoreDependencies,
): Promise<string | undefined> {
  const { source } = request;
  let backups: DescribeContinuousBackupsCommandOutput;
  try {
    backups = await deps.dynamoDb.send(new DescribeContinuousBackupsCommand({ TableName: source.tableName }));
  } catch (error) {
    if (isNotFound(error))
      return `table ${source.logicalName} (${source.tableName}) does not exist; to recover a deleted table use its system backup`;
    throw fromAwsError(error, `DescribeContinuousBackups ${source.tableName}`);
  }
  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== 'ENABLED') {
    return (
      `point-in-time recovery is ${pitr?.PointInTimeRecoveryStatus ?? 'DISABLED'} on ${source.logicalName}, so it cannot ` +
      'be restored to a point in time; turn PITR back on (it restores only from the moment it is enabled)'
    );
  }
  const at = requestedTime(request.restorePoint);
  if (at !== undefined) {
    if (at > now) return `restoreTo ${new Date(at).toISOString()} is in the future; choose a past time or "latest"`;
    const earliest = pitr.EarliestRestorableDateTime?.getTime();
    const latest = pitr.LatestRestorableDateTime?.getTime();
    if (earliest === undefined || latest === undefined) {
      throw new UnexpectedError(`DescribeContinuousBackups of ${source.tableName} has no restorable window.`);
    }
    const outside = windowProblem(source, at, { earliest, latest });
    if (outside) return outside;
  }
  try {
    await deps.dynamoDb.send(new DescribeTableCommand({ TableName: request.targetTableName }));
    return `targetTableName ${request.targetTableName} is taken (a table of that name exists); choose another name or leave it out`;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw fromAwsError(error, `DescribeTable ${request.targetTableName}`);
  }
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'ResourceNotFoundException' || name === 'TableNotFoundException';
}

function explain(problems: readonly string[]): string {
  return `The restore request is invalid and nothing was created: ${problems.join('; ')}.`;
}

/** `table#<logical name>` when the table is known, else the name as given (for the audit trail of refusals). */
function subjectOf(request: unknown, catalog: TableCatalog): string {
  const given = (request as { tableName?: unknown } | null)?.tableName;
  if (typeof given !== 'string' || given.length === 0) return 'table#(none)';
  const table = catalog.tables.find(
    (candidate) => candidate.logicalName === given || candidate.tableId === given || candidate.tableName === given,
  );
  return `table#${table?.logicalName ?? given.slice(0, 200)}`;
}

export function restoreSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RestoreSettings {
  const text = env.RESTORE_SETTINGS;
  if (!text)
    throw new UnexpectedError('Environment variable RESTORE_SETTINGS is not set; the workflow construct sets it.');
  return JSON.parse(text) as RestoreSettings;
}

export const handler = withErrorHandling('check-restore-request', (input: CheckRestoreInput) =>
  checkRestoreRequest(input, {
    dynamoDb: dynamoControlPlane(),
    catalog: tableCatalogFromEnv(),
    settings: restoreSettingsFromEnv(),
  }),
);
