/**
 * The callers the benchmarks compare, each making the same protected call (RDS DescribeDBInstances on the
 * stand-in, made to fail by a fault plan): gated by our breaker (the six-state handshake of
 * test/circuit-breaker/breaker-harness.ts, the shape every workflow uses), ungated, and gated the way the
 * AWS sample does it with two Lambda functions (bench/baselines/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../lib/config';
import { substitutePlaceholders } from '../lib/constructs/asl-definition';
import type { VirtualClock } from '../local/clock';
import { parseFaultPlan } from '../local/faults/fault-plan';
import type { LocalRuntime } from '../local/runtime';
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import { startBreakerHarness } from '../test/circuit-breaker/breaker-harness';
import { startTestRuntime, testFunction, testMachine, testTable } from '../test/helpers/local-runtime';
import { CIRCUIT_STATUS_TABLE_ENV } from './baselines/circuit-status-table';

export const DEPENDENCY_ACTION = ':rds:describeDBInstances';
export const UNGATED = 'ungated-caller';
export const LAMBDA_GATED = 'lambda-gated-caller';
const CIRCUIT_STATUS_TABLE = 'circuit-status';
const BASELINES = join(__dirname, 'baselines');

/** The protected Task alone: what every design calls, with an optional Retry. */
export function ungatedDefinition(retry?: readonly object[]) {
  return {
    StartAt: 'Call the RDS API',
    States: {
      'Call the RDS API': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
        Parameters: { MaxRecords: 20 },
        ResultSelector: { 'count.$': 'States.ArrayLength($.DbInstances)' },
        ResultPath: '$.result',
        TimeoutSeconds: 30,
        ...(retry ? { Retry: retry } : {}),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Call failed' }],
        Next: 'Call succeeded',
      },
      'Call succeeded': { Type: 'Succeed' },
      'Call failed': { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
    },
  };
}

/** One way of making the protected call, on its own runtime. */
export interface CallerDesign {
  readonly runtime: LocalRuntime;
  readonly clock: VirtualClock;
  /** The table the gate keeps its state in (none for the ungated caller). */
  readonly gateTable?: string;
  call(): Promise<ExecutionRecord>;
  close(): Promise<void>;
}

export interface DependencyOutage {
  /** When the outage ends, relative to now (a fault-plan time such as "+150s"); forever when absent. */
  readonly until?: string;
  /** How long a failing call takes before it fails. */
  readonly latencyMs?: number;
  /** Chance that a call fails. @default 1 */
  readonly rate?: number;
  readonly seed?: number;
}

/** Makes the dependency throttle every call (as RDS does when it is down), from now on. */
export function takeDependencyDown(runtime: LocalRuntime, outage: DependencyOutage = {}): void {
  runtime.faults.setPlan(
    parseFaultPlan({
      seed: outage.seed ?? 1,
      faults: [
        {
          target: { service: 'rds', action: 'describeDBInstances' },
          error: 'Throttling',
          cause: 'Rate exceeded',
          rate: outage.rate ?? 1,
          ...(outage.latencyMs ? { latencyMs: outage.latencyMs } : {}),
          ...(outage.until ? { window: { to: outage.until } } : {}),
        },
      ],
    }),
  );
}

export function healDependency(runtime: LocalRuntime): void {
  runtime.faults.heal();
}

/** Our design: the breaker machine as deployed, behind the six-state handshake. */
export async function startGatedCaller(config: Partial<CircuitConfig> = DEFAULT_CIRCUIT): Promise<CallerDesign> {
  const harness = await startBreakerHarness(config);
  return {
    runtime: harness.runtime,
    clock: harness.clock,
    gateTable: 'circuits',
    call: () => harness.runtime.execute('protected-caller', {}),
    close: () => harness.close(),
  };
}

export interface UngatedOptions {
  readonly retry?: readonly object[];
  /** Random source for Retry jitter. */
  readonly random?: () => number;
}

export async function startUngatedCaller(options: UngatedOptions = {}): Promise<CallerDesign> {
  const { runtime, clock } = await startTestRuntime(
    { stateMachines: [testMachine(UNGATED, ungatedDefinition(options.retry))] },
    { random: options.random },
  );
  return { runtime, clock, call: () => runtime.execute(UNGATED, {}), close: () => runtime.stop() };
}

/** The AWS sample's shape: a Lambda reads the circuit, a Choice, the call, a Lambda records the failure. */
export async function startLambdaGatedCaller(): Promise<CallerDesign> {
  const environment = { [CIRCUIT_STATUS_TABLE_ENV]: CIRCUIT_STATUS_TABLE };
  const getStatus = testFunction('get-circuit-status', join(BASELINES, 'get-circuit-status.ts'), environment);
  const updateStatus = testFunction('update-circuit-status', join(BASELINES, 'update-circuit-status.ts'), environment);
  const definition = substitutePlaceholders(readFileSync(join(BASELINES, 'lambda-gated-breaker.asl.json'), 'utf8'), {
    GetCircuitStatusFunctionArn: getStatus.arn,
    UpdateCircuitStatusFunctionArn: updateStatus.arn,
  }).text;
  const table = testTable(CIRCUIT_STATUS_TABLE, 'ServiceName', {
    keySchema: [
      { AttributeName: 'ServiceName', KeyType: 'HASH' },
      { AttributeName: 'ExpireTimeStamp', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [
      { AttributeName: 'ServiceName', AttributeType: 'S' },
      { AttributeName: 'ExpireTimeStamp', AttributeType: 'N' },
    ],
  });
  const { runtime, clock } = await startTestRuntime({
    tables: [table],
    functions: [getStatus, updateStatus],
    stateMachines: [testMachine(LAMBDA_GATED, JSON.parse(definition))],
  });
  return {
    runtime,
    clock,
    gateTable: CIRCUIT_STATUS_TABLE,
    call: () => runtime.execute(LAMBDA_GATED, {}),
    close: () => runtime.stop(),
  };
}
