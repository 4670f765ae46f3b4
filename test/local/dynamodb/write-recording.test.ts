import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

describe('write recording for PITR tables', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  async function prepareOrder() {
    h = await startHarness();
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW', total: 10 } }));
  }

  const update = (ReturnValues: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW' | undefined) =>
    new UpdateCommand({
      TableName: 'Orders',
      Key: { pk: 'o-1' },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'PAID' },
      ...(ReturnValues ? { ReturnValues } : {}),
    });

  it.each([
    [undefined, undefined],
    ['NONE', undefined],
    ['ALL_OLD', { pk: 'o-1', status: 'NEW', total: 10 }],
    ['UPDATED_OLD', { status: 'NEW' }],
    ['ALL_NEW', { pk: 'o-1', status: 'PAID', total: 10 }],
    ['UPDATED_NEW', { status: 'PAID' }],
  ] as const)(
    'UpdateItem with ReturnValues %s answers what was asked and records the new image',
    async (asked, expected) => {
      // Prepare
      await prepareOrder();

      // Act
      const response = await h.doc.send(update(asked));

      // Assess
      expect(response.Attributes).toEqual(expected);
      const last = h.db.pitr.records('Orders').at(-1);
      expect(last?.image).toEqual({ pk: { S: 'o-1' }, status: { S: 'PAID' }, total: { N: '10' } });
      expect(last?.key).toEqual({ pk: { S: 'o-1' } });
    },
  );

  it('records nothing for a failed conditional write and surfaces ConditionalCheckFailedException', async () => {
    // Prepare
    await prepareOrder();
    const recordsBefore = h.db.pitr.records('Orders').length;

    // Act
    const error = await errorOf(
      h.doc.send(
        new PutCommand({
          TableName: 'Orders',
          Item: { pk: 'o-1', status: 'HIJACKED' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    const updateError = await errorOf(
      h.doc.send(
        new UpdateCommand({
          TableName: 'Orders',
          Key: { pk: 'o-1' },
          UpdateExpression: 'SET #t = :t',
          ConditionExpression: '#t > :min',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: { ':t': 0, ':min': 100 },
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(updateError.name).toBe('ConditionalCheckFailedException');
    expect(h.db.pitr.records('Orders')).toHaveLength(recordsBefore);
    const item = await h.doc.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'o-1' } }));
    expect(item.Item).toEqual({ pk: 'o-1', status: 'NEW', total: 10 });
  });

  it('records a tombstone for DeleteItem', async () => {
    // Prepare
    await prepareOrder();
    h.clock.advance(1_000);

    // Act
    await h.doc.send(new DeleteCommand({ TableName: 'Orders', Key: { pk: 'o-1' } }));

    // Assess
    expect(h.db.pitr.records('Orders').at(-1)).toEqual(
      expect.objectContaining({ tableName: 'Orders', key: { pk: { S: 'o-1' } }, image: null, at: h.clock.now() }),
    );
  });

  it('records each put and delete of a BatchWriteItem', async () => {
    // Prepare
    await prepareOrder();

    // Act
    await h.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          Orders: [
            { PutRequest: { Item: { pk: 'o-2', status: 'NEW' } } },
            { PutRequest: { Item: { pk: 'o-3', status: 'NEW' } } },
            { DeleteRequest: { Key: { pk: 'o-1' } } },
          ],
        },
      }),
    );

    // Assess
    const records = h.db.pitr.records('Orders').slice(-3);
    expect(records.map((record) => [record.key.pk, record.image === null ? 'deleted' : 'put'])).toEqual([
      [{ S: 'o-2' }, 'put'],
      [{ S: 'o-3' }, 'put'],
      [{ S: 'o-1' }, 'deleted'],
    ]);
  });

  it('keeps the log in the order writes were applied under concurrent updates to one item', async () => {
    // Prepare
    await prepareOrder();
    const increments = 25;

    // Act
    await Promise.all(
      Array.from({ length: increments }, () =>
        h.doc.send(
          new UpdateCommand({
            TableName: 'Orders',
            Key: { pk: 'o-1' },
            UpdateExpression: 'ADD hits :one',
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'UPDATED_OLD',
          }),
        ),
      ),
    );

    // Assess
    const hits = h.db.pitr
      .records('Orders')
      .slice(1)
      .map((record) => Number((record.image?.hits as { N: string } | undefined)?.N));
    expect(hits).toEqual(Array.from({ length: increments }, (_, index) => index + 1));
  });

  it('does not record writes to tables without PITR', async () => {
    // Prepare
    h = await startHarness();
    await h.db.createTable(ordersTable({ tableName: 'Plain', pointInTimeRecovery: undefined }));

    // Act
    await h.doc.send(new PutCommand({ TableName: 'Plain', Item: { pk: 'x', status: 'NEW' } }));
    const response = await h.doc.send(
      new UpdateCommand({
        TableName: 'Plain',
        Key: { pk: 'x' },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'PAID' },
        ReturnValues: 'ALL_OLD',
      }),
    );

    // Assess
    expect(response.Attributes).toEqual({ pk: 'x', status: 'NEW' });
    expect(h.db.pitr.records('Plain')).toEqual([]);
  });
});
