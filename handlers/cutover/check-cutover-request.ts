/**
 * cutover-table, first step: checks the request before anything is paused or written and answers the plan. The
 * restored table must exist, be ACTIVE, follow the `<data stack>-*-restored-*` naming, and have been restored
 * from the live table the input names: a cutover only ever copies a table back into its own source.
 */
import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import {
  type CatalogTable,
  findTable,
  protectedNames,
  type TableCatalog,
  tableCatalogFromEnv,
} from '../restore/table-catalog';
import { dynamoControlPlane } from '../shared/clients';
import { fromAwsError, InvalidInputError, UnexpectedError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

export interface CutoverSettings {
  readonly approvalTimeoutSeconds: number;
  readonly copySegments: number;
  readonly lockSeconds: number;
}

export interface CheckCutoverInput {
  readonly request: unknown;
  readonly now: string;
  readonly executionArn: string;
  readonly executionName: string;
  readonly correlationId?: string;
}

export type CutoverPlan =
  | { readonly valid: false; readonly subject: string; readonly problem: string }
  | {
      readonly valid: true;
      readonly subject: string;
      readonly executionArn: string;
      readonly live: Pick<CatalogTable, 'tableId' | 'logicalName' | 'tableName' | 'tableArn' | 'keyAttributes'>;
      readonly restored: { readonly tableName: string; readonly restoredTo: string };
      readonly request: { readonly reason: string; readonly requestedBy: string; readonly removeNewer: boolean };
      readonly approval: {
        readonly requestId: string;
        readonly timeoutSeconds: number;
        readonly expiresAt: string;
      };
      readonly lock: { readonly key: string; readonly nowEpoch: number; readonly expiresAtEpoch: number };
      readonly hold: { readonly key: string };
      /** The EventBridge rules whose workflows write the live table: paused while the items are copied. */
      readonly writerRules: readonly { readonly name: string }[];
      readonly backupName: string;
      readonly segments: readonly { readonly segment: number; readonly totalSegments: number }[];
    };

export interface CheckCutoverDependencies {
  readonly dynamoDb: DynamoDBClient;
  readonly catalog: TableCatalog;
  readonly settings: CutoverSettings;
  /** Rule names by table id. */
  readonly writerRules: Readonly<Record<string, readonly string[]>>;
}

const FIELDS = ['restoredTableName', 'tableName', 'reason', 'requestedBy'] as const;
const OPTIONAL = ['removeNewer', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID'];

export async function checkCutoverRequest(
  input: CheckCutoverInput,
  deps: CheckCutoverDependencies,
): Promise<CutoverPlan> {
  const now = Date.parse(input.now);
  if (Number.isNaN(now))
    throw new InvalidInputError(`check-cutover-request needs now as an ISO time, got ${input.now}.`);
  const request = (
    typeof input.request === 'object' && input.request !== null && !Array.isArray(input.request) ? input.request : {}
  ) as Record<string, unknown>;
  const given = typeof request.tableName === 'string' ? request.tableName : undefined;
  const live = given ? findTable(deps.catalog, given) : undefined;
  const subject = `table#${live?.logicalName ?? given?.slice(0, 200) ?? '(none)'}`;
  const invalid = (problems: string[]): CutoverPlan => ({
    valid: false,
    subject,
    problem: `The cutover request is invalid and nothing was paused or written: ${problems.join('; ')}.`,
  });

  const problems: string[] = [];
  if (input.request !== request) problems.push(`the input must be a JSON object with ${FIELDS.join(', ')}`);
  const missing = FIELDS.filter((field) => request[field] === undefined);
  if (missing.length > 0) problems.push(`missing field ${missing.join(', ')}`);
  const extra = Object.keys(request).filter((field) => ![...FIELDS, ...OPTIONAL].includes(field));
  if (extra.length > 0)
    problems.push(`unknown field ${extra.join(', ')}: the input takes ${FIELDS.join(', ')} and optionally removeNewer`);
  for (const field of ['reason', 'requestedBy'] as const) {
    const value = request[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim().length === 0 || value.length > 500)) {
      problems.push(`${field} must be a non-empty text of at most 500 characters`);
    }
  }
  if (request.removeNewer !== undefined && typeof request.removeNewer !== 'boolean') {
    problems.push('removeNewer must be true or false');
  }
  if (given !== undefined && !live)
    problems.push(`unknown table "${given}": the live tables are ${protectedNames(deps.catalog)}`);
  if (live && !live.protected)
    problems.push(`${live.logicalName} is not a restorable table; the live tables are ${protectedNames(deps.catalog)}`);
  const restoredName = request.restoredTableName;
  const prefix = deps.catalog.restoredTablePrefix;
  if (
    restoredName !== undefined &&
    (typeof restoredName !== 'string' || !restoredName.startsWith(prefix) || !restoredName.includes('-restored-'))
  ) {
    problems.push(
      `restoredTableName must name a restored table (${prefix}*-restored-*), got ${JSON.stringify(restoredName)}`,
    );
  }
  if (problems.length > 0 || !live || typeof restoredName !== 'string') return invalid(problems);

  let restored: TableDescription | undefined;
  try {
    ({ Table: restored } = await deps.dynamoDb.send(new DescribeTableCommand({ TableName: restoredName })));
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') {
      return invalid([`the restored table ${restoredName} does not exist`]);
    }
    throw fromAwsError(error, `DescribeTable ${restoredName}`);
  }
  if (restored?.TableStatus !== 'ACTIVE') {
    return invalid([
      `the restored table ${restoredName} is ${restored?.TableStatus ?? 'unknown'}, not ACTIVE; wait for it`,
    ]);
  }
  const source = restored.RestoreSummary?.SourceTableArn;
  if (source !== live.tableArn) {
    return invalid([
      `${restoredName} was restored from ${source ?? 'no table (it is not a restored table)'}, not from ` +
        `${live.logicalName} (${live.tableArn}); a cutover only copies a restored table back into its own source`,
    ]);
  }
  const restoredTo = restored.RestoreSummary?.RestoreDateTime;
  if (!restoredTo) throw new UnexpectedError(`DescribeTable ${restoredName} has no RestoreSummary.RestoreDateTime.`);

  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const total = deps.settings.copySegments;
  return {
    valid: true,
    subject,
    executionArn: input.executionArn,
    live: {
      tableId: live.tableId,
      logicalName: live.logicalName,
      tableName: live.tableName,
      tableArn: live.tableArn,
      keyAttributes: live.keyAttributes,
    },
    restored: { tableName: restoredName, restoredTo: restoredTo.toISOString() },
    request: {
      reason: request.reason as string,
      requestedBy: request.requestedBy as string,
      removeNewer: request.removeNewer === true,
    },
    approval: {
      requestId: `cutover-${input.executionName}`,
      timeoutSeconds: deps.settings.approvalTimeoutSeconds,
      expiresAt: new Date(now + deps.settings.approvalTimeoutSeconds * 1000).toISOString(),
    },
    lock: {
      key: `restore#${live.tableId}`,
      nowEpoch: Math.floor(now / 1000),
      expiresAtEpoch: Math.ceil((now + deps.settings.lockSeconds * 1000) / 1000),
    },
    hold: { key: `writes#${live.tableId}` },
    writerRules: (deps.writerRules[live.tableId] ?? []).map((name) => ({ name })),
    backupName: `${live.tableName.slice(0, 200)}-before-cutover-${stamp}`,
    segments: Array.from({ length: total }, (_, segment) => ({ segment, totalSegments: total })),
  };
}

export const handler = withErrorHandling('check-cutover-request', (input: CheckCutoverInput) =>
  checkCutoverRequest(input, {
    dynamoDb: dynamoControlPlane(),
    catalog: tableCatalogFromEnv(),
    settings: JSON.parse(process.env.CUTOVER_SETTINGS ?? '{}') as CutoverSettings,
    writerRules: JSON.parse(process.env.WRITER_RULES ?? '{}') as Record<string, string[]>,
  }),
);
