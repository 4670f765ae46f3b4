/**
 * Inventory refresh, last step: every instance in rds-inventory that no listing has seen since this
 * refresh started (its `lastSeenAt` is older than `startedAt`) becomes `status: MISSING`. Comparing
 * observation times rather than refresh ids keeps a concurrent refresh from making present instances
 * MISSING, and the conditional write re-checks it against whatever was saved meanwhile.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { ConflictError, fromAwsError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { type TaskInvocation, withErrorHandling } from '../shared/with-error-handling';

export interface ReconcileInventoryInput {
  readonly refreshId: string;
  /** ISO time the refresh started: instances not listed since then are missing; becomes `missingSince`. */
  readonly startedAt: string;
  /** How many instances the listing returned; 0 with a non-empty inventory is refused (see below). */
  readonly instancesSeen: number;
  readonly correlationId?: string;
}

export interface ReconcileInventoryOutput {
  readonly scanned: number;
  readonly markedMissing: number;
  readonly alreadyMissing: number;
}

export const MISSING = 'MISSING';

const ReconcileInputSchema = z.object({
  refreshId: z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' }),
  startedAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-01-01T00:00:00.000Z' }),
  instancesSeen: z
    .number({ error: 'must be a whole number >= 0' })
    .int({ error: 'must be a whole number >= 0' })
    .min(0, { error: 'must be a whole number >= 0' }),
  correlationId: z.string().optional(),
});

export function parseReconcileInput(input: unknown): ReconcileInventoryInput {
  return parseWith(ReconcileInputSchema, input, 'reconcile-inventory input');
}

export interface ReconcileDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly inventoryTable: string;
}

/** The work itself, with its dependencies passed in (the Lambda entry below supplies them from the environment). */
export async function reconcileInventory(
  input: ReconcileInventoryInput,
  deps: ReconcileDependencies,
  invocation?: Pick<TaskInvocation, 'logger'>,
): Promise<ReconcileInventoryOutput> {
  let scanned = 0;
  let markedMissing = 0;
  let alreadyMissing = 0;
  const stale: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    let page: ScanCommandOutput;
    try {
      page = await deps.dynamo.send(
        new ScanCommand({
          TableName: deps.inventoryTable,
          ProjectionExpression: 'instanceId, lastSeenAt, #status',
          ExpressionAttributeNames: { '#status': 'status' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (error) {
      throw fromAwsError(error, `Scanning ${deps.inventoryTable}`);
    }
    for (const item of page.Items ?? []) {
      scanned += 1;
      if (wasListedSince(item.lastSeenAt, input.startedAt)) continue;
      if (item.status === MISSING) alreadyMissing += 1;
      else stale.push(String(item.instanceId));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  // An empty listing against a populated inventory is far likelier a wrong region or a permission
  // problem than a fleet that vanished; refusing keeps the inventory instead of marking it all MISSING.
  if (input.instancesSeen === 0 && stale.length > 0) {
    throw new ConflictError(
      `Refresh ${input.refreshId} listed no RDS instances but the inventory holds ${stale.length} present ones; ` +
        'refusing to mark them all MISSING. Check the workflow region and its rds:DescribeDBInstances permission.',
    );
  }

  for (const instanceId of stale) {
    try {
      await deps.dynamo.send(
        new UpdateCommand({
          TableName: deps.inventoryTable,
          Key: { instanceId },
          UpdateExpression: 'SET #status = :missing, missingSince = :since, missingInRefreshId = :refreshId',
          ConditionExpression:
            'attribute_exists(instanceId) AND (attribute_not_exists(lastSeenAt) OR lastSeenAt < :since) AND #status <> :missing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':missing': MISSING, ':since': input.startedAt, ':refreshId': input.refreshId },
        }),
      );
      markedMissing += 1;
    } catch (error) {
      // Seen by this refresh meanwhile, deleted, or marked by a concurrent run: nothing to do.
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') continue;
      throw fromAwsError(error, `Marking ${instanceId} missing`);
    }
  }
  invocation?.logger.info('inventory reconciled', {
    refreshId: input.refreshId,
    scanned,
    markedMissing,
    alreadyMissing,
  });
  return { scanned, markedMissing, alreadyMissing };
}

/**
 * Listed at or after this refresh started, by this refresh or a concurrent one. An earlier refresh that
 * has finished listed strictly before this one started. ISO-8601 UTC times of one format compare as
 * strings; a missing `lastSeenAt` was never listed.
 */
function wasListedSince(lastSeenAt: unknown, startedAt: string): boolean {
  return typeof lastSeenAt === 'string' && lastSeenAt >= startedAt;
}

export const handler = withErrorHandling('reconcile-inventory', async (input: unknown, invocation) => {
  const inventoryTable = requireEnv('INVENTORY_TABLE_NAME');
  invocation.annotate({ table: inventoryTable });
  return reconcileInventory(parseReconcileInput(input), { dynamo: dynamo(), inventoryTable }, invocation);
});
