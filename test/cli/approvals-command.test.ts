/**
 * `rds-ops approvals` and the approval operations against a local DynamoDB: requests as the workflows record
 * them, decided exactly once with the audit entry, the task-token callback with the decision, and what happens
 * when the execution no longer waits or the callback fails for a moment.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runApprovalsCommand } from '../../cli/restore/approvals-command';
import { requestApproval } from '../../handlers/restore/request-approval';
import { VirtualClock } from '../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/dynamodb';
import type { ApprovalStore, TaskCallbacks } from '../../operations/approvals';

const NOW = Date.parse('2026-11-30T09:10:00.000Z');
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:restore-table:health-alerts-1';

let db: LocalDynamoDb;
let client: DynamoDBClient;
let docs: DynamoDBDocumentClient;
let callbacks: { calls: unknown[][]; impl: TaskCallbacks };

beforeEach(async () => {
  db = await startLocalDynamoDb({ clock: new VirtualClock({ startAt: NOW }) });
  await db.createTable({
    tableName: 'approvals',
    keySchema: [{ AttributeName: 'requestId', KeyType: 'HASH' }],
    attributeDefinitions: [
      { AttributeName: 'requestId', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'requestedAt', AttributeType: 'S' },
    ],
    globalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'requestedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
  await db.createTable({
    tableName: 'audit',
    keySchema: [
      { AttributeName: 'subject', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'subject', AttributeType: 'S' },
      { AttributeName: 'at', AttributeType: 'S' },
    ],
  });
  client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  docs = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const calls: unknown[][] = [];
  callbacks = {
    calls,
    impl: {
      succeed: async (token, output) => {
        calls.push(['succeed', token, output]);
      },
      fail: async (token, error, cause) => {
        calls.push(['fail', token, error, cause]);
      },
    },
  };
  await requestApproval(
    {
      taskToken: 'token-1',
      kind: 'restore',
      requestId: 'restore-health-alerts-1',
      subject: 'table#health-alerts',
      table: 'health-alerts',
      reason: 'bad writes',
      requestedBy: 'alarm:integrity',
      requestedAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + 3_600_000).toISOString(),
      executionArn: EXECUTION,
      details: { restoreTo: '2026-11-30T09:00:00.000Z' },
    },
    { dynamo: docs, approvalsTable: 'approvals', auditTable: 'audit' },
  );
});

afterEach(async () => {
  client.destroy();
  await db.stop();
});

function store(overrides: Partial<ApprovalStore> = {}): ApprovalStore {
  return {
    dynamo: docs,
    approvalsTable: 'approvals',
    auditTable: 'audit',
    callbacks: callbacks.impl,
    now: () => NOW + 60_000,
    ...overrides,
  };
}

async function run(argv: string[], overrides: Partial<ApprovalStore> = {}, identity?: () => Promise<string>) {
  const lines: string[] = [];
  const code = await runApprovalsCommand(argv, {
    store: store(overrides),
    out: (line) => lines.push(line),
    defaultActor: 'alice',
    ...(identity && { identity }),
  });
  return { code, lines };
}

async function item() {
  return (await docs.send(new GetCommand({ TableName: 'approvals', Key: { requestId: 'restore-health-alerts-1' } })))
    .Item!;
}

async function auditActions() {
  const { Items } = await docs.send(
    new QueryCommand({
      TableName: 'audit',
      KeyConditionExpression: 'subject = :s',
      ExpressionAttributeValues: { ':s': 'table#health-alerts' },
    }),
  );
  return (Items ?? []).map((entry) => `${entry.action} ${entry.actor}`);
}

describe('rds-ops approvals', () => {
  it('lists the pending requests and shows one, never printing the task token', async () => {
    const listed = await run(['list']);
    const shown = await run(['show', 'restore-health-alerts-1', '--json']);

    expect(listed.lines).toEqual([
      'restore-health-alerts-1  PENDING  restore of health-alerts  asked by alarm:integrity at 2026-11-30T09:10:00.000Z  (expires 2026-11-30T10:10:00.000Z)',
    ]);
    expect(JSON.parse(shown.lines[0]!)).toEqual(
      expect.objectContaining({ requestId: 'restore-health-alerts-1', status: 'PENDING' }),
    );
    expect(shown.lines[0]).not.toContain('token-1');
  });

  it('approves once: the decision and the audit entry, then SendTaskSuccess with who and why', async () => {
    const first = await run(['approve', 'restore-health-alerts-1', '--reason', 'confirmed', '--actor', 'carol']);
    const again = run(['approve', 'restore-health-alerts-1', '--reason', 'twice']);

    expect(first.code).toBe(0);
    expect(await item()).toEqual(
      expect.objectContaining({ status: 'APPROVED', decidedBy: 'carol', decisionReason: 'confirmed' }),
    );
    expect(callbacks.calls).toEqual([
      [
        'succeed',
        'token-1',
        {
          decision: 'APPROVED',
          requestId: 'restore-health-alerts-1',
          decidedBy: 'carol',
          decidedAt: '2026-11-30T09:11:00.000Z',
          reason: 'confirmed',
        },
      ],
    ]);
    await expect(again).rejects.toMatchObject({ name: 'ApprovalAlreadyDecidedError' });
    expect((await auditActions()).sort()).toEqual([
      'restore.approval-granted carol',
      'restore.approval-requested workflow:restore-table',
    ]);
  });

  it('records the caller identity as the decider, with the --actor name as its label', async () => {
    const operator = 'arn:aws:sts::123456789012:assumed-role/Operators/carol';
    const result = await run(
      ['reject', 'restore-health-alerts-1', '--reason', 'false alarm', '--actor', 'carol'],
      {},
      async () => operator,
    );
    const { Items } = await docs.send(
      new QueryCommand({
        TableName: 'audit',
        KeyConditionExpression: 'subject = :s',
        ExpressionAttributeValues: { ':s': 'table#health-alerts' },
      }),
    );

    expect(result.lines).toEqual([
      `restore-health-alerts-1 REJECTED by carol (${operator}): the restore of health-alerts ends as rejected (${EXECUTION}).`,
    ]);
    expect(await item()).toEqual(expect.objectContaining({ decidedBy: operator, decidedByLabel: 'carol' }));
    expect(Items?.find((entry) => entry.action === 'restore.approval-refused')).toEqual(
      expect.objectContaining({ actor: operator, actorLabel: 'carol' }),
    );
    expect(callbacks.calls).toEqual([
      [
        'fail',
        'token-1',
        'Approval.Rejected',
        `Rejected by carol (${operator}) at 2026-11-30T09:11:00.000Z: false alarm`,
      ],
    ]);
  });

  it('asks for the caller identity only once the decision is complete', async () => {
    const identity = jest.fn(async () => 'arn:aws:iam::123456789012:user/carol');

    await expect(run(['approve', 'restore-health-alerts-1'], {}, identity)).rejects.toMatchObject({
      name: 'UsageError',
    });
    expect(identity).not.toHaveBeenCalled();
  });

  it('rejects with Approval.Rejected (the workflow ends as RestoreRejected) and the reason, by the OS user when no actor is given', async () => {
    const result = await run(['reject', 'restore-health-alerts-1', '--reason', 'false alarm']);

    expect(result.code).toBe(0);
    expect(callbacks.calls).toEqual([
      ['fail', 'token-1', 'Approval.Rejected', 'Rejected by alice at 2026-11-30T09:11:00.000Z: false alarm'],
    ]);
    expect((await item()).status).toBe('REJECTED');
  });

  it('refuses a decision after the request expired, without calling back', async () => {
    await expect(
      run(['approve', 'restore-health-alerts-1', '--reason', 'late'], { now: () => NOW + 7_200_000 }),
    ).rejects.toMatchObject({
      name: 'ApprovalExpiredError',
    });
    expect(callbacks.calls).toEqual([]);
    expect((await item()).status).toBe('PENDING');
  });

  it('marks the request EXPIRED when the execution no longer waits for the token', async () => {
    const timedOut: TaskCallbacks = {
      succeed: async () => {
        throw Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
      },
      fail: async () => undefined,
    };

    await expect(
      run(['approve', 'restore-health-alerts-1', '--reason', 'go'], { callbacks: timedOut }),
    ).rejects.toMatchObject({
      name: 'DecisionNotDeliveredError',
    });
    expect((await item()).status).toBe('EXPIRED');
    expect((await item()).taskToken).toBeUndefined();
  });

  it('puts the request back to PENDING when the callback fails for a moment, so it can be decided again', async () => {
    const flaky: TaskCallbacks = {
      succeed: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
      fail: async () => undefined,
    };

    await expect(
      run(['approve', 'restore-health-alerts-1', '--reason', 'go'], { callbacks: flaky }),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    const retried = await run(['approve', 'restore-health-alerts-1', '--reason', 'go']);

    expect(retried.code).toBe(0);
    expect((await item()).status).toBe('APPROVED');
  });

  it.each([
    [['approve', 'restore-health-alerts-1'], 'approvals approve needs --reason TEXT'],
    [['approve'], 'needs --reason'],
    [['list', '--status', 'LOST'], '--status takes one of PENDING, APPROVED, REJECTED, EXPIRED'],
    [['sign', 'x'], 'unknown approvals command "sign"'],
  ])('refuses %j as a usage error', async (argv, message) => {
    await expect(run(argv)).rejects.toMatchObject({ name: 'UsageError', message: expect.stringContaining(message) });
    expect(callbacks.calls).toEqual([]);
  });

  it('answers ApprovalNotFoundError for an unknown id', async () => {
    await expect(run(['show', 'restore-nope'])).rejects.toMatchObject({ name: 'ApprovalNotFoundError' });
  });
});
