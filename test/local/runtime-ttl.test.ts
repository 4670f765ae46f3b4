import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbServiceError } from '../../local/dynamodb';
import { UpstreamClient } from '../../local/dynamodb/upstream-client';
import type { LocalRuntime } from '../../local/runtime';
import { startTestRuntime, testMachine, testTable } from '../helpers/local-runtime';

const noop = testMachine('noop', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } });

describe('TTL on the runtime clock', () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
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

  it('warns, naming the table, when a sweep fails, and still runs the execution', async () => {
    // Prepare: the table's scan fails (as a throttled or unreachable DynamoDB would)
    const started = await startTestRuntime({
      tables: [testTable('cache', 'cacheKey', { timeToLiveAttribute: 'expiresAt' })],
      stateMachines: [noop],
    });
    runtime = started.runtime;
    const call = UpstreamClient.prototype.call;
    jest.spyOn(UpstreamClient.prototype, 'call').mockImplementation(function (this: UpstreamClient, operation, input) {
      if (operation === 'Scan') {
        return Promise.reject(new DynamoDbServiceError('ProvisionedThroughputExceededException', 'slow down', 400));
      }
      return call.call(this, operation, input);
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    // Act
    const execution = await started.runtime.execute('noop', {});
    await started.runtime.settle();

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^rds-ops local: TTL sweep of table cache failed \(.*slow down\); expired items stay until the next sweep\.$/,
    );
  });
});
