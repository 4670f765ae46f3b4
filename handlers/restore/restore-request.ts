/**
 * The restore-table input contract, checked before anything is created: which fields, which tables, which
 * restore points, which target names, when approval may be skipped. Pure: the AWS facts it needs (is PITR on,
 * the restorable window, does the target exist) are passed in, so every rule is testable on its own.
 */
import { type CatalogTable, findTable, protectedNames, type TableCatalog } from './table-catalog';

export interface RestoreSettings {
  readonly approvalTimeoutSeconds: number;
  readonly allowApprovalSkip: boolean;
  readonly maxWaitSeconds: number;
  readonly firstPollSeconds: number;
  readonly maxPollSeconds: number;
  readonly validationSampleSize: number;
  /** How long the restore lock lasts when its execution never releases it (the execution's own time limit). */
  readonly lockSeconds: number;
}

/** Where a restore goes back to: a time, the latest restorable time, or a margin before an alarm left OK. */
export type RestorePoint =
  | { readonly mode: 'time'; readonly at: number }
  | { readonly mode: 'latest' }
  | { readonly mode: 'before-alarm'; readonly before: number; readonly marginSeconds: number };

/** A request whose shape is right: what the AWS checks (PITR, window, target) then look at. */
export interface ShapedRequest {
  readonly source: CatalogTable;
  readonly restorePoint: RestorePoint;
  readonly targetTableName: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly approvalRequired: boolean;
  /** When the data loss was noticed: the alarm's time for alarm-started restores, else the execution start. */
  readonly triggeredAt: number;
}

export const REQUIRED_FIELDS = ['tableName', 'restoreTo', 'reason', 'requestedBy', 'approval'] as const;
export const OPTIONAL_FIELDS = ['targetTableName'] as const;
/** Added by Step Functions when another execution starts this one; not part of the contract. */
const PLATFORM_FIELDS = ['AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID'];

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_REASON = 500;
const MAX_REQUESTER = 200;

/** `2026-11-30T09:10:00.000+0000` (CloudWatch's form) parses like `+00:00`; anything without a zone is refused. */
export function parseZonedTime(text: unknown): number | undefined {
  if (typeof text !== 'string' || !ISO_WITH_ZONE.test(text)) return undefined;
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = Date.parse(normalized);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The first-pass checks: fields, table, restore point format, approval rules, target name. */
export function shapeRequest(
  request: unknown,
  context: { readonly catalog: TableCatalog; readonly settings: RestoreSettings; readonly startedAt: number },
): { readonly ok: true; readonly request: ShapedRequest } | { readonly ok: false; readonly problems: string[] } {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return {
      ok: false,
      problems: [`the input must be a JSON object with ${REQUIRED_FIELDS.join(', ')}; got ${JSON.stringify(request)}`],
    };
  }
  const fields = request as Record<string, unknown>;
  const problems: string[] = [];
  const missing = REQUIRED_FIELDS.filter((field) => fields[field] === undefined);
  if (missing.length > 0)
    problems.push(`missing field ${missing.join(', ')} (the input needs ${REQUIRED_FIELDS.join(', ')})`);
  const known: readonly string[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS, ...PLATFORM_FIELDS];
  const extra = Object.keys(fields).filter((field) => !known.includes(field));
  if (extra.length > 0) {
    problems.push(
      `unknown field ${extra.join(', ')}: the input takes ${REQUIRED_FIELDS.join(', ')} and optionally targetTableName`,
    );
  }

  const source = tableOf(fields.tableName, context.catalog, problems);
  const restorePoint = restorePointOf(fields.restoreTo, problems);
  const reason = boundedText(fields.reason, 'reason', MAX_REASON, problems);
  const requestedBy = boundedText(fields.requestedBy, 'requestedBy', MAX_REQUESTER, problems);
  const approvalRequired = approvalOf(fields.approval, requestedBy, context.settings, problems);
  const targetTableName = targetOf(fields.targetTableName, source, context, problems);

  if (problems.length > 0 || !source || !restorePoint || reason === undefined || requestedBy === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    request: {
      source,
      restorePoint,
      targetTableName: targetTableName!,
      reason,
      requestedBy,
      approvalRequired: approvalRequired!,
      triggeredAt: restorePoint.mode === 'before-alarm' ? restorePoint.before : context.startedAt,
    },
  };
}

/** The default restored table name: `<source>-restored-<yyyyMMddHHmmss>` (UTC). */
export function defaultTargetName(source: CatalogTable, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${source.tableName}-restored-${stamp}`;
}

/** The time a restore point stands for, or undefined for `latest` (known once DynamoDB restored it). */
export function requestedTime(point: RestorePoint): number | undefined {
  if (point.mode === 'time') return point.at;
  if (point.mode === 'before-alarm') return point.before - point.marginSeconds * 1000;
  return undefined;
}

/** Checks a requested time against the source's restorable window; the message names both bounds. */
export function windowProblem(
  source: CatalogTable,
  at: number,
  window: { readonly earliest: number; readonly latest: number },
): string | undefined {
  if (at >= window.earliest && at <= window.latest) return undefined;
  return (
    `restoreTo ${new Date(at).toISOString()} is outside the restorable window of ${source.logicalName}: choose a ` +
    `time between EarliestRestorableDateTime ${new Date(window.earliest).toISOString()} and ` +
    `LatestRestorableDateTime ${new Date(window.latest).toISOString()} (or "latest")`
  );
}

function tableOf(value: unknown, catalog: TableCatalog, problems: string[]): CatalogTable | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`tableName must be a table name such as "health-alerts", got ${JSON.stringify(value)}`);
    return undefined;
  }
  const table = findTable(catalog, value);
  if (!table) {
    problems.push(`unknown table "${value}": restore one of ${protectedNames(catalog)} (or its physical name)`);
    return undefined;
  }
  if (!table.protected) {
    problems.push(
      `${table.logicalName} has no point-in-time recovery by design (its items are rebuilt from scratch), so it ` +
        `cannot be restored; the restorable tables are ${protectedNames(catalog)}`,
    );
    return undefined;
  }
  return table;
}

function restorePointOf(value: unknown, problems: string[]): RestorePoint | undefined {
  if (value === undefined) return undefined;
  if (value === 'latest') return { mode: 'latest' };
  if (typeof value === 'string') {
    const at = parseZonedTime(value);
    if (at !== undefined) return { mode: 'time', at };
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { before, marginSeconds, ...rest } = value as Record<string, unknown>;
    const at = parseZonedTime(before);
    if (
      at !== undefined &&
      Number.isInteger(marginSeconds) &&
      (marginSeconds as number) >= 0 &&
      !Object.keys(rest).length
    ) {
      return { mode: 'before-alarm', before: at, marginSeconds: marginSeconds as number };
    }
  }
  problems.push(
    `restoreTo must be an ISO-8601 time with a zone (e.g. 2026-11-30T09:04:59Z), "latest", or ` +
      `{"before": <ISO time>, "marginSeconds": <whole seconds>} as the alarm rule sends it; got ${JSON.stringify(value)}`,
  );
  return undefined;
}

function boundedText(value: unknown, field: string, max: number, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    problems.push(`${field} must be a non-empty text of at most ${max} characters, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function approvalOf(
  value: unknown,
  requestedBy: string | undefined,
  settings: RestoreSettings,
  problems: string[],
): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'required') return true;
  if (value !== 'skip') {
    problems.push(`approval must be "required" or "skip", got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (requestedBy?.startsWith('alarm:')) {
    problems.push('an alarm-started restore always asks an operator: approval must be "required"');
    return undefined;
  }
  if (!settings.allowApprovalSkip) {
    problems.push(
      'approval "skip" is not allowed here (config restore.allowApprovalSkip is false): ask with approval "required"',
    );
    return undefined;
  }
  return false;
}

function targetOf(
  value: unknown,
  source: CatalogTable | undefined,
  context: { readonly catalog: TableCatalog; readonly startedAt: number },
  problems: string[],
): string | undefined {
  if (value === undefined) return source ? defaultTargetName(source, context.startedAt) : undefined;
  const prefix = context.catalog.restoredTablePrefix;
  if (
    typeof value !== 'string' ||
    !TABLE_NAME.test(value) ||
    !value.startsWith(prefix) ||
    !value.slice(prefix.length).includes('-restored-')
  ) {
    problems.push(
      `targetTableName must be 3-255 of a-z A-Z 0-9 _ . - and look like ${prefix}<table>-restored-<suffix> (restores ` +
        `may only create tables matching ${prefix}*-restored-*); got ${JSON.stringify(value)}. Leave it out for ` +
        `<source>-restored-<yyyyMMddHHmmss>`,
    );
    return undefined;
  }
  if (findTable(context.catalog, value)) {
    problems.push(`targetTableName ${value} is one of the app's own tables; a restore always creates a new table`);
    return undefined;
  }
  return value;
}
