/**
 * Backups the emulator keeps itself: on-demand (USER) backups from CreateBackup, kept until DeleteBackup, and
 * the SYSTEM backups AWS leaves behind when a PITR-enabled table is deleted (`<table>$DeletedTableBackup`,
 * kept 35 days).
 */
import { randomBytes } from 'node:crypto';
import type { CreateTableBody } from './table-schema';
import { toEpochSeconds, type WireBody, type WireItem } from './wire';

export const SYSTEM_BACKUP_RETENTION_MS = 35 * 24 * 60 * 60 * 1000;

export interface StoredBackup {
  readonly backupArn: string;
  readonly backupName: string;
  readonly backupType: 'SYSTEM' | 'USER';
  readonly tableName: string;
  readonly tableArn: string;
  readonly tableId: string;
  readonly tableCreatedAt: number;
  readonly createdAt: number;
  readonly expiresAt: number | undefined;
  /** When the backup becomes AVAILABLE (CREATING before), epoch ms on the clock. @default createdAt */
  readonly availableAt?: number;
  /** CreateTable body of the source (keys, indexes, billing), used by RestoreTableFromBackup. */
  readonly schema: CreateTableBody;
  readonly items: WireItem[];
  readonly sizeBytes: number;
}

export interface ListBackupsFilter {
  readonly tableName?: string;
  readonly backupType?: string;
  readonly lowerBoundMs?: number;
  readonly upperBoundMs?: number;
  readonly exclusiveStartBackupArn?: string;
  readonly limit?: number;
}

export class BackupStore {
  private backups: StoredBackup[] = [];

  constructor(initial: readonly StoredBackup[] = []) {
    this.backups = [...initial];
  }

  /** Keeps the last state of a deleted PITR table, as AWS does, under `<table>$DeletedTableBackup`. */
  addDeletedTableBackup(input: {
    table: WireBody;
    schema: CreateTableBody;
    items: WireItem[];
    now: number;
  }): StoredBackup {
    const tableArn = String(input.table.TableArn);
    const backup: StoredBackup = {
      backupArn: `${tableArn}/backup/${String(input.now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
      backupName: `${input.table.TableName}$DeletedTableBackup`,
      backupType: 'SYSTEM',
      tableName: String(input.table.TableName),
      tableArn,
      tableId: String(input.table.TableId ?? ''),
      tableCreatedAt: Math.round(Number(input.table.CreationDateTime ?? 0) * 1000),
      createdAt: input.now,
      expiresAt: input.now + SYSTEM_BACKUP_RETENTION_MS,
      schema: input.schema,
      items: input.items,
      sizeBytes: Buffer.byteLength(JSON.stringify(input.items)),
    };
    this.backups.push(backup);
    return backup;
  }

  /** An on-demand backup of the table's items as they are now; CREATING until `availableAt`. */
  addUserBackup(input: {
    table: WireBody;
    backupName: string;
    schema: CreateTableBody;
    items: WireItem[];
    now: number;
    availableAt: number;
  }): StoredBackup {
    const tableArn = String(input.table.TableArn);
    const backup: StoredBackup = {
      backupArn: `${tableArn}/backup/${String(input.now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
      backupName: input.backupName,
      backupType: 'USER',
      tableName: String(input.table.TableName),
      tableArn,
      tableId: String(input.table.TableId ?? ''),
      tableCreatedAt: Math.round(Number(input.table.CreationDateTime ?? 0) * 1000),
      createdAt: input.now,
      expiresAt: undefined,
      availableAt: input.availableAt,
      schema: input.schema,
      items: input.items,
      sizeBytes: Buffer.byteLength(JSON.stringify(input.items)),
    };
    this.backups.push(backup);
    return backup;
  }

  /** DeleteBackup: removes the backup and returns it, or undefined when there is none. */
  delete(backupArn: string, now: number): StoredBackup | undefined {
    const backup = this.find(backupArn, now);
    if (backup) this.backups = this.backups.filter((candidate) => candidate !== backup);
    return backup;
  }

  /** The backup, unless it does not exist or has expired by `now`. */
  find(backupArn: string, now: number): StoredBackup | undefined {
    this.dropExpired(now);
    return this.backups.find((backup) => backup.backupArn === backupArn);
  }

  /** ListBackups semantics: USER by default, lower bound inclusive, upper bound exclusive, oldest first. */
  list(filter: ListBackupsFilter, now: number): { page: StoredBackup[]; lastEvaluatedBackupArn?: string } {
    this.dropExpired(now);
    const type = filter.backupType ?? 'USER';
    const matching = this.backups
      .filter((backup) => type === 'ALL' || backup.backupType === type)
      .filter((backup) => filter.tableName === undefined || backup.tableName === filter.tableName)
      .filter((backup) => filter.lowerBoundMs === undefined || backup.createdAt >= filter.lowerBoundMs)
      .filter((backup) => filter.upperBoundMs === undefined || backup.createdAt < filter.upperBoundMs)
      .sort((a, b) => a.createdAt - b.createdAt || a.backupArn.localeCompare(b.backupArn));
    const start = filter.exclusiveStartBackupArn
      ? matching.findIndex((backup) => backup.backupArn === filter.exclusiveStartBackupArn) + 1
      : 0;
    const limit = filter.limit ?? matching.length;
    const page = matching.slice(start, start + limit);
    const more = start + limit < matching.length;
    return more ? { page, lastEvaluatedBackupArn: page.at(-1)?.backupArn } : { page };
  }

  all(): readonly StoredBackup[] {
    return this.backups;
  }

  private dropExpired(now: number): void {
    this.backups = this.backups.filter((backup) => backup.expiresAt === undefined || backup.expiresAt > now);
  }
}

/** CREATING until the backup's `availableAt`, AVAILABLE after (SYSTEM backups are available at once). */
export function backupStatusOf(backup: StoredBackup, now: number): 'CREATING' | 'AVAILABLE' {
  return now < (backup.availableAt ?? backup.createdAt) ? 'CREATING' : 'AVAILABLE';
}

export function backupSummaryOf(backup: StoredBackup, now: number): WireBody {
  return {
    TableName: backup.tableName,
    TableId: backup.tableId,
    TableArn: backup.tableArn,
    BackupArn: backup.backupArn,
    BackupName: backup.backupName,
    BackupCreationDateTime: toEpochSeconds(backup.createdAt),
    ...(backup.expiresAt !== undefined ? { BackupExpiryDateTime: toEpochSeconds(backup.expiresAt) } : {}),
    BackupStatus: backupStatusOf(backup, now),
    BackupType: backup.backupType,
    BackupSizeBytes: backup.sizeBytes,
  };
}

export function backupDescriptionOf(backup: StoredBackup, now: number): WireBody {
  const provisioned = backup.schema.BillingMode === 'PROVISIONED';
  return {
    BackupDescription: {
      BackupDetails: backupDetailsOf(backupSummaryOf(backup, now)),
      SourceTableDetails: {
        TableName: backup.tableName,
        TableId: backup.tableId,
        TableArn: backup.tableArn,
        TableSizeBytes: backup.sizeBytes,
        KeySchema: backup.schema.KeySchema,
        TableCreationDateTime: toEpochSeconds(backup.tableCreatedAt),
        ProvisionedThroughput: provisioned
          ? backup.schema.ProvisionedThroughput
          : { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        ItemCount: backup.items.length,
        BillingMode: backup.schema.BillingMode,
      },
      SourceTableFeatureDetails: {
        ...(backup.schema.GlobalSecondaryIndexes
          ? { GlobalSecondaryIndexes: backup.schema.GlobalSecondaryIndexes }
          : {}),
        ...(backup.schema.LocalSecondaryIndexes ? { LocalSecondaryIndexes: backup.schema.LocalSecondaryIndexes } : {}),
      },
    },
  };
}

/** The BackupDetails members of a summary (CreateBackup answers with these alone). */
export function backupDetailsOf(summary: WireBody): WireBody {
  const {
    BackupArn,
    BackupName,
    BackupSizeBytes,
    BackupStatus,
    BackupType,
    BackupCreationDateTime,
    BackupExpiryDateTime,
  } = summary;
  return {
    BackupArn,
    BackupName,
    BackupSizeBytes,
    BackupStatus,
    BackupType,
    BackupCreationDateTime,
    ...(BackupExpiryDateTime !== undefined ? { BackupExpiryDateTime } : {}),
  };
}
