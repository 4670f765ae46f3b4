/**
 * Key schemas of the tables behind the proxy, so any item's key (and lock key) can be computed: from PITR
 * when it records the table, else from one DescribeTable, cached until a table lifecycle call (create,
 * delete, restore) may have changed it.
 */
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { canonicalKey } from './item-keys';
import type { PitrEmulator } from './pitr-emulator';
import type { UpstreamClient } from './upstream-client';
import { describeTableOrUndefined } from './upstream-tables';
import type { WireBody, WireItem } from './wire';

export type KeySchema = readonly KeySchemaElement[];

/** Calls after which a cached schema may be stale. */
export const TABLE_LIFECYCLE_OPERATIONS = new Set([
  'CreateTable',
  'DeleteTable',
  'RestoreTableToPointInTime',
  'RestoreTableFromBackup',
]);

export class KeySchemas {
  private readonly described = new Map<string, WireBody>();

  constructor(
    private readonly upstream: UpstreamClient,
    private readonly pitr: PitrEmulator,
  ) {}

  /** The table's key schema, or undefined when the table does not exist. */
  async of(tableName: string): Promise<KeySchema | undefined> {
    return this.pitr.keySchemaOf(tableName) ?? ((await this.describe(tableName))?.KeySchema as KeySchema | undefined);
  }

  /** DescribeTable's `Table` (cached), or undefined when the table does not exist. */
  async describe(tableName: string): Promise<WireBody | undefined> {
    const cached = this.described.get(tableName);
    if (cached) return cached;
    const table = await describeTableOrUndefined(this.upstream, tableName);
    if (table?.TableStatus === 'ACTIVE') this.described.set(tableName, table);
    return table;
  }

  forgetAll(): void {
    this.described.clear();
  }
}

/** One lock key per item: table name and the canonical key (`{"N":"1.0"}` and `{"N":"1"}` are one item). */
export function lockKeyOf(tableName: string, key: WireItem, schema: KeySchema): string {
  return `${tableName}\u0000${canonicalKey(key, schema)}`;
}
