/**
 * `rds-ops capacity advise` against the local service: usage from CloudWatch GetMetricData (fixture datapoints
 * recorded as DynamoDB publishes them, or real traffic through the local DynamoDB), costs, the recommendation,
 * and bad input answered with one line and exit 2.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '../../local/clock';
import type { LocalService } from '../../local/server/local-service';
import { runCli } from '../helpers/cli';
import { testModel, testTable } from '../helpers/local-runtime';
import { startTestService } from '../helpers/local-service';

const MINUTE = 60_000;
let service: LocalService;

beforeAll(async () => {
  service = await startTestService(
    testModel({ tables: [testTable('steady'), testTable('spiky'), testTable('idle')] }),
    {
      clock: new VirtualClock({ startAt: Date.now() }),
    },
  );
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  for (let minute = 1; minute <= 14 * 24 * 60; minute++) {
    const at = now - minute * MINUTE;
    // steady: 10 reads/s and 5 writes/s all day; spiky: 0.1 reads/s with a 200 reads/s burst of 5 minutes an hour.
    record('steady', 'ConsumedReadCapacityUnits', at, 600);
    record('steady', 'ConsumedWriteCapacityUnits', at, 300);
    record('spiky', 'ConsumedReadCapacityUnits', at, minute % 60 < 5 ? 12_000 : 6);
  }
});

afterAll(async () => {
  await service.stop();
});

function record(tableName: string, metricName: string, timestamp: number, sum: number) {
  service.runtime.services.cloudwatch.recordServiceMetric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensions: [{ Name: 'TableName', Value: tableName }],
    timestamp,
    unit: 'Count',
    sampleCount: 1,
    sum,
    minimum: sum,
    maximum: sum,
  });
}

const advise = (...args: string[]) => runCli(['capacity', 'advise', '--endpoint', service.endpoint, ...args]);

describe('rds-ops capacity advise', () => {
  it('prices steady traffic on demand and provisioned, and recommends provisioned with its range and target', async () => {
    // Act
    const text = await advise('--table', 'steady');
    const json = await advise('--table', 'steady', '--json');

    // Assess
    expect([text.code, text.err]).toEqual([0, '']);
    const { advice } = JSON.parse(json.out);
    // 10 RCU/s and 5 WCU/s for 730 h: 26.28 M reads x $0.125/M + 13.14 M writes x $0.625/M
    expect(advice.onDemand.monthlyCost).toBeCloseTo(26.28 * 0.125 + 13.14 * 0.625, 1);
    expect(advice.provisioned.reads.plan).toEqual({ min: 15, max: 18, targetPercent: 70 });
    expect(advice.provisioned.writes.plan).toEqual({ min: 8, max: 9, targetPercent: 70 });
    // 15 RCU x 730 h x $0.00013 + 8 WCU x 730 h x $0.00065
    expect(advice.provisioned.monthlyCost).toBeCloseTo(15 * 730 * 0.00013 + 8 * 730 * 0.00065, 1);
    expect(advice.recommendation).toBe('PROVISIONED');
    expect(text.out).toContain('us-east-1 list prices, Standard table class, as of 2024-11-01');
    expect(text.out).toMatch(
      /^Recommendation: Switch to provisioned with auto scaling \(reads 15-18 RCU, writes 8-9 WCU, target 70%\): about \$5\.\d\d a month instead of \$11\.\d\d on demand, 5\d\.\d% less\.$/m,
    );
  });

  it('keeps spiky traffic on demand, where auto scaling would lag the bursts', async () => {
    // Act
    const result = await advise('--table', 'spiky', '--json');

    // Assess
    const { advice } = JSON.parse(result.out);
    expect(advice.provisioned.reads.plan.targetPercent).toBe(50);
    expect(advice.provisioned.throttledShare).toBeGreaterThan(0.005);
    expect(advice.recommendation).toBe('ON_DEMAND');
    expect(advice.summary).toMatch(/^Stay on-demand: /);
  });

  it('reads the capacity the local DynamoDB recorded for real traffic', async () => {
    // Prepare: writes of about 2 KB through the SDK, as a workflow would make them
    const client = new DynamoDBClient({
      endpoint: service.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (let index = 0; index < 20; index++) {
      await client.send(
        new PutItemCommand({ TableName: 'idle', Item: { pk: { S: `item-${index}` }, body: { S: 'x'.repeat(2000) } } }),
      );
    }
    client.destroy();

    // Act
    const result = await advise('--table', 'idle', '--days', '1', '--json');

    // Assess: 20 writes of 2 KB are 2 WCU each
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).advice.writes.total).toBe(40);
  });

  it('answers bad input with one line and exit 2: an unknown table, --days 0 or past the retention', async () => {
    // Act
    const unknown = await advise('--table', 'no-such-table');
    const zeroDays = await advise('--table', 'steady', '--days', '0');
    const tooMany = await advise('--table', 'steady', '--days', '456');

    // Assess
    expect([unknown.code, unknown.err.trim().split('\n')]).toEqual([
      2,
      [expect.stringMatching(/^rds-ops: InvalidInputError: no table "no-such-table" here; give its name/)],
    ]);
    expect([zeroDays.code, zeroDays.err.trim()]).toEqual([
      2,
      'rds-ops: UsageError: --days must be a whole number of days from 1 to 455 (CloudWatch\'s retention), got "0".',
    ]);
    expect([tooMany.code, tooMany.err.trim().split('\n').length]).toEqual([2, 1]);
  });

  it('says so when a table has no consumed capacity in the window', async () => {
    // Prepare: a table nobody used
    await service.runtime.dynamoDb.createTable(testTable('unused'));

    // Act
    const result = await advise('--table', 'unused');

    // Assess
    expect(result.code).toBe(2);
    expect(result.err.trim()).toMatch(
      /^rds-ops: NoUsageDataError: CloudWatch has no consumed capacity for unused in the last 14 day\(s\)/,
    );
  });
});
