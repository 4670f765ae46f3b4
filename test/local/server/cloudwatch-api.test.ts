/** CloudWatch GetMetricData on the local service, through the AWS SDK: what PutMetricData and DynamoDB recorded. */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '../../../local/clock';
import { consumedCapacityOf, sizeOf } from '../../../local/dynamodb/consumed-capacity';
import type { LocalService } from '../../../local/server/local-service';
import { testModel, testTable } from '../../helpers/local-runtime';
import { startTestService } from '../../helpers/local-service';

const START = Date.parse('2026-11-30T09:00:00Z');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let service: LocalService;
let cloudwatch: CloudWatchClient;
let dynamoDb: DynamoDBClient;

beforeEach(async () => {
  service = await startTestService(testModel({ tables: [testTable('orders')] }), {
    clock: new VirtualClock({ startAt: START }),
  });
  cloudwatch = new CloudWatchClient({ endpoint: service.endpoint, region: 'us-east-1', credentials });
  dynamoDb = new DynamoDBClient({ endpoint: service.endpoint, region: 'us-east-1', credentials });
});

afterEach(async () => {
  cloudwatch.destroy();
  dynamoDb.destroy();
  await service.stop();
});

const stat = (namespace: string, metricName: string, dimensions: { Name: string; Value: string }[], Stat = 'Sum') => ({
  Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
  Period: 60,
  Stat,
});

describe('GetMetricData on the local service', () => {
  it('answers what PutMetricData stored, per period, newest first, with exact dimensions', async () => {
    // Prepare
    const circuit = [{ Name: 'Circuit', Value: 'rds-api' }];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'RdsOps/CircuitBreaker',
        MetricData: [
          { MetricName: 'CircuitTableUnreachable', Dimensions: circuit, Value: 1, Timestamp: new Date(START + 5_000) },
          { MetricName: 'CircuitTableUnreachable', Dimensions: circuit, Value: 2, Timestamp: new Date(START + 20_000) },
          { MetricName: 'CircuitTableUnreachable', Dimensions: circuit, Value: 4, Timestamp: new Date(START + 65_000) },
          { MetricName: 'CircuitTableUnreachable', Value: 100, Timestamp: new Date(START + 5_000) },
        ],
      }),
    );

    // Act
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: 'blind', MetricStat: stat('RdsOps/CircuitBreaker', 'CircuitTableUnreachable', circuit) },
          {
            Id: 'peak',
            MetricStat: stat('RdsOps/CircuitBreaker', 'CircuitTableUnreachable', circuit, 'Maximum'),
            Label: 'peak',
          },
        ],
        StartTime: new Date(START),
        EndTime: new Date(START + 10 * 60_000),
      }),
    );

    // Assess
    expect(MetricDataResults).toEqual([
      {
        Id: 'blind',
        Label: 'CircuitTableUnreachable',
        Timestamps: [new Date(START + 60_000), new Date(START)],
        Values: [4, 3],
        StatusCode: 'Complete',
      },
      {
        Id: 'peak',
        Label: 'peak',
        Timestamps: [new Date(START + 60_000), new Date(START)],
        Values: [4, 2],
        StatusCode: 'Complete',
      },
    ]);
  });

  it('holds the capacity every DynamoDB call consumed, as AWS/DynamoDB publishes it', async () => {
    // Prepare: a 1.5 KB write (2 WCU), a strongly consistent read of it (1 RCU), an eventually consistent query (0.5)
    const Item = { pk: { S: 'order-1' }, body: { S: 'x'.repeat(1500) } };
    await dynamoDb.send(new PutItemCommand({ TableName: 'orders', Item }));
    await dynamoDb.send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'order-1' } }, ConsistentRead: true }),
    );
    await dynamoDb.send(
      new QueryCommand({
        TableName: 'orders',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'order-1' } },
      }),
    );

    // Act
    const { MetricDataResults } = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits'].map((name, index) => ({
          Id: `m${index}`,
          MetricStat: stat('AWS/DynamoDB', name, [{ Name: 'TableName', Value: 'orders' }]),
        })),
        StartTime: new Date(START - 60_000),
        EndTime: new Date(START + 60_000),
      }),
    );

    // Assess
    expect(MetricDataResults?.map((result) => result.Values)).toEqual([[1.5], [2]]);
  });

  it('refuses metric math and a start after the end, as validation errors', async () => {
    // Act
    const expression = cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'e1', Expression: "SEARCH('{AWS/DynamoDB} x', 'Sum', 60)" }],
        StartTime: new Date(START),
        EndTime: new Date(START + 60_000),
      }),
    );
    const backwards = cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'm1', MetricStat: stat('AWS/DynamoDB', 'ConsumedReadCapacityUnits', []) }],
        StartTime: new Date(START + 60_000),
        EndTime: new Date(START),
      }),
    );

    // Assess
    await expect(expression).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('not supported by the local CloudWatch'),
    });
    await expect(backwards).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter StartTime must be less than the parameter EndTime.',
    });
  });
});

describe('consumed capacity, as DynamoDB counts it', () => {
  it('rounds reads up to 4 KB (half for eventually consistent) and writes up to 1 KB, transactions twice', () => {
    // Prepare
    const item = { pk: { S: 'a' }, blob: { S: 'x'.repeat(5000) } };

    // Act / Assess
    expect(sizeOf(item)).toBe(2 + 1 + 4 + 5000);
    expect(consumedCapacityOf('GetItem', { TableName: 't', ConsistentRead: true }, { Item: item })).toEqual([
      { tableName: 't', readUnits: 2, writeUnits: 0 },
    ]);
    expect(consumedCapacityOf('GetItem', { TableName: 't' }, {})).toEqual([
      { tableName: 't', readUnits: 0.5, writeUnits: 0 },
    ]);
    expect(consumedCapacityOf('PutItem', { TableName: 't', Item: item }, {})).toEqual([
      { tableName: 't', readUnits: 0, writeUnits: 5 },
    ]);
    expect(
      consumedCapacityOf(
        'TransactWriteItems',
        { TransactItems: [{ Put: { TableName: 't', Item: { pk: { S: 'a' } } } }, { Delete: { TableName: 't' } }] },
        {},
      ),
    ).toEqual([{ tableName: 't', readUnits: 0, writeUnits: 4 }]);
    expect(consumedCapacityOf('DescribeTable', { TableName: 't' }, {})).toEqual([]);
  });
});
