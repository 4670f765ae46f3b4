/**
 * GET /circuits and POST /circuits/{name}/open|close|reset with the SDK mocked: the shared circuit operations
 * write the circuit and its audit entry in one transaction with the caller's identity, the change is announced,
 * and every refusal changes nothing.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as changeCircuit } from '../../../handlers/api/change-circuit';
import { handler as listCircuits } from '../../../handlers/api/list-circuits';
import { DEFAULT_CIRCUIT_SETTINGS, initialCircuit, OPEN_FOREVER } from '../../../lib/circuit-breaker';
import { apiEvent, type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);
const CALLER = 'arn:aws:sts::123456789012:assumed-role/ops/alice';
const ENV = {
  CIRCUIT_TABLE_NAME: 'circuits-1',
  COORDINATION_TABLE_NAME: 'coordination-1',
  AUDIT_TABLE_NAME: 'audit-1',
  EVENT_BUS_NAME: 'default',
  CIRCUITS: JSON.stringify({ 'rds-api': DEFAULT_CIRCUIT_SETTINGS, 'cost-explorer': DEFAULT_CIRCUIT_SETTINGS }),
};
const body = (response: { body: string }) => JSON.parse(response.body);
const openItem = { ...initialCircuit('rds-api'), state: 'OPEN', version: 3, openUntil: OPEN_FOREVER, openCount: 1 };
const lostCompareAndSet = Object.assign(new Error('Transaction cancelled'), {
  name: 'TransactionCanceledException',
  CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
  $metadata: { httpStatusCode: 400 },
});

function post(name: string, action: string, payload: unknown, options: { userArn?: string | null } = {}) {
  return changeCircuit(
    apiEvent({
      method: 'POST',
      path: `/circuits/${name}/${action}`,
      resource: `/circuits/{name}/${action}`,
      pathParameters: { name },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'x-correlation-id': 'change-1' },
      ...(options.userArn !== null && { userArn: options.userArn ?? CALLER }),
    }),
    fakeContext(),
  );
}

let output: CapturedOutput;
const saved = { ...process.env };
beforeEach(() => {
  output = captureOutput();
  Object.assign(process.env, ENV);
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  // No cutover holds writes unless a test says so.
  ddb.on(GetCommand, { TableName: 'coordination-1' }).resolves({});
});
afterEach(() => {
  ddb.reset();
  events.reset();
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('GET /circuits', () => {
  it('lists every declared circuit with its settings, CLOSED and not stored when it has no item', async () => {
    ddb.on(ScanCommand).resolves({ Items: [openItem, { ...initialCircuit('sns-publish'), version: 1 }] });

    const response = await listCircuits(apiEvent({ path: '/circuits' }), fakeContext());

    expect(response.statusCode).toBe(200);
    expect(body(response).circuits).toEqual([
      expect.objectContaining({
        circuit: 'cost-explorer',
        state: 'CLOSED',
        stored: false,
        settings: DEFAULT_CIRCUIT_SETTINGS,
      }),
      expect.objectContaining({ circuit: 'rds-api', state: 'OPEN', openUntil: 'forever', version: 3, stored: true }),
      expect.objectContaining({ circuit: 'sns-publish', state: 'CLOSED', stored: true }),
    ]);
    expect(body(response).circuits[2]).not.toHaveProperty('settings');
  });
});

describe('POST /circuits/{name}/{action}', () => {
  it('opens a circuit for a while: circuit and audit entry in one transaction, the caller as actor, announced', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({});
    ddb.on(TransactWriteCommand).resolves({});

    const response = await post('rds-api', 'open', { reason: 'RDS maintenance window', forSeconds: 900 });

    expect(response.statusCode).toBe(200);
    const answer = body(response);
    expect(answer).toMatchObject({
      action: 'open',
      previousState: 'CLOSED',
      announced: true,
      circuit: { circuit: 'rds-api', state: 'OPEN', changedBy: `api:${CALLER}`, version: 1 },
      audit: { subject: 'circuit#rds-api' },
    });
    const [write] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const audit = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Put!.Item;
    expect(write!.Put!.ConditionExpression).toBe('attribute_not_exists(circuit)');
    expect(audit).toMatchObject({
      actor: CALLER,
      action: 'circuit.open',
      via: 'api',
      reason: 'RDS maintenance window',
      fromState: 'CLOSED',
      toState: 'OPEN',
    });
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ Source: 'rds-ops.circuit-breaker', DetailType: 'Circuit State Changed' })],
    });
    expect(output.emf()).toContainEqual(
      expect.objectContaining({ Circuit: 'rds-api', ToState: 'OPEN', CircuitStateChanged: 1 }),
    );
  });

  it('closes an open circuit, compare-and-set on the version it read', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({ Item: openItem });
    ddb.on(TransactWriteCommand).resolves({});

    const response = await post('rds-api', 'close', { reason: 'RDS is healthy again' });

    expect(body(response)).toMatchObject({ previousState: 'OPEN', circuit: { state: 'CLOSED', version: 4 } });
    const put = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!;
    expect(put.ExpressionAttributeValues).toMatchObject({ ':version': 3 });
  });

  it('is not repeated blindly: closing a CLOSED circuit is 409 CONFLICT and writes nothing', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({});

    const response = await post('rds-api', 'close', { reason: 'double click' });

    expect(response.statusCode).toBe(409);
    expect(body(response).error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already CLOSED'),
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(events).not.toHaveReceivedAnyCommand();
  });

  it('answers 409 with Retry-After when workflows keep winning the compare-and-set', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({ Item: openItem });
    ddb.on(TransactWriteCommand).rejects(lostCompareAndSet);

    const response = await post('rds-api', 'reset', { reason: 'start over' });

    expect(response.statusCode).toBe(409);
    expect(response.headers).toMatchObject({ 'retry-after': '1' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
  });

  it('keeps a committed change when its event cannot be sent, and says so', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    events.on(PutEventsCommand).rejects(Object.assign(new Error('down'), { name: 'InternalException' }));

    const response = await post('rds-api', 'open', { reason: 'isolate RDS' });

    expect(response.statusCode).toBe(200);
    expect(body(response).announced).toBe(false);
    expect(output.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', circuit: 'rds-api' }));
  });

  it.each<[string, string, string, unknown, number, string]>([
    ['an undeclared circuit', 'sqs-api', 'open', { reason: 'why not' }, 404, 'No circuit named "sqs-api"'],
    ['no reason', 'rds-api', 'open', {}, 400, 'body.reason: is required'],
    ['a blank reason', 'rds-api', 'reset', { reason: '   ' }, 400, 'body.reason: must say why'],
    ['forSeconds on close', 'rds-api', 'close', { reason: 'done', forSeconds: 60 }, 400, 'only open takes forSeconds'],
    ['forSeconds of a year', 'rds-api', 'open', { reason: 'long', forSeconds: 31_536_000 }, 400, 'body.forSeconds'],
    ['an extra field', 'rds-api', 'open', { reason: 'ok then', actor: 'bob' }, 400, 'Unrecognized key: "actor"'],
    ['malformed JSON', 'rds-api', 'open', '{"reason": ', 400, 'not valid JSON'],
    ['a JSON array', 'rds-api', 'open', '["reason"]', 400, 'body: must be a JSON object with reason'],
    ['a name that is no circuit name', 'RDS_API', 'open', { reason: 'typo' }, 400, 'path.name: must be a kebab-case'],
  ])('refuses %s and changes nothing', async (_name, circuit, action, payload, status, message) => {
    const response = await post(circuit, action, payload);

    expect(response.statusCode).toBe(status);
    expect(body(response).error).toMatchObject({
      message: expect.stringContaining(message),
      correlationId: 'change-1',
    });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a body over 4 KiB with 413 before parsing it', async () => {
    const response = await post('rds-api', 'open', JSON.stringify({ reason: 'x'.repeat(5000) }));

    expect(response.statusCode).toBe(413);
    expect(body(response).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 MAINTENANCE and changes nothing while a cutover holds the writes of audit-log', async () => {
    ddb.on(GetCommand, { TableName: 'coordination-1' }).resolves({
      Item: { key: 'writes#auditLog', table: 'audit-log', reason: 'Cutover of audit-log', expiresAt: 4_000_000_000 },
    });
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({});

    const response = await post('rds-api', 'open', { reason: 'RDS maintenance' });

    expect(response.statusCode).toBe(503);
    expect(body(response).error).toMatchObject({ code: 'MAINTENANCE' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a request without an IAM identity with 401', async () => {
    ddb.on(GetCommand, { TableName: 'circuits-1' }).resolves({});

    const response = await post('rds-api', 'open', { reason: 'who am I' }, { userArn: null });

    expect(response.statusCode).toBe(401);
    expect(body(response).error.code).toBe('UNAUTHORIZED');
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});
