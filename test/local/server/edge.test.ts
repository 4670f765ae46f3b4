/**
 * One port for every service: DynamoDB (the PITR proxy), EventBridge PutEvents (the local bus and its rules),
 * CloudWatch PutMetricData and STS GetCallerIdentity through the stock SDK clients; and the edge's answers to
 * bad requests: malformed JSON, unknown targets, missing fields, a client that disconnects, 200 at once.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { LocalService } from '../../../local/server/local-service';
import { testMachine, testModel, testTable } from '../../helpers/local-runtime';
import { startTestService, useEndpoint } from '../../helpers/local-service';

const ARN = 'arn:aws:states:us-east-1:000000000000';
const received = testMachine('received', { StartAt: 'Receive', States: { Receive: { Type: 'Pass', End: true } } });
const model = testModel({
  stateMachines: [received],
  tables: [testTable('items', 'pk', { pointInTimeRecovery: { enabled: true } })],
  rules: [
    {
      name: 'restore-requested',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/restore-requested',
      eventBusName: 'default',
      eventPattern: { source: ['rds-ops.app'], 'detail-type': ['Restore Requested'] },
      state: 'ENABLED',
      targets: [{ id: 'Target0', arn: `${ARN}:stateMachine:received`, InputPath: '$.detail' }],
    },
  ],
});

interface RawAnswer {
  readonly status: number;
  readonly body: { __type?: string; message?: string };
}

describe('the edge port of the local service', () => {
  let service: LocalService;
  let restoreEnvironment: () => void;

  beforeAll(async () => {
    service = await startTestService(model);
    restoreEnvironment = useEndpoint(service.endpoint);
  });
  afterAll(async () => {
    restoreEnvironment();
    await service.stop();
  });

  /** A raw AWS JSON call, for what the SDKs never send. */
  const post = (target: string | undefined, body: string): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const call = request(
        `${service.endpoint}/`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            ...(target !== undefined && { 'x-amz-target': target }),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      call.on('error', reject);
      call.end(body);
    });

  it('serves DynamoDB through the PITR proxy on the same port', async () => {
    const dynamo = new DynamoDBClient({});
    await dynamo.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, n: { N: '1' } } }));
    const item = await dynamo.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } }));
    const backups = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: 'items' }));
    dynamo.destroy();

    expect(item.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
      'ENABLED',
    );
  });

  it('puts events on the local bus, whose rules start their targets', async () => {
    const events = new EventBridgeClient({});
    const sfn = new SFNClient({});
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'rds-ops.app', DetailType: 'Restore Requested', Detail: '{"table":"rds-inventory"}' },
          { Source: 'rds-ops.app', DetailType: 'Restore Requested', Detail: 'not json' },
        ],
      }),
    );
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: `${ARN}:stateMachine:received` }));
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: listed.executions?.[0].executionArn }),
    );
    events.destroy();
    sfn.destroy();

    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries?.[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(listed.executions).toHaveLength(1);
    expect(JSON.parse(execution.input!)).toEqual({ table: 'rds-inventory' });
  });

  it('answers CloudWatch PutMetricData into the stand-in and STS GetCallerIdentity with a local identity', async () => {
    const cloudwatch = new CloudWatchClient({});
    const sts = new STSClient({});
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'RdsOps',
        MetricData: [{ MetricName: 'CircuitState', Value: 1, Timestamp: new Date('2026-01-01T00:00:00Z') }],
      }),
    );
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    cloudwatch.destroy();
    sts.destroy();

    expect(service.runtime.services.cloudwatch.datapoints).toContainEqual(
      expect.objectContaining({ namespace: 'RdsOps', metricName: 'CircuitState', timestamp: Date.parse('2026-01-01') }),
    );
    expect(identity).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/local' });
  });

  it.each([
    ['malformed JSON', 'SerializationException', 'AWSStepFunctions.ListStateMachines', '{"maxResults":'],
    ['a missing required field', 'ValidationException', 'AWSStepFunctions.StartExecution', '{}'],
    ['a field of the wrong type', 'SerializationException', 'AWSStepFunctions.StartExecution', '{"stateMachineArn":7}'],
    ['an operation not emulated', 'UnknownOperationException', 'AWSStepFunctions.CreateStateMachine', '{}'],
    ['an unknown service', 'UnknownOperationException', 'AmazonSQS.SendMessage', '{}'],
    ['no X-Amz-Target at all', 'UnknownOperationException', undefined, '{}'],
  ])('answers %s with a 400 %s', async (_case, code, target, body) => {
    const answer = await post(target, body);

    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe(code);
    if (code === 'UnknownOperationException') expect(answer.body.message).toContain(target ?? 'no X-Amz-Target');
  });

  it('keeps serving after a client disconnects in the middle of a request', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(service.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n' +
            'Content-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{"maxRes',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
    });
    const after = await post('AWSStepFunctions.ListStateMachines', '{}');

    expect(after.status).toBe(200);
  });

  it('answers 200 StartExecution calls made at once', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const sfn = new SFNClient({ requestHandler: { httpAgent: agent } });
    const calls = Array.from({ length: 200 }, (_, index) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:received`, name: `burst-${index}` })),
    );
    const answers = await Promise.allSettled(calls);
    await service.runtime.settle();
    sfn.destroy();
    agent.destroy();
    const arns = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value.executionArn] : []));

    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    expect(new Set(arns).size).toBe(200);
    expect(
      service.runtime.executionsOf(`${ARN}:stateMachine:received`).filter((e) => e.name.startsWith('burst-')),
    ).toHaveLength(200);
  });
});
