/**
 * POST /restores, GET /restores and POST /approvals/{id}/approve|reject with the SDK mocked: requests checked
 * before anything starts, the caller as requester and decider, idempotent starts, decisions made exactly once.
 */
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as decideApproval } from '../../../handlers/api/decide-approval';
import { handler as listRestores } from '../../../handlers/api/list-restores';
import { handler as startRestore } from '../../../handlers/api/start-restore';
import { REJECTION_ERROR } from '../../../operations/approvals';
import { apiEvent, captureOutput, fakeContext } from '../../helpers/lambda';

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const CALLER = 'arn:aws:sts::123456789012:assumed-role/ops/alice';
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RestoreTable-1A2B';
const body = (response: { body: string }) => JSON.parse(response.body);
const restore = { tableName: 'health-alerts', restoreTo: '2026-03-01T10:00:00Z', reason: 'bad writes at 10:05' };

const saved = { ...process.env };
beforeEach(() => {
  captureOutput();
  Object.assign(process.env, {
    RESTORE_STATE_MACHINE_ARN: MACHINE,
    APPROVALS_TABLE_NAME: 'approvals-1',
    AUDIT_TABLE_NAME: 'audit-1',
    COORDINATION_TABLE_NAME: 'coordination-1',
  });
  // No cutover holds writes unless a test says so.
  ddb.on(GetCommand, { TableName: 'coordination-1' }).resolves({});
});
afterEach(() => {
  sfn.reset();
  ddb.reset();
  jest.restoreAllMocks();
  process.env = { ...saved };
});

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  startRestore(
    apiEvent({ method: 'POST', path: '/restores', body: JSON.stringify(payload), headers, userArn: CALLER }),
    fakeContext(),
  );

describe('POST /restores', () => {
  it('starts restore-table for the caller and answers 202 with the execution to follow', async () => {
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${MACHINE.replace('stateMachine', 'execution')}:x`,
      startDate: new Date('2026-03-01T11:00:00Z'),
    });

    const response = await post(restore);

    expect(response.statusCode).toBe(202);
    expect(body(response)).toMatchObject({
      startDate: '2026-03-01T11:00:00.000Z',
      execution: expect.stringMatching(/^\/executions\/arn%3Aaws%3Astates/),
      replayed: false,
    });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!);
    expect(input).toEqual({ ...restore, approval: 'required', requestedBy: CALLER });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toMatchObject({
      stateMachineArn: MACHINE,
      name: expect.stringMatching(/^health-alerts-\d{14}-[0-9a-f]{4}$/),
    });
  });

  it('returns the running execution for a retried Idempotency-Key with the same request', async () => {
    const name = 'health-alerts-3f2a9c1e-0000-4000-8000-000000000001';
    const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: arn,
      name,
      status: 'RUNNING',
      input: JSON.stringify({ ...restore, approval: 'required', requestedBy: CALLER }),
    });

    const response = await post(restore, { 'Idempotency-Key': '3f2a9c1e-0000-4000-8000-000000000001' });

    expect(response.statusCode).toBe(200);
    expect(body(response)).toMatchObject({ executionArn: arn, name, replayed: true });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: arn });
  });

  it('answers 409 when the Idempotency-Key names another request', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('exists'), { name: 'ExecutionAlreadyExists' }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', input: JSON.stringify({ tableName: 'audit-log' }) });

    const response = await post(restore, { 'Idempotency-Key': 'key-0123456789' });

    expect(response.statusCode).toBe(409);
    expect(body(response).error.code).toBe('CONFLICT');
  });

  it.each([
    ['a time without a zone', { ...restore, restoreTo: '2026-03-01T10:00:00' }, 'body.restoreTo'],
    ['no reason', { tableName: 'health-alerts', restoreTo: 'latest' }, 'body.reason: is required'],
    ['an approval mode that does not exist', { ...restore, approval: 'maybe' }, 'body.approval'],
    ['a requester in the body', { ...restore, requestedBy: 'mallory' }, 'Unrecognized key: "requestedBy"'],
    ['a table name with spaces', { ...restore, tableName: 'health alerts' }, 'body.tableName'],
  ])('refuses %s with 400, starting nothing', async (_name, payload, message) => {
    const response = await post(payload);

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain(message);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const response = await post(restore, { 'Idempotency-Key': 'x' });

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain('Idempotency-Key');
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /restores', () => {
  it('lists the newest restores with ISO times, as many as asked', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: 'arn:x',
          stateMachineArn: MACHINE,
          name: 'health-alerts-1',
          status: 'SUCCEEDED',
          startDate: new Date('2026-03-01T11:00:00Z'),
          stopDate: new Date('2026-03-01T11:30:00Z'),
        },
      ],
    });

    const response = await listRestores(apiEvent({ path: '/restores', query: { limit: '5' } }), fakeContext());

    expect(body(response)).toEqual({
      restores: [
        {
          executionArn: 'arn:x',
          name: 'health-alerts-1',
          status: 'SUCCEEDED',
          startDate: '2026-03-01T11:00:00.000Z',
          stopDate: '2026-03-01T11:30:00.000Z',
        },
      ],
    });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: MACHINE, maxResults: 5 });
  });
});

describe('POST /approvals/{id}/approve|reject', () => {
  const pending = {
    requestId: 'restore-health-alerts-20260301',
    kind: 'restore',
    status: 'PENDING',
    subject: 'table#health-alerts',
    table: 'health-alerts',
    reason: 'bad writes',
    requestedBy: 'alarm:integrity',
    requestedAt: '2026-03-01T10:10:00Z',
    expiresAt: '2999-01-01T00:00:00Z',
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:RestoreTable-1A2B:health-alerts-20260301',
    taskToken: 'token-1',
    details: {},
  };
  const decide = (action: string, payload: unknown, id = pending.requestId) =>
    decideApproval(
      apiEvent({
        method: 'POST',
        path: `/approvals/${id}/${action}`,
        resource: `/approvals/{id}/${action}`,
        pathParameters: { id },
        body: JSON.stringify(payload),
        userArn: CALLER,
      }),
      fakeContext(),
    );

  it('approves once: the decision and its audit entry in one transaction, then the token is sent back', async () => {
    ddb
      .on(GetCommand, { TableName: 'approvals-1' })
      .resolvesOnce({ Item: pending })
      .resolves({ Item: { ...pending, status: 'APPROVED', decidedBy: CALLER } });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});

    const response = await decide('approve', { reason: 'checked the damage' });

    expect(response.statusCode).toBe(200);
    expect(body(response)).toMatchObject({ status: 'APPROVED', decidedBy: CALLER });
    expect(body(response)).not.toHaveProperty('taskToken');
    const [update, audit] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(update!.Update).toMatchObject({
      TableName: 'approvals-1',
      ConditionExpression: '#status = :pending AND expiresAt > :at',
    });
    expect(audit!.Put!.Item).toMatchObject({
      actor: CALLER,
      action: 'restore.approval-granted',
      reason: 'checked the damage',
    });
    const output = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.output!);
    expect(output).toMatchObject({ decision: 'APPROVED', decidedBy: CALLER });
  });

  it('rejects with the error the workflow catches (and ends as RestoreRejected)', async () => {
    ddb.on(GetCommand, { TableName: 'approvals-1' }).resolves({ Item: pending });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});

    await decide('reject', { reason: 'not this table' });

    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: 'token-1',
      error: REJECTION_ERROR,
      cause: expect.stringContaining('not this table'),
    });
  });

  it.each([
    ['already decided', { ...pending, status: 'APPROVED', decidedBy: 'bob' }, 409, 'is APPROVED (by bob'],
    ['expired', { ...pending, expiresAt: '2020-01-01T00:00:00Z' }, 409, 'expired'],
    ['unknown', undefined, 404, 'No approval request'],
  ])('refuses a request that is %s, sending nothing', async (_name, item, status, message) => {
    ddb.on(GetCommand, { TableName: 'approvals-1' }).resolves(item ? { Item: item } : {});

    const response = await decide('approve', { reason: 'go ahead' });

    expect(response.statusCode).toBe(status);
    expect(body(response).error.message).toContain(message);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('marks the request EXPIRED and answers 409 when the execution no longer waits for the token', async () => {
    ddb.on(GetCommand, { TableName: 'approvals-1' }).resolves({ Item: pending });
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('timed out'), { name: 'TaskTimedOut' }));

    const response = await decide('approve', { reason: 'late' });

    expect(response.statusCode).toBe(409);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: { ':expired': 'EXPIRED' } });
  });

  it.each([
    ['rds-approvals', 'writes#rdsApprovals'],
    ['audit-log', 'writes#auditLog'],
  ])('answers 503 MAINTENANCE and decides nothing while a cutover holds the writes of %s', async (table, key) => {
    ddb.on(GetCommand, { TableName: 'coordination-1', Key: { key } }).resolves({
      Item: {
        key,
        kind: 'write-hold',
        table,
        reason: `Cutover of ${table}`,
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:CutoverTable-1:c1',
        since: '2026-03-01T10:00:00Z',
        expiresAt: 4_000_000_000,
      },
    });
    ddb.on(GetCommand, { TableName: 'approvals-1' }).resolves({ Item: pending });

    const response = await decide('approve', { reason: 'go ahead' });

    expect(response.statusCode).toBe(503);
    expect(body(response).error).toMatchObject({ code: 'MAINTENANCE' });
    expect(body(response).error.message).toContain(`Writes to ${table} are paused by a disaster-recovery cutover`);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('decides normally once the hold has expired (its cutover could not release it)', async () => {
    ddb.on(GetCommand, { TableName: 'coordination-1', Key: { key: 'writes#auditLog' } }).resolves({
      Item: { key: 'writes#auditLog', table: 'audit-log', expiresAt: 1 },
    });
    ddb.on(GetCommand, { TableName: 'approvals-1' }).resolves({ Item: pending });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});

    const response = await decide('approve', { reason: 'go ahead' });

    expect(response.statusCode).toBe(200);
    expect(ddb).toHaveReceivedCommand(TransactWriteCommand);
  });

  it.each([
    ['no reason', {}, 'body.reason: is required'],
    ['a blank reason', { reason: '  ' }, 'body.reason: must say why'],
  ])('refuses %s with 400 before reading the request', async (_name, payload, message) => {
    const response = await decide('reject', payload);

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain(message);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});
