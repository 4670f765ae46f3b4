/**
 * The local service's life: a task token sent back by another process, state kept in a data directory across
 * a restart (tables, executions and their histories; running ones come back ABORTED), one service per data
 * directory, and a port in use named in the error.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LOCK_FILE_NAME } from '../../../local/server/data-dir-lock';
import { testMachine, testModel, testTable } from '../../helpers/local-runtime';
import { startTestService, useEndpoint } from '../../helpers/local-service';

const run = promisify(execFile);
const ARN = 'arn:aws:states:us-east-1:000000000000';
const approval = testMachine('approval', {
  StartAt: 'Ask an operator',
  States: {
    'Ask an operator': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
      TimeoutSeconds: 3600,
      ResultPath: '$.approval',
      Next: 'Approved',
    },
    Approved: { Type: 'Pass', End: true },
  },
});
const echo = testMachine('echo', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } });
const model = testModel({ stateMachines: [approval, echo], tables: [testTable('items')] });

/**
 * Another process, as an operator's terminal would be: finds the token in the execution's history and sends
 * it back with the stock SDK, configured only by the environment.
 */
const SEND_TOKEN = `
const { SFNClient, GetExecutionHistoryCommand, SendTaskSuccessCommand } = require('@aws-sdk/client-sfn');
(async () => {
  const sfn = new SFNClient({});
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: process.argv[1] }));
  const scheduled = events.find((event) => event.type === 'TaskScheduled');
  const token = JSON.parse(scheduled.taskScheduledEventDetails.parameters).Message;
  await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: process.pid }) }));
  console.log('sent');
})().catch((error) => { console.error(error.name, error.message); process.exit(1); });
`;

describe('the local service', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rds-ops-serve-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const waitUntil = async (check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 300; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('condition never held');
  };

  it('lets another process send the task token an execution waits for, and the execution goes on', async () => {
    const service = await startTestService(model);
    const restoreEnvironment = useEndpoint(service.endpoint);
    const sfn = new SFNClient({});
    try {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:approval`, input: '{"ticket":1}' }),
      );
      await waitUntil(async () => service.runtime.tokens.pending().length > 0);

      const other = await run(process.execPath, ['-e', SEND_TOKEN, executionArn!], {
        cwd: path.join(__dirname, '../../..'),
        env: { ...process.env },
      });
      await waitUntil(
        async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'SUCCEEDED',
      );
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));

      expect(other.stdout.trim()).toBe('sent');
      expect(JSON.parse(described.output!)).toEqual({ ticket: 1, approval: { by: expect.any(Number) } });
      expect(JSON.parse(described.output!).approval.by).not.toBe(process.pid);
    } finally {
      sfn.destroy();
      restoreEnvironment();
      await service.stop();
    }
  });

  it('keeps tables and executions in its data directory; a running execution comes back ABORTED', async () => {
    const first = await startTestService(model, { dataDir });
    let restoreEnvironment = useEndpoint(first.endpoint);
    let sfn = new SFNClient({});
    let dynamo = new DynamoDBClient({});
    await dynamo.send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'kept' } } }));
    const done = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, name: 'done' }),
    );
    await sfn.send(new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:approval`, name: 'waiting' }));
    await waitUntil(async () => first.runtime.tokens.pending().length > 0);
    sfn.destroy();
    dynamo.destroy();
    restoreEnvironment();
    const stopped = await first.stop();

    const second = await startTestService(model, { dataDir });
    restoreEnvironment = useEndpoint(second.endpoint);
    sfn = new SFNClient({});
    dynamo = new DynamoDBClient({});
    try {
      const item = await dynamo.send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'kept' } } }));
      const waiting = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: `${ARN}:stateMachine:approval`, statusFilter: 'ABORTED' }),
      );
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn }));
      const reused = sfn.send(new StartExecutionCommand({ stateMachineArn: `${ARN}:stateMachine:echo`, name: 'done' }));

      expect(stopped).toEqual({ abortedExecutions: 1 });
      expect(item.Item).toEqual({ pk: { S: 'kept' } });
      expect(waiting.executions?.map((execution) => execution.name)).toEqual(['waiting']);
      expect(history.events?.map((event) => event.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      await expect(reused).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    } finally {
      sfn.destroy();
      dynamo.destroy();
      restoreEnvironment();
      await second.stop();
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it('refuses a second service on the same data directory, and a port in use, naming them', async () => {
    const service = await startTestService(model, { dataDir });
    try {
      await expect(startTestService(model, { dataDir })).rejects.toMatchObject({
        name: 'DataDirInUseError',
        message: expect.stringContaining(`${dataDir} is in use by rds-ops local serve on ${service.endpoint}`),
      });
      await expect(startTestService(model, { port: service.port })).rejects.toMatchObject({
        name: 'PortUnavailableError',
        message: expect.stringContaining(`port ${service.port} on 127.0.0.1 is already in use`),
      });
      expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
