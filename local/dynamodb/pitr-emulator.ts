/**
 * Point-in-time recovery for dynalite: records every write to PITR-enabled tables (baseline + log, see
 * `TableHistory`), answers the recovery window like AWS, and restores a table as of any second in it.
 */
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock';
import type { BackupStore, StoredBackup } from './backup-store';
import { DynamoDbServiceError, isDynamoDbServiceError, serviceErrors } from './errors';
import { TableHistory, type TableHistoryJson, type WriteRecord } from './table-history';
import { type CreateTableBody, createTableBodyFrom, type RestoreOverrides } from './table-schema';
import type { RestoreInfo, TableSettingsRegistry } from './table-settings';
import type { UpstreamClient } from './upstream-client';
import { batchPutAll, describeTableOrUndefined, scanAll, waitUntilActive } from './upstream-tables';
import type { WireBody, WireItem } from './wire';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RECOVERY_PERIOD_DAYS = 35;

export interface PitrStatus {
  readonly tableName: string;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly recoveryPeriodInDays?: number;
  /** Epoch ms: max(time PITR was enabled, now - recovery period). */
  readonly earliestRestorableMs?: number;
  /** Epoch ms: now - the configured lag (AWS: about 5 minutes), never before the earliest time. */
  readonly latestRestorableMs?: number;
}

/** A point to restore to: epoch milliseconds, or the latest restorable time. */
export type RestorePoint = number | 'latest';

export interface PitrEmulatorOptions {
  readonly clock: Clock;
  readonly upstream: UpstreamClient;
  readonly settings: TableSettingsRegistry;
  readonly backups: BackupStore;
  readonly latestRestorableLagSeconds: number;
  readonly initial?: PitrStateJson;
}

export interface PitrStateJson {
  readonly tables: Record<string, { enabledAt: number; recoveryPeriodInDays: number; history: TableHistoryJson }>;
}

interface PitrTable {
  enabledAt: number;
  recoveryPeriodInDays: number;
  history: TableHistory;
}

export class PitrEmulator {
  private readonly clock: Clock;
  private readonly upstream: UpstreamClient;
  private readonly settings: TableSettingsRegistry;
  private readonly backups: BackupStore;
  private readonly lagMs: number;
  private readonly tables = new Map<string, PitrTable>();

  constructor(options: PitrEmulatorOptions) {
    this.clock = options.clock;
    this.upstream = options.upstream;
    this.settings = options.settings;
    this.backups = options.backups;
    this.lagMs = options.latestRestorableLagSeconds * 1000;
    for (const [name, saved] of Object.entries(options.initial?.tables ?? {})) {
      this.tables.set(name, {
        enabledAt: saved.enabledAt,
        recoveryPeriodInDays: saved.recoveryPeriodInDays,
        history: TableHistory.fromJSON(saved.history),
      });
    }
  }

  isEnabled(tableName: string): boolean {
    return this.tables.has(tableName);
  }

  /** The key schema PITR recorded for the table, when PITR is on. */
  keySchemaOf(tableName: string): readonly KeySchemaElement[] | undefined {
    return this.tables.get(tableName)?.history.keySchema;
  }

  /**
   * Turns PITR on. Recording starts at once; existing items become the baseline (one Scan), so the
   * earliest restorable time is when that scan finished. Enabling an enabled table only changes the period.
   */
  async enable(tableName: string, recoveryPeriodInDays = DEFAULT_RECOVERY_PERIOD_DAYS): Promise<PitrStatus> {
    if (!Number.isInteger(recoveryPeriodInDays) || recoveryPeriodInDays < 1 || recoveryPeriodInDays > 35) {
      throw serviceErrors.validation(
        `RecoveryPeriodInDays must be an integer between 1 and 35, got ${recoveryPeriodInDays}`,
      );
    }
    const table = await this.requireTable(tableName);
    if (this.settings.isCreating(tableName)) throw serviceErrors.continuousBackupsUnavailable(tableName);
    const existing = this.tables.get(tableName);
    if (existing) {
      existing.recoveryPeriodInDays = recoveryPeriodInDays;
      return this.statusOf(tableName);
    }
    const keySchema = table.KeySchema as KeySchemaElement[];
    const entry: PitrTable = {
      enabledAt: this.clock.now(),
      recoveryPeriodInDays,
      history: new TableHistory(tableName, keySchema, [], this.clock.now()),
    };
    this.tables.set(tableName, entry);
    const items = await scanAll(this.upstream, tableName);
    const scannedAt = this.clock.now();
    // Writes recorded while the scan ran may or may not be in it; replaying them on top is right either way.
    const history = new TableHistory(tableName, keySchema, items, entry.enabledAt);
    for (const record of entry.history.records) history.record(record.key, record.image, record.at);
    history.foldBefore(scannedAt);
    entry.history = history;
    entry.enabledAt = scannedAt;
    return this.statusOf(tableName);
  }

  /** Turns PITR off and drops the history, as AWS does (re-enabling starts a new window). */
  async disable(tableName: string): Promise<PitrStatus> {
    await this.requireTable(tableName);
    this.tables.delete(tableName);
    return this.statusOf(tableName);
  }

  /** DescribeContinuousBackups for an existing table. */
  async status(tableName: string): Promise<PitrStatus> {
    await this.requireTable(tableName);
    return this.statusOf(tableName);
  }

  /** Records a write (a new image, or null for a delete) if PITR is on for the table. */
  record(tableName: string, key: WireItem, image: WireItem | null): void {
    const entry = this.tables.get(tableName);
    if (!entry) return;
    entry.history.record(key, image, this.clock.now());
    this.prune(entry);
  }

  /** The recorded writes still in the log (older ones are folded into the baseline). */
  records(tableName: string): readonly WriteRecord[] {
    return this.tables.get(tableName)?.history.records ?? [];
  }

  /**
   * Restores `sourceTableName` as of `at` into a new table `targetTableName` with the source's keys,
   * indexes and billing (no TTL, streams, tags or PITR). Second precision: every write up to the end of
   * the requested second counts, capped at the latest restorable time.
   * @returns the new table's description (CREATING, with RestoreSummary), in wire form.
   */
  async restore(
    sourceTableName: string,
    targetTableName: string,
    at: RestorePoint,
    overrides: RestoreOverrides = {},
  ): Promise<WireBody> {
    const source = await describeTableOrUndefined(this.upstream, sourceTableName);
    if (!source || this.settings.isCreating(sourceTableName)) throw serviceErrors.tableNotFound(sourceTableName);
    await this.requireNoTable(targetTableName);
    const entry = this.tables.get(sourceTableName);
    if (!entry) throw serviceErrors.pitrUnavailable(sourceTableName);
    const { earliestRestorableMs, latestRestorableMs } = this.windowOf(entry);
    const requested = at === 'latest' ? latestRestorableMs : at;
    if (requested < earliestRestorableMs || requested > latestRestorableMs) {
      throw serviceErrors.invalidRestoreTime(
        `Restore time ${new Date(requested).toISOString()} is not within the restorable window of table ` +
          `'${sourceTableName}': choose a time between ${new Date(earliestRestorableMs).toISOString()} and ` +
          `${new Date(latestRestorableMs).toISOString()}`,
      );
    }
    entry.history.foldBefore(this.windowStartOf(entry));
    const cutoff = Math.min(Math.floor(requested / 1000) * 1000 + 999, latestRestorableMs);
    return this.createRestoredTable(
      createTableBodyFrom(source, targetTableName, overrides),
      entry.history.stateAt(cutoff),
      { sourceTableArn: String(source.TableArn), restoreDateTime: requested, startedAt: this.clock.now() },
    );
  }

  /** RestoreTableFromBackup: a new table with the backup's schema and items. */
  async restoreFromBackup(
    backupArn: string,
    targetTableName: string,
    overrides: RestoreOverrides = {},
  ): Promise<WireBody> {
    const backup = this.backups.find(backupArn, this.clock.now());
    if (!backup) throw serviceErrors.backupNotFound(backupArn);
    await this.requireNoTable(targetTableName);
    const schema = createTableBodyFrom(
      { ...backup.schema, BillingModeSummary: { BillingMode: backup.schema.BillingMode } },
      targetTableName,
      overrides,
    );
    return this.createRestoredTable(schema, backup.items, {
      sourceBackupArn: backup.backupArn,
      sourceTableArn: backup.tableArn,
      restoreDateTime: backup.createdAt,
      startedAt: this.clock.now(),
    });
  }

  /**
   * Before a DeleteTable: captures the table's last state when PITR is on. Call the returned function
   * once the delete succeeded to keep it as the `<table>$DeletedTableBackup` system backup.
   */
  async captureBeforeDelete(tableName: string): Promise<(() => StoredBackup) | undefined> {
    if (!this.tables.has(tableName)) return undefined;
    const table = await describeTableOrUndefined(this.upstream, tableName);
    if (!table) return undefined;
    const items = await scanAll(this.upstream, tableName);
    const schema = createTableBodyFrom(table, tableName);
    return () =>
      this.backups.addDeletedTableBackup({ table: this.settings.overlay(table), schema, items, now: this.clock.now() });
  }

  /** A deleted (or recreated) table loses its PITR history, as on AWS. */
  forget(tableName: string): void {
    this.tables.delete(tableName);
  }

  toJSON(): PitrStateJson {
    return {
      tables: Object.fromEntries(
        [...this.tables.entries()].map(([name, entry]) => [
          name,
          {
            enabledAt: entry.enabledAt,
            recoveryPeriodInDays: entry.recoveryPeriodInDays,
            history: entry.history.toJSON(),
          },
        ]),
      ),
    };
  }

  private async createRestoredTable(
    schema: CreateTableBody,
    items: readonly WireItem[],
    restore: RestoreInfo,
  ): Promise<WireBody> {
    try {
      await this.upstream.call('CreateTable', schema);
    } catch (error) {
      if (isDynamoDbServiceError(error, 'ResourceInUseException'))
        throw serviceErrors.tableAlreadyExists(schema.TableName);
      throw error;
    }
    this.tables.delete(schema.TableName);
    this.settings.reset(schema.TableName, { deletionProtection: false, createdAt: this.clock.now(), restore });
    await waitUntilActive(this.upstream, schema.TableName);
    await batchPutAll(this.upstream, schema.TableName, items);
    const table = await describeTableOrUndefined(this.upstream, schema.TableName);
    if (!table)
      throw new DynamoDbServiceError('InternalServerError', `Restored table ${schema.TableName} vanished`, 500);
    return this.settings.overlay(table);
  }

  private statusOf(tableName: string): PitrStatus {
    const entry = this.tables.get(tableName);
    if (!entry) return { tableName, status: 'DISABLED' };
    return { tableName, status: 'ENABLED', recoveryPeriodInDays: entry.recoveryPeriodInDays, ...this.windowOf(entry) };
  }

  private windowStartOf(entry: PitrTable): number {
    return this.clock.now() - entry.recoveryPeriodInDays * DAY_MS;
  }

  private windowOf(entry: PitrTable): { earliestRestorableMs: number; latestRestorableMs: number } {
    const earliestRestorableMs = Math.max(entry.enabledAt, this.windowStartOf(entry));
    const latestRestorableMs = Math.max(earliestRestorableMs, this.clock.now() - this.lagMs);
    return { earliestRestorableMs, latestRestorableMs };
  }

  private prune(entry: PitrTable): void {
    const oldest = entry.history.records[0];
    const windowStart = this.windowStartOf(entry);
    if (oldest && oldest.at < windowStart) entry.history.foldBefore(windowStart);
  }

  private async requireTable(tableName: string): Promise<WireBody> {
    const table = await describeTableOrUndefined(this.upstream, tableName);
    if (!table) throw serviceErrors.tableNotFound(tableName);
    return table;
  }

  private async requireNoTable(tableName: string): Promise<void> {
    if (await describeTableOrUndefined(this.upstream, tableName)) throw serviceErrors.tableAlreadyExists(tableName);
  }
}
