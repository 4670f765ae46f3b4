/**
 * The real inventory-refresh workflow on the synthesized app: paging through the RDS fleet behind the
 * rds-api circuit (the breaker machine), reconciling vanished instances, the audit trail, retries, the
 * circuit, settings that a deploy changes, and the schedule.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { protectedCallStateNames } from '../../lib/circuit-breaker';
import { VirtualClock } from '../../local/clock';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime';
import { countItems, readCircuit } from '../../local/scenarios/tables';
import { parseDefinition } from '../../local/stepfunctions/definition';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import type { TraceEvent } from '../../local/stepfunctions/trace';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';

const WORKFLOW = 'inventory-refresh';
const LIST_STATE = 'List RDS instances';
const GATE_STATE = protectedCallStateNames('RDS API').check;
const AUDIT_SUBJECT = 'workflow#inventory-refresh';

const THROTTLE_RDS = {
  target: { service: 'rds', action: 'describeDBInstances' },
  error: 'Throttling',
  cause: 'Rate exceeded',
  rate: 1,
};

interface RetrySpec {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds: number;
}

let model: AppModel;
let runtime: LocalRuntime;
/** The app deployed again with `-c circuits.rds-api.failureThreshold=1`, synthesized once when first needed. */
let strictModel: AppModel | undefined;
const strict = () => {
  strictModel ??= loadAppModel({ context: { 'circuits.rds-api.failureThreshold': 1 } });
  return strictModel;
};

beforeAll(() => {
  model = loadAppModel();
});

async function startRuntime(options: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> {
  runtime = await LocalRuntime.start({ model, clock: new VirtualClock(), handlerLogLevel: 'SILENT', ...options });
  return runtime;
}

/** Child executions of one machine behind one refresh (`CircuitBreaker`, `SavePage`: its logical id). */
function childExecutionsOf(execution: ExecutionRecord, machine: string): number {
  return execution.calls
    .flatMap((call) => call.childExecutions ?? [])
    .filter((child) => child.stateMachineArn.includes(machine)).length;
}

/** Breaker executions behind one refresh (one check per page, plus the reports it was asked for). */
function breakerExecutions(execution: ExecutionRecord): number {
  return childExecutionsOf(execution, 'CircuitBreaker');
}

afterEach(async () => {
  await runtime?.stop();
});

function documents(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(runtime.dynamoDbClient);
}

async function inventory(): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new ScanCommand({
        TableName: runtime.tableName('rdsInventory'),
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items.set(String(item.instanceId), item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function auditEntries(): Promise<Record<string, unknown>[]> {
  const { Items } = await documents().send(
    new QueryCommand({
      TableName: runtime.tableName('auditLog'),
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': AUDIT_SUBJECT },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

function entered(execution: ExecutionRecord, state: string): number {
  return execution.trace.filter((event) => event.type === 'StateEntered' && event.state === state).length;
}

function retriesOf(execution: ExecutionRecord, state: string) {
  return execution.trace.filter(
    (event): event is Extract<TraceEvent, { type: 'StateRetried' }> =>
      event.type === 'StateRetried' && event.state === state,
  );
}

function definitionState(name: string): Record<string, unknown> {
  return runtime.stateMachine(WORKFLOW).definition.States[name] as Record<string, unknown>;
}

/** Status with error and cause, so a failure message says why the execution did not succeed. */
function outcome(execution: ExecutionRecord) {
  return { status: execution.status, error: execution.error, cause: execution.cause };
}

const SUCCEEDED = { status: 'SUCCEEDED', error: undefined, cause: undefined };

function describeCalls(): number {
  return runtime.services.rds.calls.filter((call) => call.action === 'describeDBInstances').length;
}

describe('inventory-refresh on the synthesized app', () => {
  it('pages through the whole fleet, one gated describeDBInstances call per page, and saves every instance', async () => {
    await startRuntime();
    const fleet = runtime.services.rds.instances();
    const pageSize = (
      definitionState('Prepare the inventory refresh').Parameters as { request: { MaxRecords: number } }
    ).request.MaxRecords;
    const expectedPages = Math.ceil(fleet.length / pageSize);

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const saved = await inventory();

    expect(fleet).toHaveLength(36);
    expect(expectedPages).toBeGreaterThan(1);
    expect(outcome(execution)).toEqual(SUCCEEDED);
    expect(describeCalls()).toBe(expectedPages);
    expect(entered(execution, GATE_STATE)).toBe(expectedPages);
    expect(entered(execution, LIST_STATE)).toBe(expectedPages);
    expect(breakerExecutions(execution)).toBe(expectedPages);
    expect(childExecutionsOf(execution, 'SavePage')).toBe(expectedPages);
    expect(execution.output).toEqual(
      expect.objectContaining({
        refresh: expect.objectContaining({ pages: expectedPages, instancesSeen: fleet.length }),
        reconcile: { scanned: fleet.length, markedMissing: 0, alreadyMissing: 0 },
      }),
    );
    expect([...saved.keys()].sort()).toEqual(fleet.map((instance) => instance.DbInstanceIdentifier));
    for (const instance of [fleet[0], fleet[17], fleet[fleet.length - 1]]) {
      expect(saved.get(instance.DbInstanceIdentifier)).toEqual(
        expect.objectContaining({
          engine: instance.Engine,
          engineVersion: instance.EngineVersion,
          instanceClass: instance.DbInstanceClass,
          status: instance.DbInstanceStatus,
          arn: instance.DbInstanceArn,
          lastSeenRefreshId: execution.name,
        }),
      );
    }
  });

  it('marks an instance that left the fleet between two refreshes MISSING, and only that one', async () => {
    await startRuntime();
    await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const gone = runtime.services.rds.instances()[5].DbInstanceIdentifier;
    runtime.services.rds.removeInstance(gone);
    // Refreshes run 15 minutes apart; on the virtual clock, nothing else would move time between them.
    await runtime.clock.sleep(15 * 60_000);

    const second = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const saved = await inventory();
    const missing = [...saved.values()].filter((item) => item.status === 'MISSING');

    expect(outcome(second)).toEqual(SUCCEEDED);
    expect(missing.map((item) => item.instanceId)).toEqual([gone]);
    expect(saved.get(gone)).toEqual(
      expect.objectContaining({
        missingInRefreshId: second.name,
        missingSince: (second.output as { refresh: { startedAt: string } }).refresh.startedAt,
      }),
    );
    expect(second.output).toEqual(
      expect.objectContaining({ reconcile: { scanned: 36, markedMissing: 1, alreadyMissing: 0 } }),
    );
  });

  it('never marks a present instance MISSING when two refreshes overlap (a scheduled and a manual one)', async () => {
    await startRuntime();

    const [scheduled, manual] = await Promise.all([
      runtime.execute(WORKFLOW, { trigger: 'schedule' }),
      runtime.execute(WORKFLOW, { trigger: 'manual' }),
    ]);
    const saved = await inventory();

    expect([outcome(scheduled), outcome(manual)]).toEqual([SUCCEEDED, SUCCEEDED]);
    expect([...saved.values()].filter((item) => item.status === 'MISSING').map((item) => item.instanceId)).toEqual([]);
  });

  it('writes one audit-log entry per refresh, for success and failure alike', async () => {
    await startRuntime();
    const succeeded = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [THROTTLE_RDS] }));
    const failed = await runtime.execute(WORKFLOW, { trigger: 'manual' });

    const entries = await auditEntries();

    expect(outcome(succeeded)).toEqual(SUCCEEDED);
    expect(failed.status).toBe('FAILED');
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          executionId: succeeded.executionArn,
          refreshId: succeeded.name,
          outcome: 'SUCCEEDED',
          action: 'inventory.refresh',
          actor: 'workflow:inventory-refresh',
          details: { pages: 2, instancesSeen: 36, markedMissing: 0 },
        }),
        expect.objectContaining({
          executionId: failed.executionArn,
          refreshId: failed.name,
          outcome: 'FAILED',
          error: 'Rds.RdsException',
          cause: expect.stringContaining('Rate exceeded'),
          details: { pages: 0, instancesSeen: 0 },
        }),
      ]),
    );
  });

  it('retries a throttled listing with capped, jittered delays, then fails and counts one rds-api failure', async () => {
    await startRuntime({ random: () => 0.5 });
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [THROTTLE_RDS] }));
    const retry = (definitionState(LIST_STATE).Retry as RetrySpec[]).find((retrier) =>
      retrier.ErrorEquals.includes('Rds.RdsException'),
    )!;
    const caps = Array.from({ length: retry.MaxAttempts }, (_, attempt) =>
      Math.min(retry.IntervalSeconds * retry.BackoffRate ** attempt, retry.MaxDelaySeconds),
    ).map((seconds) => seconds * 1000);

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const delays = retriesOf(execution, LIST_STATE).map((event) => event.delayMs);
    const circuit = await readCircuit(runtime, 'rds-api');

    expect(delays).toHaveLength(retry.MaxAttempts);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(retry.MaxDelaySeconds * 1000);
    for (const [attempt, delay] of delays.entries()) expect(delay).toBeLessThanOrEqual(caps[attempt]);
    // FULL jitter with a random source of 0.5 waits half of each capped backoff, not the backoff itself.
    expect(delays).toEqual(caps.map((cap) => cap * 0.5));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Rds.RdsException');
    expect(execution.cause).toContain('Rate exceeded');
    expect(describeCalls()).toBe(0);
    expect(circuit).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 1 }));
  });

  it('opens the circuit in the middle of a listing, after which refreshes fail fast without calling RDS', async () => {
    // Deployed with failureThreshold 1: one counted failure opens the circuit.
    await startRuntime({ model: strict() });
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [
          // The first page is slow (1 s on the clock) and goes through ...
          { id: 'slow-first-page', target: THROTTLE_RDS.target, latencyMs: 1000, count: 1 },
          // ... every attempt at the next page is throttled; after those 5 calls RDS would answer again.
          { ...THROTTLE_RDS, id: 'throttled-next-pages', window: { from: '+1s' }, count: 5 },
        ],
      }),
    );

    const interrupted = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const callsAfterOpening = runtime.services.rds.calls.length;
    const circuit = await readCircuit(runtime, 'rds-api');
    const savedBeforeOpening = await countItems(runtime, 'rdsInventory');
    const later = [
      await runtime.execute(WORKFLOW, { trigger: 'manual' }),
      await runtime.execute(WORKFLOW, { trigger: 'schedule' }),
    ];

    expect(interrupted.status).toBe('FAILED');
    expect(interrupted.error).toBe('Rds.RdsException');
    expect(entered(interrupted, GATE_STATE)).toBe(2);
    expect(callsAfterOpening).toBe(1);
    expect(savedBeforeOpening).toBe(20);
    expect(circuit).toEqual(expect.objectContaining({ state: 'OPEN', lastError: 'Rds.RdsException', openCount: 1 }));
    for (const execution of later) {
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('CircuitOpenError');
      expect(entered(execution, LIST_STATE)).toBe(0);
    }
    expect(runtime.services.rds.calls.length).toBe(callsAfterOpening);
    expect(await auditEntries()).toHaveLength(3);
  });

  it('does not count a validation-type RDS error as a circuit failure', async () => {
    await startRuntime();
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [THROTTLE_RDS] }));
    await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const afterCountedFailure = await readCircuit(runtime, 'rds-api');
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [{ ...THROTTLE_RDS, error: 'DBInstanceNotFound', cause: 'DBInstance payments-prod-pg-01 not found.' }],
      }),
    );

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const circuit = await readCircuit(runtime, 'rds-api');

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Rds.DbInstanceNotFoundException');
    expect(retriesOf(execution, LIST_STATE)).toHaveLength(0);
    expect(afterCountedFailure).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 1 }));
    expect(circuit).toEqual(
      expect.objectContaining({ state: 'CLOSED', failureCount: 1, version: afterCountedFailure?.version }),
    );
  });

  it('does not count an unmodeled validation error (also Rds.RdsException) as a circuit failure', async () => {
    await startRuntime();
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [{ ...THROTTLE_RDS, error: 'InvalidParameterValue', cause: 'Invalid marker: not-a-marker' }],
      }),
    );

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const circuit = await readCircuit(runtime, 'rds-api');

    expect(execution.error).toBe('Rds.RdsException');
    expect(execution.cause).toMatch(/Invalid marker/);
    expect(circuit?.failureCount ?? 0).toBe(0);
  });

  it("applies a redeploy's settings to a live circuit: the item holds state, the deploy holds settings", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rds-ops-settings-'));
    await startRuntime({ dataDir });
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [THROTTLE_RDS] }));
    await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const underDefaults = await readCircuit(runtime, 'rds-api');
    await runtime.stop();

    // The same table, after a deploy with -c circuits.rds-api.failureThreshold=1.
    await startRuntime({ model: strict(), dataDir });
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [THROTTLE_RDS] }));
    await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const afterRedeploy = await readCircuit(runtime, 'rds-api');

    expect(underDefaults).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 1 }));
    expect(afterRedeploy).toEqual(expect.objectContaining({ state: 'OPEN', failureCount: 2 }));
    expect(afterRedeploy).not.toHaveProperty('config');
  });

  it('starts one refresh with {"trigger":"schedule"} when its schedule rule fires', async () => {
    await startRuntime();
    const machine = runtime.model.stateMachines.find((candidate) => candidate.workflow === WORKFLOW)!;
    const rule = runtime.model.rules.find(
      (candidate) =>
        candidate.scheduleExpression !== undefined && candidate.targets.some((target) => target.arn === machine.arn),
    )!;

    const fired = await runtime.fireSchedule(rule.name);

    expect(rule.scheduleExpression).toBe('rate(15 minutes)');
    expect(fired.executions).toHaveLength(1);
    expect(fired.executions[0].workflow).toBe(WORKFLOW);
    expect(fired.executions[0].input).toEqual({ trigger: 'schedule' });
    expect(outcome(fired.executions[0])).toEqual(SUCCEEDED);
    expect(runtime.executions).toHaveLength(1);
  });
});

/**
 * The rds-api circuit counts RDS throttling and 5xx (`*Status Code: 5*` in countedCauses): both arrive as
 * Rds.RdsException, told apart only by the Cause, so the HTTP status in it must be AWS's. Asserted through the
 * circuit item: an InternalFailure (HTTP 500 on AWS) counts, an unmodeled 400 validation error does not.
 */
describe('rds-api circuit and the HTTP status of RDS errors', () => {
  const failRdsWith = (fault: Record<string, unknown>) =>
    runtime.faults.setPlan(parseFaultPlan({ seed: 1, faults: [{ target: THROTTLE_RDS.target, ...fault }] }));
  const failureCount = async () => (await readCircuit(runtime, 'rds-api'))?.failureCount ?? 0;

  it('does not count an unmodeled 400 validation error, and counts an InternalFailure (500)', async () => {
    await startRuntime();
    failRdsWith({ error: 'InvalidParameterValue', cause: 'Invalid marker' });
    const validation = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const afterValidation = await failureCount();

    failRdsWith({ error: 'InternalFailure', cause: 'An internal error has occurred.' });
    const internal = await runtime.execute(WORKFLOW, { trigger: 'manual' });

    expect(validation.cause).toMatch(/Invalid marker \(Service: Rds, Status Code: 400,/);
    expect(afterValidation).toBe(0);
    expect(internal.error).toBe('Rds.RdsException');
    expect(internal.cause).toMatch(/An internal error has occurred\. \(Service: Rds, Status Code: 500,/);
    expect(await failureCount()).toBe(1);
  });

  it('counts a failure whose status a fault plan sets (503) for a code that defaults to 400', async () => {
    await startRuntime();
    failRdsWith({ error: 'SomethingUnusual', cause: 'Upstream is down', statusCode: 503 });

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });

    expect(execution.cause).toMatch(/Status Code: 503,/);
    expect(await failureCount()).toBe(1);
  });
});

/**
 * The 25,000-event history cap (issue 15): each page is one Task running the save-inventory-page Express machine,
 * whose per-instance events stay out of the refresh's history, so the history grows per page, not per instance.
 */
describe('inventory-refresh and the 25,000-event history cap', () => {
  const EVENTS_PER_PAGE = 25;
  const EVENTS_ONCE = 14;
  /** The page saver replaced by one Pass: what the refresh's own history sees of it is the same Task. */
  const countingSaver = parseDefinition({
    StartAt: 'Count the page',
    States: {
      'Count the page': { Type: 'Pass', Parameters: { 'saved.$': 'States.ArrayLength($.instances)' }, End: true },
    },
  });
  const withCountingSaver = (app: AppModel): AppModel => ({
    ...app,
    stateMachines: app.stateMachines.map((machine) =>
      machine.workflow === 'save-inventory-page' ? { ...machine, definition: countingSaver } : machine,
    ),
  });
  const pagesOf = (instances: number) => Math.ceil(instances / 20);

  it('fails the refresh with the save error when a page cannot be saved, and audits it', async () => {
    await startRuntime();
    runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [
          {
            target: { state: 'Save RDS instance in the inventory' },
            error: 'DynamoDB.InternalServerErrorException',
            cause: 'Internal server error (Service: DynamoDb, Status Code: 500)',
            rate: 1,
          },
        ],
      }),
    );

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const [entry] = await auditEntries();

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DynamoDB.InternalServerErrorException');
    expect(entered(execution, 'The page of RDS instances was not saved')).toBe(1);
    expect(entered(execution, 'Mark instances missing from this refresh')).toBe(0);
    expect(entry).toEqual(
      expect.objectContaining({ outcome: 'FAILED', error: 'DynamoDB.InternalServerErrorException' }),
    );
  });

  it('records the same refresh history whatever the page saver does inside: 25 events per page', async () => {
    await startRuntime();
    const real = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    await runtime.stop();
    await startRuntime({ model: withCountingSaver(model) });
    const counted = await runtime.execute(WORKFLOW, { trigger: 'manual' });

    expect(outcome(real)).toEqual(SUCCEEDED);
    expect(outcome(counted)).toEqual(SUCCEEDED);
    expect(real.historyEventCount).toBe(EVENTS_ONCE + EVENTS_PER_PAGE * pagesOf(36));
    expect(counted.historyEventCount).toBe(real.historyEventCount);
  });
});
