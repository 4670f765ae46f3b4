/**
 * Time to Live, locally: each sweep deletes every item whose TTL attribute (a Number, epoch seconds) is
 * at or before the clock's now. AWS deletes expired items in the background, typically within ~48 hours;
 * locally it happens exactly when `sweepExpiredItems()` runs, so tests and runs stay deterministic.
 */
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock';
import { LocalDynamoDbError } from './errors';
import { keyOf } from './item-keys';
import type { TableSettingsRegistry } from './table-settings';
import type { UpstreamClient } from './upstream-client';
import { describeTableOrUndefined, scanAll } from './upstream-tables';
import type { WriteRecorder } from './write-recorder';

/** AWS ignores TTL values more than five years in the past (they are probably not epoch seconds). */
const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 60 * 60;

export interface TtlSweepDependencies {
  readonly clock: Clock;
  readonly upstream: UpstreamClient;
  readonly settings: TableSettingsRegistry;
  readonly recorder: WriteRecorder;
}

/** Deletes expired items on every TTL-enabled table; returns how many were deleted. */
export async function sweepExpiredItems(deps: TtlSweepDependencies): Promise<number> {
  const nowSeconds = deps.clock.now() / 1000;
  let deleted = 0;
  for (const { tableName, attributeName } of deps.settings.ttlTables()) {
    if (deps.settings.isCreating(tableName)) continue;
    try {
      deleted += await sweepTable(deps, tableName, attributeName, nowSeconds);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new LocalDynamoDbError(`TTL sweep of table ${tableName} failed (${reason})`, { cause: error });
    }
  }
  return deleted;
}

async function sweepTable(
  deps: TtlSweepDependencies,
  tableName: string,
  attributeName: string,
  nowSeconds: number,
): Promise<number> {
  const table = await describeTableOrUndefined(deps.upstream, tableName);
  if (!table) return 0;
  const keySchema = table.KeySchema as KeySchemaElement[];
  let deleted = 0;
  for (const item of await scanAll(deps.upstream, tableName)) {
    const ttl = item[attributeName];
    const expiresAt = typeof ttl?.N === 'string' ? Number(ttl.N) : Number.NaN;
    if (!(expiresAt <= nowSeconds) || expiresAt < nowSeconds - FIVE_YEARS_SECONDS) continue;
    if (await deps.recorder.deleteExpired(tableName, keyOf(item, keySchema), attributeName, ttl)) deleted++;
  }
  return deleted;
}
