/**
 * The breaker machine as deployed (state-machines/circuit-breaker.asl.json, Express) and a small caller
 * whose one RDS call is protected by the six-state handshake, on the local runtime with a virtual clock.
 * The dependency is switched between healthy, down (throttled) and answering errors by a fault plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CircuitItem,
  findProtectedCalls,
  fromStoredItem,
  protectedCallStateNames,
  protectedCallSubstitutions,
} from '../../lib/circuit-breaker';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../../lib/config';
import { substitutePlaceholders } from '../../lib/constructs/asl-definition';
import type { VirtualClock } from '../../local/clock';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import type { LocalRuntime } from '../../local/runtime';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import type { StateMachineModel } from '../../local/template/app-model';
import { startTestRuntime, testMachine, testTable } from '../helpers/local-runtime';

export const CIRCUIT = 'rds-api';
export const CALLER = 'protected-caller';
export const PROTECTED_STATE = 'Call the RDS API';
export const NAMES = protectedCallStateNames('RDS API');
const BREAKER = 'circuit-breaker';
const TABLE = 'circuits';
const STATE_MACHINES = join(__dirname, '..', '..', 'state-machines');

/** How the protected call answers: `down` throttles, `invalid` is a modeled answer, `validation` an unmodeled one. */
export type DependencyMode = 'healthy' | 'down' | 'invalid' | 'validation';

const DEPENDENCY_FAULTS: Record<Exclude<DependencyMode, 'healthy'>, { error: string; cause: string }> = {
  down: { error: 'Throttling', cause: 'Rate exceeded' },
  invalid: { error: 'DBInstanceNotFound', cause: 'DBInstance payments-prod-pg-01 not found.' },
  validation: { error: 'InvalidParameterValue', cause: 'Invalid marker: not-a-marker' },
};

const SFN_RETRY = [
  {
    ErrorEquals: ['Sfn.SfnException'],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    MaxDelaySeconds: 4,
    JitterStrategy: 'FULL',
  },
];

function breakerCall(request: string, next: string, extra: Record<string, unknown>) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:sfn:startSyncExecution',
    Parameters: {
      StateMachineArn: `\${CircuitBreakerArn}`,
      Input: {
        request,
        circuit: CIRCUIT,
        settings: `\${RdsApiCircuitSettings}`,
        'caller.$': '$$.Execution.Id',
        ...(request === 'failure' ? { 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' } : {}),
        'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
      },
    },
    TimeoutSeconds: 60,
    Retry: SFN_RETRY,
    Next: next,
    ...extra,
  };
}

/** A caller with one protected call: exactly the handshake docs/circuit-breaker.md describes. */
export const CALLER_DEFINITION = {
  StartAt: NAMES.check,
  States: {
    [NAMES.check]: breakerCall('check', NAMES.decide, {
      ResultSelector: { 'decision.$': 'States.StringToJson($.Output)', 'breakerExecution.$': '$.ExecutionArn' },
      ResultPath: '$.rdsApiCircuit',
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          ResultPath: '$.rdsApiCircuit.decision',
          Next: `\${RdsApiCircuitWhenBreakerUnavailable}`,
        },
      ],
    }),
    [NAMES.decide]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.rdsApiCircuit.decision.decision', StringEquals: 'REFUSE', Next: NAMES.refused }],
      Default: PROTECTED_STATE,
    },
    [NAMES.refused]: {
      Type: 'Pass',
      Parameters: { 'Error.$': '$.rdsApiCircuit.decision.Error', 'Cause.$': '$.rdsApiCircuit.decision.Cause' },
      ResultPath: '$.failure',
      Next: 'Call failed',
    },
    [PROTECTED_STATE]: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
      Parameters: { MaxRecords: 20 },
      ResultSelector: { 'count.$': 'States.ArrayLength($.DbInstances)' },
      ResultPath: '$.result',
      TimeoutSeconds: 30,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: NAMES.failure }],
      Next: NAMES.afterSuccess,
    },
    [NAMES.afterSuccess]: {
      Type: 'Choice',
      Choices: [
        { Not: { Variable: '$.rdsApiCircuit.decision.reportSuccess', IsPresent: true }, Next: 'Call succeeded' },
        { Variable: '$.rdsApiCircuit.decision.reportSuccess', BooleanEquals: true, Next: NAMES.success },
      ],
      Default: 'Call succeeded',
    },
    [NAMES.success]: breakerCall('success', 'Call succeeded', {
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.rdsApiCircuit.recordError', Next: 'Call succeeded' }],
    }),
    [NAMES.failure]: breakerCall('failure', 'Call failed', {
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.rdsApiCircuit.recordError', Next: 'Call failed' }],
    }),
    'Call succeeded': { Type: 'Succeed' },
    'Call failed': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
  },
};

export interface BreakerHarness {
  readonly runtime: LocalRuntime;
  readonly clock: VirtualClock;
  readonly runs: ExecutionRecord[];
  setDependency(mode: DependencyMode): void;
  /** Makes every StartSyncExecution of the breaker fail as a throttled API would (or heals it). */
  setBreakerThrottled(throttled: boolean): void;
  run(name?: string): Promise<ExecutionRecord>;
  item(): Promise<CircuitItem | undefined>;
  /** Attempts of the protected Task that reached the dependency (injected failures included). */
  dependencyCalls(): number;
  /** "Circuit State Changed" event details, oldest first. */
  stateChanges(): Record<string, unknown>[];
  /** The same, as `FROM->TO`. */
  transitions(): string[];
  metricNames(): string[];
  close(): Promise<void>;
}

export interface BreakerHarnessOptions {
  /** Point the breaker at a table that does not exist, to exercise the fail policy. */
  readonly unreachableTable?: boolean;
}

export async function startBreakerHarness(
  config: Partial<CircuitConfig> = {},
  options: BreakerHarnessOptions = {},
): Promise<BreakerHarness> {
  const circuitConfig = { ...DEFAULT_CIRCUIT, ...config };
  const breakerArn = testMachine(BREAKER, { StartAt: 'x', States: { x: { Type: 'Succeed' } } }).arn;
  const breakerText = substitutePlaceholders(readFileSync(join(STATE_MACHINES, `${BREAKER}.asl.json`), 'utf8'), {
    CircuitTableName: options.unreachableTable ? 'no-such-table' : TABLE,
    EventBusName: 'default',
  }).text;
  const [call] = findProtectedCalls(CALLER_DEFINITION, CALLER);
  const callerText = substitutePlaceholders(JSON.stringify(CALLER_DEFINITION), {
    CircuitBreakerArn: breakerArn,
    ...protectedCallSubstitutions(call!, circuitConfig),
  }).text;
  const breaker: StateMachineModel = { ...testMachine(BREAKER, JSON.parse(breakerText)), type: 'EXPRESS' };
  const { runtime, clock } = await startTestRuntime({
    tables: [testTable(TABLE, 'circuit')],
    stateMachines: [breaker, testMachine(CALLER, JSON.parse(callerText))],
  });
  const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
  let dependency: DependencyMode = 'healthy';
  let breakerThrottled = false;
  const applyFaults = () => {
    const faults = [];
    if (dependency !== 'healthy') {
      faults.push({
        target: { service: 'rds', action: 'describeDBInstances' },
        rate: 1,
        ...DEPENDENCY_FAULTS[dependency],
      });
    }
    if (breakerThrottled) {
      faults.push({
        target: { service: 'sfn', action: 'startSyncExecution' },
        rate: 1,
        error: 'ThrottlingException',
        cause: 'Rate exceeded',
      });
    }
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults }));
  };
  const harness: BreakerHarness = {
    runtime,
    clock,
    runs: [],
    setDependency(mode) {
      dependency = mode;
      applyFaults();
    },
    setBreakerThrottled(throttled) {
      breakerThrottled = throttled;
      applyFaults();
    },
    async run(name) {
      const record = await runtime.execute(CALLER, {}, name);
      harness.runs.push(record);
      return record;
    },
    async item() {
      const { Item } = await documents.send(
        new GetCommand({ TableName: TABLE, Key: { circuit: CIRCUIT }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : fromStoredItem(Item);
    },
    dependencyCalls: () =>
      harness.runs.reduce(
        (total, run) => total + run.calls.filter((c) => c.resource.endsWith(':rds:describeDBInstances')).length,
        0,
      ),
    // The optimized putEvents integration takes Detail as a JSON object; the SDK as text.
    stateChanges: () =>
      runtime.services.eventbridge.calls.flatMap((recorded) =>
        ((recorded.params as { Entries?: { DetailType?: string; Detail?: unknown }[] }).Entries ?? [])
          .filter((entry) => entry.DetailType === 'Circuit State Changed')
          .map((entry) =>
            typeof entry.Detail === 'string'
              ? (JSON.parse(entry.Detail) as Record<string, unknown>)
              : (entry.Detail as Record<string, unknown>),
          ),
      ),
    transitions: () => harness.stateChanges().map((detail) => `${detail.from}->${detail.to}`),
    metricNames: () => runtime.services.cloudwatch.datapoints.map((datapoint) => datapoint.metricName),
    close: () => runtime.stop(),
  };
  return harness;
}
