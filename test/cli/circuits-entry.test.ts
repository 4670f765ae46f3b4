/**
 * `rds-ops circuits` over the AWS SDK against the local service, as against AWS: the tables found by their
 * `rds-ops:table` tags, a change recorded with the caller's STS identity and the --actor label, the announcement
 * on the local bus and CloudWatch, no runtime booted by the command.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { LocalService } from '../../local/server/local-service';
import { runCli } from '../helpers/cli';
import { testModel, testTable } from '../helpers/local-runtime';
import { startTestService, useEndpoint } from '../helpers/local-service';

const CIRCUITS = 'RdsOps-Dev-Data-CircuitBreakersTableTEST';
const AUDIT = 'RdsOps-Dev-Data-AuditLogTableTEST';
const model = testModel({
  tables: [
    testTable(CIRCUITS, 'circuit', { tableId: 'circuitBreakers' }),
    testTable(AUDIT, 'subject', {
      tableId: 'auditLog',
      keySchema: [
        { AttributeName: 'subject', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { AttributeName: 'subject', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'S' },
      ],
    }),
    testTable('RdsOps-Prod-Data-CircuitBreakersTableOTHER', 'circuit', { tableId: 'circuitBreakers' }),
  ],
});

describe('rds-ops circuits against the local service', () => {
  let service: LocalService;

  beforeAll(async () => {
    service = await startTestService(model);
  });
  afterAll(() => service.stop());

  const auditEntries = async () => {
    const restore = useEndpoint(service.endpoint);
    const dynamo = new DynamoDBClient({});
    try {
      const { Items } = await dynamo.send(
        new QueryCommand({
          TableName: AUDIT,
          KeyConditionExpression: 'subject = :s',
          ExpressionAttributeValues: { ':s': { S: 'circuit#rds-api' } },
        }),
      );
      return Items ?? [];
    } finally {
      dynamo.destroy();
      restore();
    }
  };

  it('opens a circuit at --endpoint, finding its tables by tag and recording the caller identity', async () => {
    const opened = await runCli([
      'circuits',
      'open',
      'rds-api',
      '--for',
      '15m',
      '--reason',
      'maintenance',
      '--actor',
      'alice',
      '--endpoint',
      service.endpoint,
    ]);
    const [entry] = await auditEntries();

    expect({ code: opened.code, err: opened.err }).toEqual({ code: 0, err: '' });
    expect(opened.out).toMatch(/^rds-api: CLOSED \(no item\) -> OPEN/);
    expect(entry).toMatchObject({
      actor: { S: 'arn:aws:iam::000000000000:user/local' },
      actorLabel: { S: 'alice' },
      action: { S: 'circuit.open' },
      reason: { S: 'maintenance' },
    });
    expect(service.runtime.services.cloudwatch.datapoints).toContainEqual(
      expect.objectContaining({
        namespace: 'RdsOps/CircuitBreaker',
        metricName: 'CircuitStateChanged',
        dimensions: [
          { Name: 'Circuit', Value: 'rds-api' },
          { Name: 'ToState', Value: 'OPEN' },
        ],
      }),
    );
  });

  it('reads circuits through AWS_ENDPOINT_URL alone, as after pasting the export line', async () => {
    const restore = useEndpoint(service.endpoint);
    try {
      const shown = await runCli(['circuits', 'show', 'rds-api', '--json']);

      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.out)).toMatchObject({ circuit: 'rds-api', state: 'OPEN' });
    } finally {
      restore();
    }
  });

  it('says so in one line (exit 1) when nothing answers at the endpoint', async () => {
    const result = await runCli(['circuits', 'list', '--endpoint', 'http://127.0.0.1:9']);

    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toEqual([
      'rds-ops: EndpointUnreachableError: nothing answers at http://127.0.0.1:9: start the local service first (rds-ops local serve), or check --endpoint.',
    ]);
  });

  it('refuses --data-dir, which belongs to local serve now (exit 2)', async () => {
    const result = await runCli(['circuits', 'list', '--local', '--data-dir', '.local-data']);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--data-dir belongs to the local service now/);
  });
});
