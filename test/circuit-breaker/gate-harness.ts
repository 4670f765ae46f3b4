/**
 * Runs a tiny machine whose one Task is protected by a generated circuit gate, on the local engine with
 * dynalite and a virtual clock, and a dependency the test switches between healthy and down.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AslDefinition,
  applyCircuitGates,
  type CircuitItem,
  circuitSubstitutions,
  formatDefinition,
  parseCircuitGates,
} from '../../lib/circuit-breaker';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../../lib/config';
import { VirtualClock } from '../../local/clock';
import { ServiceError } from '../../local/services/errors';
import { LocalFunctions } from '../../local/stepfunctions/bindings/lambda-function';
import { type ExecutionRecord, LocalStateMachine } from '../../local/stepfunctions/local-state-machine';
import { TaskTokenRegistry } from '../../local/stepfunctions/task-tokens';

// biome-ignore lint/suspicious/noExplicitAny: dynalite ships no types
const dynalite: (options: object) => any = require('dynalite');

export const CIRCUIT = 'test-api';
export const COUNTED = ['Rds.RdsException', 'States.Timeout'];

const AUTHORED: AslDefinition = {
  StartAt: 'Check Test API circuit',
  States: {
    'Call the test API': {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
      Parameters: {},
      ResultPath: '$.result',
      End: true,
    },
    'Call succeeded': { Type: 'Succeed' },
    'Call failed': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
  },
};

export type DependencyMode = 'healthy' | 'down' | 'invalid';

export interface GateHarness {
  readonly clock: VirtualClock;
  readonly table: string;
  readonly docs: DynamoDBDocumentClient;
  readonly events: Record<string, unknown>[];
  readonly metrics: Record<string, unknown>[];
  dependency: DependencyMode;
  dependencyCalls: number;
  run(name?: string): Promise<ExecutionRecord>;
  item(): Promise<CircuitItem | undefined>;
  close(): Promise<void>;
}

let sequence = 0;

export interface GateHarnessOptions {
  /** Point the gate at a table that does not exist, to exercise the fail policy. */
  readonly unreachableTable?: boolean;
}

export async function startGateHarness(
  config: Partial<CircuitConfig> = {},
  options: GateHarnessOptions = {},
): Promise<GateHarness> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const table = `circuits-${++sequence}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'circuit', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'circuit', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const clock = new VirtualClock();
  const gates = parseCircuitGates({
    circuits: { [CIRCUIT]: { label: 'Test API', countedErrors: COUNTED } },
    gates: [
      {
        machine: 'gate-test',
        circuit: CIRCUIT,
        protectedState: 'Call the test API',
        next: 'Call succeeded',
        onFailure: 'Call failed',
        errorPath: '$.failure',
      },
    ],
  });
  const values: Record<string, string> = {
    CircuitTableName: options.unreachableTable ? 'no-such-table' : table,
    EventBusName: 'default',
    ...circuitSubstitutions(CIRCUIT, { ...DEFAULT_CIRCUIT, ...config }),
  };
  const text = formatDefinition(applyCircuitGates(AUTHORED, 'gate-test', gates)).replace(
    /\$\{([A-Za-z0-9]+)\}/g,
    (_, name: string) => values[name]!,
  );
  const harness: GateHarness = {
    clock,
    table,
    docs: DynamoDBDocumentClient.from(client),
    events: [],
    metrics: [],
    dependency: 'healthy',
    dependencyCalls: 0,
    run: async (name) => machine.start({}, name).done,
    item: async () =>
      (await harness.docs.send(new GetCommand({ TableName: table, Key: { circuit: CIRCUIT }, ConsistentRead: true })))
        .Item as CircuitItem | undefined,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const putEvents = async (params: unknown) => {
    for (const entry of (params as { Entries: Record<string, unknown>[] }).Entries) harness.events.push(entry);
    return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
  };
  const machine = new LocalStateMachine(
    {
      name: 'gate-test',
      arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:gate-test',
      definition: JSON.parse(text),
    },
    {
      clock,
      bindings: {
        clock,
        functions: new LocalFunctions([], clock),
        dynamoDb: client,
        tokens: new TaskTokenRegistry(),
        serviceActions: {
          'rds:describeDBInstances': async () => {
            harness.dependencyCalls += 1;
            if (harness.dependency === 'down')
              throw new ServiceError('Throttling', 'Rate exceeded', { service: 'rds' });
            if (harness.dependency === 'invalid') {
              throw new ServiceError('DBInstanceNotFound', 'DBInstance x not found.', {
                service: 'rds',
                statusCode: 404,
              });
            }
            return { DbInstances: [] };
          },
          'cloudwatch:putMetricData': async (params) => {
            harness.metrics.push(params as Record<string, unknown>);
            return {};
          },
          'events:putEvents': putEvents,
          'eventbridge:putEvents': putEvents,
        },
      },
    },
  );
  return harness;
}

/** The "Circuit State Changed" details, as `FROM->TO`. */
export function transitionsOf(harness: GateHarness): string[] {
  return harness.events.map((event) => {
    const detail = event.Detail as { from: string; to: string };
    return `${detail.from}->${detail.to}`;
  });
}
