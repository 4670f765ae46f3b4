import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startTestRuntime, testMachine, testTable } from '../helpers/local-runtime';

const noop = testMachine('noop', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } });

describe('TTL on the runtime clock', () => {
  it('deletes an expired item once the clock has passed its expiresAt', async () => {
    const { runtime, clock } = await startTestRuntime({
      tables: [testTable('cache', 'cacheKey', { timeToLiveAttribute: 'expiresAt' })],
      stateMachines: [noop],
    });
    const expiresAt = Math.floor(clock.now() / 1000) + 120;
    await runtime.dynamoDbClient.send(
      new PutItemCommand({ TableName: 'cache', Item: { cacheKey: { S: 'k' }, expiresAt: { N: String(expiresAt) } } }),
    );
    const read = () =>
      runtime.dynamoDbClient.send(
        new GetItemCommand({ TableName: 'cache', Key: { cacheKey: { S: 'k' } }, ConsistentRead: true }),
      );

    await runtime.execute('noop', {});
    const beforeExpiry = await read();
    clock.advance(180_000);
    await runtime.execute('noop', {});
    await runtime.settle();
    const afterExpiry = await read();
    await runtime.stop();

    expect(beforeExpiry.Item).toBeDefined();
    expect(afterExpiry.Item).toBeUndefined();
  });
});
