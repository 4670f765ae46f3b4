/**
 * The control-plane operations the proxy answers itself (PITR, backups, TTL) or post-processes
 * (CreateTable, DescribeTable, UpdateTable, DeleteTable), in AWS's request and response shapes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../clock';
import { accessKeyIdOf, type RecordedApiCall } from '../events/cloudtrail-events';
import { type BackupStore, backupDescriptionOf, backupDetailsOf, backupSummaryOf } from './backup-store';
import { DynamoDbServiceError, serviceErrors } from './errors';
import type { PitrEmulator, PitrStatus } from './pitr-emulator';
import { createTableBodyFrom, restoreOverridesOf } from './table-schema';
import type { TableSettingsRegistry } from './table-settings';
import { parseJson, type UpstreamClient } from './upstream-client';
import { describeTableOrUndefined, scanAll } from './upstream-tables';
import { fromEpochSeconds, tableNameOf, toEpochSeconds, type WireBody } from './wire';
import type { WriteReply } from './write-recorder';

export interface ControlPlaneDependencies {
  readonly clock: Clock;
  readonly upstream: UpstreamClient;
  readonly pitr: PitrEmulator;
  readonly settings: TableSettingsRegistry;
  readonly backups: BackupStore;
  /** How long an on-demand backup stays CREATING, in clock ms. */
  readonly backupDurationMs: number;
  /**
   * Told of every DeleteTable, successful or not, as CloudTrail records it (the runtime turns it into the
   * "AWS API Call via CloudTrail" event on the local bus). @default - not reported
   */
  readonly onApiCall?: (call: RecordedApiCall) => void;
}

type Handler = (request: {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: WireBody;
}) => Promise<WireBody | WriteReply>;

export class ControlPlane {
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly deps: ControlPlaneDependencies) {
    this.handlers = {
      UpdateContinuousBackups: ({ body }) => this.updateContinuousBackups(body),
      DescribeContinuousBackups: ({ body }) => this.describeContinuousBackups(body),
      RestoreTableToPointInTime: ({ body }) => this.restoreTableToPointInTime(body),
      CreateBackup: ({ body }) => this.createBackup(body),
      DeleteBackup: async ({ body }) => this.deleteBackup(body),
      ListBackups: async ({ body }) => this.listBackups(body),
      DescribeBackup: async ({ body }) => this.describeBackup(body),
      RestoreTableFromBackup: ({ body }) => this.restoreTableFromBackup(body),
      UpdateTimeToLive: ({ body }) => this.updateTimeToLive(body),
      DescribeTimeToLive: ({ body }) => this.describeTimeToLive(body),
      CreateTable: (request) => this.createTable(request.headers, request.raw, request.body),
      DescribeTable: (request) => this.describeTable(request.headers, request.raw),
      UpdateTable: (request) => this.updateTable(request.headers, request.body),
      DeleteTable: (request) => this.deleteTable(request.headers, request.raw, request.body),
    };
  }

  handles(operation: string): boolean {
    return Object.hasOwn(this.handlers, operation);
  }

  /** Runs the operation; a plain object is a 200 JSON answer, a `WriteReply` goes back as it is. */
  async handle(operation: string, headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const result = await this.handlers[operation]({ headers, raw, body });
    if (isReply(result)) return result;
    return { statusCode: 200, body: Buffer.from(JSON.stringify(result), 'utf8') };
  }

  private async updateContinuousBackups(body: WireBody): Promise<WireBody> {
    const tableName = requireTableName(body.TableName);
    const spec = body.PointInTimeRecoverySpecification as WireBody | undefined;
    if (typeof spec?.PointInTimeRecoveryEnabled !== 'boolean') {
      throw serviceErrors.validation(
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null",
      );
    }
    const status = spec.PointInTimeRecoveryEnabled
      ? await this.deps.pitr.enable(tableName, (spec.RecoveryPeriodInDays as number | undefined) ?? undefined)
      : await this.deps.pitr.disable(tableName);
    return { ContinuousBackupsDescription: continuousBackupsDescription(status) };
  }

  private async describeContinuousBackups(body: WireBody): Promise<WireBody> {
    const status = await this.deps.pitr.status(requireTableName(body.TableName));
    return { ContinuousBackupsDescription: continuousBackupsDescription(status) };
  }

  private async restoreTableToPointInTime(body: WireBody): Promise<WireBody> {
    const target = requireTableName(body.TargetTableName, 'TargetTableName');
    const source = tableNameOf(body.SourceTableArn ?? body.SourceTableName);
    if (!source) throw serviceErrors.validation('Either SourceTableArn or SourceTableName must be specified');
    const useLatest = body.UseLatestRestorableTime === true;
    if (useLatest && body.RestoreDateTime !== undefined) {
      throw serviceErrors.validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified');
    }
    if (!useLatest && body.RestoreDateTime === undefined) {
      throw serviceErrors.validation('Either RestoreDateTime or UseLatestRestorableTime must be specified');
    }
    const at = useLatest ? 'latest' : fromEpochSeconds(body.RestoreDateTime, 'RestoreDateTime');
    const table = await this.deps.pitr.restore(source, target, at, restoreOverridesOf(body));
    return { TableDescription: table };
  }

  private listBackups(body: WireBody): WireBody {
    const { page, lastEvaluatedBackupArn } = this.deps.backups.list(
      {
        tableName: tableNameOf(body.TableName),
        backupType: body.BackupType as string | undefined,
        lowerBoundMs:
          body.TimeRangeLowerBound === undefined
            ? undefined
            : fromEpochSeconds(body.TimeRangeLowerBound, 'TimeRangeLowerBound'),
        upperBoundMs:
          body.TimeRangeUpperBound === undefined
            ? undefined
            : fromEpochSeconds(body.TimeRangeUpperBound, 'TimeRangeUpperBound'),
        exclusiveStartBackupArn: body.ExclusiveStartBackupArn as string | undefined,
        limit: body.Limit as number | undefined,
      },
      this.deps.clock.now(),
    );
    return {
      BackupSummaries: page.map((backup) => backupSummaryOf(backup, this.deps.clock.now())),
      ...(lastEvaluatedBackupArn ? { LastEvaluatedBackupArn: lastEvaluatedBackupArn } : {}),
    };
  }

  private describeBackup(body: WireBody): WireBody {
    const backupArn = String(body.BackupArn ?? '');
    const backup = this.deps.backups.find(backupArn, this.deps.clock.now());
    if (!backup) throw serviceErrors.backupNotFound(backupArn);
    return backupDescriptionOf(backup, this.deps.clock.now());
  }

  /** An on-demand backup of the table as it is now; CREATING for `backupDurationMs`, then AVAILABLE. */
  private async createBackup(body: WireBody): Promise<WireBody> {
    const tableName = requireTableName(body.TableName);
    const backupName = body.BackupName;
    if (typeof backupName !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(backupName)) {
      throw serviceErrors.validation(
        `1 validation error detected: Value '${String(backupName)}' at 'backupName' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255',
      );
    }
    const table = await describeTableOrUndefined(this.deps.upstream, tableName);
    if (!table) throw serviceErrors.tableNotFound(tableName);
    if (this.deps.settings.isCreating(tableName)) throw serviceErrors.tableInUse(tableName);
    const now = this.deps.clock.now();
    const backup = this.deps.backups.addUserBackup({
      table: this.deps.settings.overlay(table),
      backupName,
      schema: createTableBodyFrom(table, tableName),
      items: await scanAll(this.deps.upstream, tableName),
      now,
      availableAt: now + this.deps.backupDurationMs,
    });
    return { BackupDetails: backupDetailsOf(backupSummaryOf(backup, now)) };
  }

  private deleteBackup(body: WireBody): WireBody {
    const backupArn = String(body.BackupArn ?? '');
    const now = this.deps.clock.now();
    const backup = this.deps.backups.delete(backupArn, now);
    if (!backup) throw serviceErrors.backupNotFound(backupArn);
    const description = backupDescriptionOf(backup, now) as { BackupDescription: WireBody };
    const details = description.BackupDescription.BackupDetails as WireBody;
    return {
      BackupDescription: { ...description.BackupDescription, BackupDetails: { ...details, BackupStatus: 'DELETED' } },
    };
  }

  private async restoreTableFromBackup(body: WireBody): Promise<WireBody> {
    const target = requireTableName(body.TargetTableName, 'TargetTableName');
    const table = await this.deps.pitr.restoreFromBackup(
      String(body.BackupArn ?? ''),
      target,
      restoreOverridesOf(body),
    );
    return { TableDescription: table };
  }

  private async updateTimeToLive(body: WireBody): Promise<WireBody> {
    const tableName = requireTableName(body.TableName);
    const spec = body.TimeToLiveSpecification as { Enabled?: unknown; AttributeName?: unknown } | undefined;
    if (typeof spec?.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string' || spec.AttributeName === '') {
      throw serviceErrors.validation('TimeToLiveSpecification needs Enabled (boolean) and a non-empty AttributeName');
    }
    await this.requireExistingTable(tableName);
    const current = this.deps.settings.get(tableName).ttlAttribute;
    if (spec.Enabled && current !== undefined) throw serviceErrors.validation('TimeToLive is already enabled');
    if (!spec.Enabled && current === undefined) throw serviceErrors.validation('TimeToLive is already disabled');
    this.deps.settings.update(tableName, { ttlAttribute: spec.Enabled ? spec.AttributeName : undefined });
    return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
  }

  private async describeTimeToLive(body: WireBody): Promise<WireBody> {
    const tableName = requireTableName(body.TableName);
    await this.requireExistingTable(tableName, false);
    const attributeName = this.deps.settings.get(tableName).ttlAttribute;
    return {
      TimeToLiveDescription:
        attributeName === undefined
          ? { TimeToLiveStatus: 'DISABLED' }
          : { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName },
    };
  }

  /** A new table never inherits settings or PITR history from an earlier table of the same name. */
  private async createTable(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const response = await this.deps.upstream.send(headers, raw);
    if (response.statusCode !== 200) return response;
    const tableName = String(body.TableName);
    this.deps.pitr.forget(tableName);
    this.deps.settings.reset(tableName, {
      deletionProtection: body.DeletionProtectionEnabled === true,
      createdAt: this.deps.clock.now(),
    });
    return this.overlaid(response.body, 'TableDescription');
  }

  private async describeTable(headers: IncomingHttpHeaders, raw: Buffer): Promise<WriteReply> {
    const response = await this.deps.upstream.send(headers, raw);
    if (response.statusCode !== 200) return response;
    return this.overlaid(response.body, 'Table');
  }

  /** dynalite rejects DeletionProtectionEnabled-only updates, so the proxy keeps that flag itself. */
  private async updateTable(headers: IncomingHttpHeaders, body: WireBody): Promise<WriteReply> {
    const tableName = requireTableName(body.TableName);
    await this.requireExistingTable(tableName);
    const { DeletionProtectionEnabled, ...rest } = body;
    if (typeof DeletionProtectionEnabled === 'boolean') {
      this.deps.settings.update(tableName, { deletionProtection: DeletionProtectionEnabled });
    }
    if (Object.keys(rest).every((field) => field === 'TableName')) {
      const table = await describeTableOrUndefined(this.deps.upstream, tableName);
      return jsonReply({ TableDescription: this.deps.settings.overlay(table ?? {}) });
    }
    const response = await this.deps.upstream.send(headers, Buffer.from(JSON.stringify(rest), 'utf8'));
    if (response.statusCode !== 200) return response;
    return this.overlaid(response.body, 'TableDescription');
  }

  /** DeleteTable, reported to `onApiCall` with its outcome, as CloudTrail records management calls. */
  private async deleteTable(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const tableName = tableNameOf(body.TableName);
    const table = tableName ? await describeTableOrUndefined(this.deps.upstream, tableName) : undefined;
    const record = (outcome: Partial<RecordedApiCall>) =>
      this.deps.onApiCall?.({
        service: 'dynamodb',
        operation: 'DeleteTable',
        at: this.deps.clock.now(),
        requestParameters: { tableName: body.TableName },
        resourceType: 'AWS::DynamoDB::Table',
        ...(table?.TableArn ? { resourceArn: String(table.TableArn) } : {}),
        accessKeyId: accessKeyIdOf(headers.authorization),
        userAgent: String(headers['user-agent'] ?? 'unknown'),
        requestId: randomUUID().replace(/-/g, '').toUpperCase(),
        ...outcome,
      });
    try {
      const reply = await this.deleteTableNow(headers, raw, body);
      if (reply.statusCode !== 200) {
        const error = parseJson(reply.body);
        record({
          errorCode: String(error.__type ?? 'Error')
            .split('#')
            .pop(),
          errorMessage: String(error.message ?? ''),
        });
      } else {
        const description = (parseJson(reply.body).TableDescription ?? {}) as WireBody;
        record({
          responseElements: {
            tableDescription: {
              tableName: description.TableName,
              tableArn: description.TableArn,
              tableId: description.TableId,
              tableStatus: description.TableStatus ?? 'DELETING',
            },
          },
        });
      }
      return reply;
    } catch (error) {
      const code = error instanceof DynamoDbServiceError ? error.code : 'InternalServerError';
      record({ errorCode: code, errorMessage: (error as Error).message });
      throw error;
    }
  }

  /** Honours deletion protection, and keeps a system backup of a PITR table's last state (35 days). */
  private async deleteTableNow(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const tableName = requireTableName(body.TableName);
    if (this.deps.settings.get(tableName).deletionProtection) {
      throw serviceErrors.validation(
        `1 validation error detected: Table '${tableName}' can't be deleted while DeletionProtectionEnabled is set to True`,
      );
    }
    if (this.deps.settings.isCreating(tableName)) {
      throw serviceErrors.resourceInUse(
        `Attempt to change a resource which is still in use: Table is being created: ${tableName}`,
      );
    }
    const keepBackup = await this.deps.pitr.captureBeforeDelete(tableName);
    const response = await this.deps.upstream.send(headers, raw);
    if (response.statusCode !== 200) return response;
    keepBackup?.();
    this.deps.pitr.forget(tableName);
    this.deps.settings.forget(tableName);
    return response;
  }

  private overlaid(body: Buffer, field: 'Table' | 'TableDescription'): WriteReply {
    const parsed = parseJson(body);
    const table = parsed[field] as WireBody | undefined;
    if (table) parsed[field] = this.deps.settings.overlay(table);
    return jsonReply(parsed);
  }

  /** ResourceNotFoundException as dynalite and AWS report it; a restoring table counts as in use. */
  private async requireExistingTable(tableName: string, rejectCreating = true): Promise<void> {
    if (!(await describeTableOrUndefined(this.deps.upstream, tableName))) {
      throw serviceErrors.resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
    }
    if (rejectCreating && this.deps.settings.isCreating(tableName)) {
      throw serviceErrors.resourceInUse(
        `Attempt to change a resource which is still in use: Table is being created: ${tableName}`,
      );
    }
  }
}

function continuousBackupsDescription(status: PitrStatus): WireBody {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription:
      status.status === 'ENABLED'
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: status.recoveryPeriodInDays,
            EarliestRestorableDateTime: toEpochSeconds(status.earliestRestorableMs!),
            LatestRestorableDateTime: toEpochSeconds(status.latestRestorableMs!),
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

function requireTableName(value: unknown, field = 'TableName'): string {
  const name = tableNameOf(value);
  if (!name) {
    throw new DynamoDbServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return name;
}

function jsonReply(body: WireBody): WriteReply {
  return { statusCode: 200, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

function isReply(value: WireBody | WriteReply): value is WriteReply {
  return Buffer.isBuffer((value as WriteReply).body) && typeof (value as WriteReply).statusCode === 'number';
}
