/**
 * TransactWriteItems / TransactGetItems on the local DynamoDB, through a plain SDK v3 client, checked
 * against the DynamoDB API reference: all or nothing, CancellationReasons per item, ClientRequestToken
 * idempotency for 10 minutes, the 100-item limit, one operation per item, ReturnValuesOnConditionCheckFailure,
 * isolation from concurrent readers and writers, and the PITR log.
 */
import {
  TransactGetItemsCommand,
  type TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { errorOf, type Harness, ordersTable, startHarness } from './harness';

type TransactItem = NonNullable<TransactWriteItemsCommandInput['TransactItems']>[number];

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.db.createTable(ordersTable());
  await h.db.createTable(ordersTable({ tableName: 'Audit', pointInTimeRecovery: { enabled: false } }));
});
afterEach(async () => {
  await h.stop();
});

const S = (value: string) => ({ S: value });
const put = (table: string, pk: string, extra: Record<string, unknown> = {}): TransactItem => ({
  Put: { TableName: table, Item: { pk: S(pk), status: S('NEW'), ...extra } as never },
});
const addOne = (pk: string, condition?: string): TransactItem => ({
  Update: {
    TableName: 'Orders',
    Key: { pk: S(pk) },
    UpdateExpression: 'ADD #n :one',
    ExpressionAttributeNames: { '#n': 'n' },
    ExpressionAttributeValues: { ':one': { N: '1' } },
    ...(condition ? { ConditionExpression: condition } : {}),
  },
});

async function get(table: string, pk: string) {
  return (await h.doc.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }))).Item;
}

function transact(items: TransactItem[], extra: Partial<TransactWriteItemsCommandInput> = {}) {
  return h.client.send(new TransactWriteItemsCommand({ TransactItems: items, ...extra }));
}

describe('TransactWriteItems', () => {
  it('applies a Put, an Update, a Delete and a ConditionCheck across two tables together', async () => {
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'gone', status: 'OLD' } }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'checked', status: 'OPEN' } }));

    await transact([
      put('Orders', 'new'),
      addOne('counter'),
      { Delete: { TableName: 'Orders', Key: { pk: S('gone') } } },
      {
        ConditionCheck: {
          TableName: 'Orders',
          Key: { pk: S('checked') },
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':open': S('OPEN') },
        },
      },
      put('Audit', 'entry-1'),
    ]);

    expect(await get('Orders', 'new')).toEqual({ pk: 'new', status: 'NEW' });
    expect(await get('Orders', 'counter')).toEqual({ pk: 'counter', n: 1 });
    expect(await get('Orders', 'gone')).toBeUndefined();
    expect(await get('Orders', 'checked')).toEqual({ pk: 'checked', status: 'OPEN' });
    expect(await get('Audit', 'entry-1')).toEqual({ pk: 'entry-1', status: 'NEW' });
    // PITR (on for Orders) recorded the two seeded puts and the three transactional writes, not the check.
    expect(h.db.pitr.records('Orders').map((record) => [record.key.pk, record.image === null])).toEqual([
      [S('gone'), false],
      [S('checked'), false],
      [S('new'), false],
      [S('counter'), false],
      [S('gone'), true],
    ]);
  });

  it('changes nothing when one condition fails, and says which item failed in AWS shape and wording', async () => {
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'locked', status: 'LOCKED', n: 5 } }));

    const error = (await errorOf(
      transact([
        put('Audit', 'entry-1'),
        { ...addOne('locked', 'attribute_not_exists(pk)') },
        {
          Update: {
            ...(addOne('locked2').Update as object),
            ConditionExpression: 'attribute_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        } as TransactItem,
      ]),
    )) as TransactionCanceledException;

    expect(error.name).toBe('TransactionCanceledException');
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await get('Audit', 'entry-1')).toBeUndefined();
    expect(await get('Orders', 'locked')).toEqual({ pk: 'locked', status: 'LOCKED', n: 5 });
    expect(h.db.pitr.records('Orders')).toHaveLength(1);
  });

  it('returns the item that failed its condition with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'locked', status: 'LOCKED' } }));

    const error = (await errorOf(
      transact([
        {
          Put: {
            TableName: 'Orders',
            Item: { pk: S('locked'), status: S('NEW') },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ]),
    )) as TransactionCanceledException;

    expect(error.CancellationReasons).toEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: S('locked'), status: S('LOCKED') },
      },
    ]);
  });

  it('refuses two operations on one item, and more than 100 items, as ValidationException', async () => {
    const twice = await errorOf(transact([put('Orders', 'a'), addOne('a')]));
    const tooMany = await errorOf(transact(Array.from({ length: 101 }, (_, i) => put('Orders', `item-${i}`))));
    const hundred = await transact(Array.from({ length: 100 }, (_, i) => put('Orders', `item-${i}`)));

    expect(twice).toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    expect(tooMany).toMatchObject({ name: 'ValidationException' });
    expect(tooMany.message).toContain('Member must have length less than or equal to 100');
    expect(hundred.$metadata.httpStatusCode).toBe(200);
    expect(await get('Orders', 'item-99')).toEqual({ pk: 'item-99', status: 'NEW' });
  });

  it('reports a missing table as ResourceNotFoundException and writes nothing', async () => {
    const error = await errorOf(transact([put('Orders', 'a'), put('NoSuchTable', 'b')]));

    expect(error.name).toBe('ResourceNotFoundException');
    expect(await get('Orders', 'a')).toBeUndefined();
  });

  it('applies a request once per ClientRequestToken for 10 minutes, and refuses the token for another request', async () => {
    await transact([addOne('counter')], { ClientRequestToken: 'token-1' });
    await transact([addOne('counter')], { ClientRequestToken: 'token-1' });
    const afterRepeat = await get('Orders', 'counter');
    const mismatch = await errorOf(transact([addOne('other')], { ClientRequestToken: 'token-1' }));
    h.clock.advance(10 * 60 * 1000 + 1);
    await transact([addOne('counter')], { ClientRequestToken: 'token-1' });

    expect(afterRepeat).toEqual({ pk: 'counter', n: 1 });
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    expect(await get('Orders', 'other')).toBeUndefined();
    expect(await get('Orders', 'counter')).toEqual({ pk: 'counter', n: 2 });
  });

  it('serialises with concurrent transactions over the same items in any order (no deadlock, no lost update)', async () => {
    const writers = Array.from({ length: 20 }, (_, i) =>
      transact(i % 2 === 0 ? [addOne('a'), addOne('b')] : [addOne('b'), addOne('a')]),
    );
    const readers = Array.from({ length: 20 }, () =>
      h.client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: 'Orders', Key: { pk: S('a') } } },
            { Get: { TableName: 'Orders', Key: { pk: S('b') } } },
          ],
        }),
      ),
    );

    const [, reads] = await Promise.all([Promise.all(writers), Promise.all(readers)]);

    expect(await get('Orders', 'a')).toEqual({ pk: 'a', n: 20 });
    expect(await get('Orders', 'b')).toEqual({ pk: 'b', n: 20 });
    for (const read of reads) {
      const [a, b] = read.Responses ?? [];
      expect(a?.Item?.n).toEqual(b?.Item?.n);
    }
  });
});

describe('TransactGetItems', () => {
  it('reads items in request order, {} for a missing one, with projections', async () => {
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'PAID', total: 3 } }));

    const { Responses } = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'Orders', Key: { pk: S('missing') } } },
          {
            Get: {
              TableName: 'Orders',
              Key: { pk: S('o-1') },
              ProjectionExpression: '#s',
              ExpressionAttributeNames: { '#s': 'status' },
            },
          },
        ],
      }),
    );

    expect(Responses).toEqual([{}, { Item: { status: S('PAID') } }]);
  });
});
