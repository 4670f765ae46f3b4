import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { runCircuitsCommand } from '../../cli/circuits/circuits-command';
import {
  type CircuitStateChange,
  circuitViolations,
  DEFAULT_CIRCUIT_SETTINGS,
  initialCircuit,
  OPEN_FOREVER,
} from '../../lib/circuit-breaker';
import { VirtualClock } from '../../local/clock';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/dynamodb';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('rds-ops circuits', () => {
  // The local DynamoDB (dynalite behind the proxy): a manual change is a TransactWriteItems.
  let db: LocalDynamoDb;
  let client: DynamoDBClient;
  let dynamo: DynamoDBDocumentClient;
  let out: string[];
  let err: string[];
  let now: number;
  let run: (...argv: string[]) => Promise<number>;
  let announced: CircuitStateChange[];

  beforeAll(async () => {
    db = await startLocalDynamoDb({ clock: new VirtualClock() });
    client = new DynamoDBClient({
      endpoint: db.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    dynamo = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(async () => {
    client.destroy();
    await db.stop();
  });

  let tables = 0;
  afterEach(() => {
    jest.restoreAllMocks();
  });

  beforeEach(async () => {
    tables += 1;
    const circuitTable = `circuits-${tables}`;
    const auditTable = `audit-${tables}`;
    await client.send(
      new CreateTableCommand({
        TableName: circuitTable,
        KeySchema: [{ AttributeName: 'circuit', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'circuit', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: auditTable,
        KeySchema: [
          { AttributeName: 'subject', KeyType: 'HASH' },
          { AttributeName: 'at', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'subject', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    out = [];
    err = [];
    announced = [];
    now = T0;
    const deps = {
      dynamo,
      circuitTable,
      auditTable,
      now: () => now,
      out: (line: string) => out.push(line),
      err: (line: string) => err.push(line),
      defaultActor: 'alice',
      settingsOf: (name: string) =>
        name === 'cost-explorer' ? { ...DEFAULT_CIRCUIT_SETTINGS, failureThreshold: 3 } : DEFAULT_CIRCUIT_SETTINGS,
      announce: async (change: CircuitStateChange) => {
        announced.push(change);
      },
    };
    run = (...argv) => runCircuitsCommand(argv, deps);
  });

  const circuit = async (name = 'rds-api') =>
    (
      await dynamo.send(
        new GetCommand({ TableName: `circuits-${tables}`, Key: { circuit: name }, ConsistentRead: true }),
      )
    ).Item;
  const audit = async (name = 'rds-api') =>
    (
      await dynamo.send(
        new QueryCommand({
          TableName: `audit-${tables}`,
          KeyConditionExpression: 'subject = :s',
          ExpressionAttributeValues: { ':s': `circuit#${name}` },
        }),
      )
    ).Items ?? [];

  it('opens a circuit for a while, with an audit entry saying who and why', async () => {
    const code = await run('open', 'rds-api', '--for', '15m', '--reason', 'RDS maintenance window');

    expect(code).toBe(0);
    expect(await circuit()).toEqual(
      expect.objectContaining({ state: 'OPEN', openUntil: T0 / 1000 + 900, version: 1, changedBy: 'cli:alice' }),
    );
    expect(await audit()).toEqual([
      expect.objectContaining({
        actor: 'alice',
        action: 'circuit.open',
        reason: 'RDS maintenance window',
        fromState: 'CLOSED',
        toState: 'OPEN',
      }),
    ]);
    expect(out[0]).toMatch(/^rds-api: CLOSED \(no item\) -> OPEN \(version 1, 2026-01-01T00:15:00.000Z\)/);
  });

  it('isolates until closed by hand, then closes and resets with version bumps', async () => {
    await run('open', 'rds-api', '--reason', 'isolate', '--actor', 'bob');
    const isolated = await circuit();
    now += 60_000;
    const closeCode = await run('close', 'rds-api', '--reason', 'maintenance done');
    const closed = await circuit();
    now += 60_000;
    const resetCode = await run('reset', 'rds-api', '--reason', 'clear counters');

    expect(isolated).toEqual(expect.objectContaining({ openUntil: OPEN_FOREVER, changedBy: 'cli:bob' }));
    expect([closeCode, resetCode]).toEqual([0, 0]);
    expect(closed).toEqual(expect.objectContaining({ state: 'CLOSED', version: 2 }));
    expect((await circuit())?.version).toBe(3);
    expect((await audit()).map((entry) => entry.action)).toEqual(['circuit.open', 'circuit.close', 'circuit.reset']);
    expect(circuitViolations((await circuit()) as never)).toEqual([]);
  });

  it('refuses to close a CLOSED circuit (exit 1) and says what to do instead', async () => {
    await dynamo.send(new PutCommand({ TableName: `circuits-${tables}`, Item: initialCircuit('rds-api') }));

    const code = await run('close', 'rds-api', '--reason', 'why not');

    expect(code).toBe(1);
    expect(err).toEqual([
      'rds-ops circuits: Circuit "rds-api" is already CLOSED; use "reset" to clear its failure count.',
    ]);
    expect(await audit()).toEqual([]);
  });

  it('lists and shows circuits', async () => {
    await run('open', 'rds-api', '--for', '90s', '--reason', 'drill');
    await dynamo.send(
      new PutCommand({
        TableName: `circuits-${tables}`,
        Item: initialCircuit('cost-explorer'),
      }),
    );
    out = [];

    expect(await run('list')).toBe(0);
    expect(out).toEqual([
      'CIRCUIT        STATE   FAILURES  OPEN UNTIL                VERSION',
      'cost-explorer  CLOSED  0/3       -                         0',
      'rds-api        OPEN    0/5       2026-01-01T00:01:30.000Z  1',
    ]);
    out = [];
    expect(await run('show', 'rds-api')).toBe(0);
    expect(out).toEqual(expect.arrayContaining(['state        OPEN', 'last error   manual: drill']));
    out = [];
    expect(await run('show', 'nothing-yet', '--json')).toBe(0);
    expect(out).toEqual(['null']);
  });

  it.each([
    [[], /missing subcommand/],
    [['open', 'rds-api'], /needs --reason/],
    [['open', 'rds-api', '--for', '90', '--reason', 'x'], /positive duration with a unit/],
    [['open', 'rds-api', '--for', 'soon', '--reason', 'x'], /positive duration with a unit/],
    [['open', 'rds-api', '--for'], /argument missing/],
    [['list', '--verbose'], /Unknown option '--verbose'/],
    [['close', 'RDS_API', '--reason', 'x'], /kebab-case/],
    [['show', 'rds-api', '--for', '5m'], /--for only goes with open/],
    [['frobnicate'], /unknown subcommand/],
  ])('answers bad usage %j with exit 2 and one line', async (argv, message) => {
    const code = await run(...(argv as string[]));

    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('retries on a concurrent change instead of overwriting it', async () => {
    await dynamo.send(
      new PutCommand({
        TableName: `circuits-${tables}`,
        Item: {
          ...initialCircuit('rds-api'),
          failureCount: 2,
          windowEndsAt: T0 / 1000 + 300,
        },
      }),
    );
    // A workflow counts a failure (ADD, no version bump) between the CLI's read and its write.
    const original = dynamo.send.bind(dynamo);
    let raced = false;
    jest.spyOn(dynamo, 'send').mockImplementation((async (command: unknown) => {
      if (!raced && command instanceof TransactWriteCommand) {
        raced = true;
        await original(
          new PutCommand({
            TableName: `circuits-${tables}`,
            Item: {
              ...initialCircuit('rds-api'),
              failureCount: 3,
              windowEndsAt: T0 / 1000 + 300,
            },
          }),
        );
      }
      return original(command as never);
    }) as never);

    const code = await run('open', 'rds-api', '--reason', 'race');

    expect(code).toBe(0);
    expect(await circuit()).toEqual(expect.objectContaining({ state: 'OPEN', failureCount: 3 }));
  });

  it('announces a manual transition as the workflows do, and nothing when the state does not change', async () => {
    await run('open', 'rds-api', '--for', '10m', '--reason', 'RDS maintenance');
    await run('close', 'rds-api', '--reason', 'maintenance over');
    await run('close', 'rds-api', '--reason', 'already closed');

    expect(announced.map((change) => [change.from, change.to, change.changedBy])).toEqual([
      ['CLOSED', 'OPEN', 'cli:alice'],
      ['OPEN', 'CLOSED', 'cli:alice'],
    ]);
    expect(announced[0]).toMatchObject({
      circuit: 'rds-api',
      reason: 'RDS maintenance',
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads durations with units (ms library), rounding up to whole seconds', async () => {
    await run('open', 'rds-api', '--for', '1.5h', '--reason', 'long maintenance');
    const long = await circuit();
    await run('close', 'rds-api', '--reason', 'done');
    await run('open', 'rds-api', '--for', '1500ms', '--reason', 'blip');

    expect(long?.openUntil).toBe(T0 / 1000 + 5400);
    expect((await circuit())?.openUntil).toBe(T0 / 1000 + 2);
  });

  it('shows the settings in force and where they come from: CDK config, nothing stored in the item', async () => {
    await run('open', 'cost-explorer', '--reason', 'billing incident');
    out = [];

    expect(await run('show', 'cost-explorer')).toBe(0);
    expect(await circuit('cost-explorer')).not.toHaveProperty('config');
    expect(out).toEqual(
      expect.arrayContaining([
        'failures     0 of 3 within 300 s',
        'settings     in force from CDK config (cdk.json or -c circuits.<name>.<key>), applied by each deploy:',
        '  failureThreshold       3       configured',
        '  successThreshold       2       default',
      ]),
    );
  });
});
