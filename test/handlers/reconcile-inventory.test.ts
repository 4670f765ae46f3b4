import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseReconcileInput, reconcileInventory } from '../../handlers/inventory/reconcile-inventory';
import { ConflictError, InvalidInputError, ThrottledError } from '../../handlers/shared/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const deps = {
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  inventoryTable: 'rds-inventory',
};
const input = { refreshId: 'refresh-2', startedAt: '2026-01-01T00:00:00.000Z', instancesSeen: 2 };

describe('reconcile-inventory', () => {
  beforeEach(() => ddb.reset());

  it('marks instances not seen by this refresh as MISSING, across scan pages, with conditional writes', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [
          { instanceId: 'db-a', lastSeenAt: '2026-01-01T00:00:05.000Z', status: 'available' },
          { instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' },
        ],
        LastEvaluatedKey: { instanceId: 'db-b' },
      })
      .resolvesOnce({ Items: [{ instanceId: 'db-c', lastSeenAt: '2025-12-31T23:30:00.000Z', status: 'MISSING' }] });
    ddb.on(UpdateCommand).resolves({});

    const result = await reconcileInventory(input, deps);

    expect(result).toEqual({ scanned: 3, markedMissing: 1, alreadyMissing: 1 });
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(2, ScanCommand, { ExclusiveStartKey: { instanceId: 'db-b' } });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { instanceId: 'db-b' },
      ConditionExpression: expect.stringContaining('lastSeenAt < :since'),
      ExpressionAttributeValues: expect.objectContaining({ ':missing': 'MISSING', ':since': input.startedAt }),
    });
  });

  it('skips an instance saved by a concurrent refresh (the conditional write fails)', async () => {
    ddb
      .on(ScanCommand)
      .resolves({ Items: [{ instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }] });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    const result = await reconcileInventory(input, deps);

    expect(result.markedMissing).toBe(0);
  });

  it('refuses to mark a populated inventory MISSING from an empty listing', async () => {
    ddb
      .on(ScanCommand)
      .resolves({ Items: [{ instanceId: 'db-b', lastSeenAt: '2025-12-31T23:45:00.000Z', status: 'available' }] });

    await expect(reconcileInventory({ ...input, instancesSeen: 0 }, deps)).rejects.toBeInstanceOf(ConflictError);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('reports throttling as ThrottledError so the workflow retries it', async () => {
    ddb.on(ScanCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(reconcileInventory(input, deps)).rejects.toBeInstanceOf(ThrottledError);
  });

  it('rejects malformed input with InvalidInputError naming every problem', () => {
    expect(() => parseReconcileInput({ refreshId: '', startedAt: 'yesterday' })).toThrow(InvalidInputError);
    expect(() => parseReconcileInput({ refreshId: '', startedAt: 'yesterday' })).toThrow(
      /refreshId.*startedAt.*instancesSeen/,
    );
  });
});
