/**
 * The cutover's write holds, as the API honours them: while `cutover-table` copies into a protected table it keeps
 * a `writes#<tableId>` item in the coordination table, and every route that writes that table answers 503
 * `MaintenanceError` instead of writing (a write now would be overwritten by the copy, or mixed into it).
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { fromAwsError, MaintenanceError } from '../shared/errors';

/** The tables the API writes, by the ids the cutover holds them under. */
export type HeldTableId = 'auditLog' | 'rdsApprovals';

export interface WriteHoldCheck {
  readonly dynamo: DynamoDBDocumentClient;
  readonly coordinationTable: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

interface WriteHoldItem {
  readonly table?: string;
  readonly reason?: string;
  readonly executionArn?: string;
  readonly since?: string;
  /** Epoch seconds: an expired hold (its execution could not release it) no longer holds. */
  readonly expiresAt?: number;
}

/** Refuses with MaintenanceError when a cutover holds the writes of one of `tables`. */
export async function assertWritable(tables: readonly HeldTableId[], check: WriteHoldCheck): Promise<void> {
  for (const tableId of tables) {
    let hold: WriteHoldItem | undefined;
    try {
      const { Item } = await check.dynamo.send(
        new GetCommand({ TableName: check.coordinationTable, Key: { key: `writes#${tableId}` }, ConsistentRead: true }),
      );
      hold = Item as WriteHoldItem | undefined;
    } catch (error) {
      throw fromAwsError(error, `Reading the write hold of ${tableId}`);
    }
    if (!hold || Number(hold.expiresAt) * 1000 <= check.now()) continue;
    const table = hold.table ?? tableId;
    throw new MaintenanceError(
      table,
      `Writes to ${table} are paused by a disaster-recovery cutover (${hold.reason ?? 'cutover-table'}, ` +
        `execution ${hold.executionArn ?? 'unknown'}, since ${hold.since ?? 'unknown'}); nothing changed. ` +
        'Try again when the cutover has ended.',
    );
  }
}
