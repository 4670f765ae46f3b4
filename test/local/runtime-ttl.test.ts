import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { LocalRuntime } from '../../local/runtime';
import { startTestRuntime, testMachine, testTable } from '../helpers/local-runtime';

const noop = testMachine('noop', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } });

describe('TTL on the runtime clock', () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it('deletes an expired item once the clock has passed its expiresAt', async () => {
    const started = await startTestRuntime({
      tables: [testTable('cache', 'cacheKey', { timeToLiveAttribute: 'expiresAt' })],
      stateMachines: [noop],
    });
    runtime = started.runtime;
    const { clock } = started;
    const expiresAt = Math.floor(clock.now() / 1000) + 120;
    await runtime.dynamoDbClient.send(
      new PutItemCommand({ TableName: 'cache', Item: { cacheKey: { S: 'k' }, expiresAt: { N: String(expiresAt) } } }),
    );
    const read = () =>
      started.runtime.dynamoDbClient.send(
        new GetItemCommand({ TableName: 'cache', Key: { cacheKey: { S: 'k' } }, ConsistentRead: true }),
      );

    await started.runtime.execute('noop', {});
    const beforeExpiry = await read();
    clock.advance(180_000);
    await started.runtime.execute('noop', {});
    await started.runtime.settle();
    const afterExpiry = await read();

    expect(beforeExpiry.Item).toEqual({ cacheKey: { S: 'k' }, expiresAt: { N: String(expiresAt) } });
    expect(afterExpiry.Item).toBeUndefined();
  });
});
