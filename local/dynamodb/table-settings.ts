/**
 * Per-table settings dynalite does not keep (deletion protection, TTL, restore status, creation time on
 * the runtime clock), and the DescribeTable overlay that reports them the way AWS does.
 */
import type { Clock } from '../clock';
import { toEpochSeconds, type WireBody } from './wire';

export interface RestoreInfo {
  readonly sourceTableArn?: string;
  readonly sourceBackupArn?: string;
  /** The point in time (or backup creation time) the data was restored to, epoch ms. */
  readonly restoreDateTime: number;
  /** When the restore started, epoch ms on the clock; the table is CREATING for `restoreDurationMs` after it. */
  readonly startedAt: number;
}

export interface TableSettings {
  readonly deletionProtection: boolean;
  /** The TTL attribute when TTL is enabled. */
  readonly ttlAttribute?: string;
  readonly restore?: RestoreInfo;
  /** Creation time on the runtime clock (dynalite stamps wall-clock time). */
  readonly createdAt?: number;
}

const DEFAULT_SETTINGS: TableSettings = { deletionProtection: false };

export class TableSettingsRegistry {
  private readonly settings: Map<string, TableSettings>;

  constructor(
    private readonly clock: Clock,
    private readonly restoreDurationMs: number,
    initial: Record<string, TableSettings> = {},
  ) {
    this.settings = new Map(Object.entries(initial));
  }

  get(tableName: string): TableSettings {
    return this.settings.get(tableName) ?? DEFAULT_SETTINGS;
  }

  update(tableName: string, patch: Partial<TableSettings>): TableSettings {
    const next = { ...this.get(tableName), ...patch };
    this.settings.set(tableName, next);
    return next;
  }

  /** A new or deleted table starts from defaults, as on AWS (settings never carry over to a new table). */
  reset(tableName: string, settings: TableSettings = DEFAULT_SETTINGS): void {
    this.settings.set(tableName, settings);
  }

  forget(tableName: string): void {
    this.settings.delete(tableName);
  }

  /** A restored table stays CREATING until `restoreDurationMs` has passed on the clock. */
  isCreating(tableName: string): boolean {
    const restore = this.get(tableName).restore;
    return restore !== undefined && this.clock.now() - restore.startedAt < this.restoreDurationMs;
  }

  /** Tables with TTL enabled, with their TTL attribute. */
  ttlTables(): Array<{ tableName: string; attributeName: string }> {
    return [...this.settings.entries()]
      .filter(([, settings]) => settings.ttlAttribute !== undefined)
      .map(([tableName, settings]) => ({ tableName, attributeName: settings.ttlAttribute! }));
  }

  /** Adds what AWS reports and dynalite cannot: restore status, deletion protection, clock-based creation time. */
  overlay(table: WireBody): WireBody {
    const name = String(table.TableName);
    const settings = this.get(name);
    const creating = this.isCreating(name);
    const overlaid: WireBody = { ...table, DeletionProtectionEnabled: settings.deletionProtection };
    if (settings.createdAt !== undefined) overlaid.CreationDateTime = toEpochSeconds(settings.createdAt);
    if (settings.restore) {
      overlaid.RestoreSummary = {
        ...(settings.restore.sourceBackupArn ? { SourceBackupArn: settings.restore.sourceBackupArn } : {}),
        ...(settings.restore.sourceTableArn ? { SourceTableArn: settings.restore.sourceTableArn } : {}),
        RestoreDateTime: toEpochSeconds(settings.restore.restoreDateTime),
        RestoreInProgress: creating,
      };
      if (creating) {
        overlaid.TableStatus = 'CREATING';
        if (Array.isArray(table.GlobalSecondaryIndexes)) {
          overlaid.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.map((index: WireBody) => ({
            ...index,
            IndexStatus: 'CREATING',
          }));
        }
      }
    }
    return overlaid;
  }

  toJSON(): Record<string, TableSettings> {
    return Object.fromEntries(this.settings);
  }
}
