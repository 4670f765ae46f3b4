import { RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ordersTable, START, startHarness } from './harness';

const operations = fc.array(
  fc.record({
    kind: fc.constantFrom('put', 'update', 'delete'),
    key: fc.constantFrom('a', 'b', 'c'),
    value: fc.nat(999),
    gapMs: fc.nat(3_000),
    returnValues: fc.constantFrom('NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'),
  }),
  { minLength: 1, maxLength: 15 },
);

describe('restore through the SDK (property)', () => {
  it('restores exactly the state a model predicts for any second in the window', async () => {
    await fc.assert(
      fc.asyncProperty(operations, fc.double({ min: 0, max: 1, noNaN: true }), async (ops, pick) => {
        // Prepare
        const h = await startHarness({ latestRestorableLagSeconds: 0, restoreDurationMs: 0 });
        try {
          await h.db.createTable(ordersTable());
          const model: Array<{ at: number; key: string; value: number | null }> = [];
          for (const op of ops) {
            h.clock.advance(op.gapMs);
            const Key = { pk: op.key };
            if (op.kind === 'put') {
              await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { ...Key, v: op.value } }));
            } else if (op.kind === 'update') {
              await h.doc.send(
                new UpdateCommand({
                  TableName: 'Orders',
                  Key,
                  UpdateExpression: 'SET v = :v',
                  ExpressionAttributeValues: { ':v': op.value },
                  ReturnValues: op.returnValues,
                }),
              );
            } else {
              await h.doc.send(new DeleteCommand({ TableName: 'Orders', Key }));
            }
            model.push({ at: h.clock.now(), key: op.key, value: op.kind === 'delete' ? null : op.value });
          }
          const latest = h.clock.now();
          const restoreAt = Math.max(START, Math.floor(START + pick * (latest - START)));

          // Act
          await h.client.send(
            new RestoreTableToPointInTimeCommand({
              SourceTableName: 'Orders',
              TargetTableName: 'Restored',
              RestoreDateTime: new Date(restoreAt),
            }),
          );
          const scan = await h.doc.send(new ScanCommand({ TableName: 'Restored', ConsistentRead: true }));

          // Assess
          const cutoff = Math.min(Math.floor(restoreAt / 1000) * 1000 + 999, latest);
          const expected = new Map<string, number>();
          for (const entry of model.filter((candidate) => candidate.at <= cutoff)) {
            if (entry.value === null) expected.delete(entry.key);
            else expected.set(entry.key, entry.value);
          }
          const actual = new Map((scan.Items ?? []).map((item) => [item.pk as string, item.v as number]));
          expect(actual).toEqual(expected);
        } finally {
          await h.stop();
        }
      }),
      { numRuns: 20 },
    );
  });
});
