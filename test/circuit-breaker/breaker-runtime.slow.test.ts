/**
 * The breaker machine and a protected caller on the local runtime: every guarantee of the breaker, the
 * cost of the healthy path, the fail policy (table unreachable, breaker unavailable), bookkeeping that
 * never changes the caller's outcome, and the machine against the reference model.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import {
  breakerCircuitSettings,
  CIRCUITS,
  type CircuitItem,
  circuitViolations,
  comparableCircuit,
  onFailure,
  onGateCheck,
  onSuccess,
  withoutPolicy,
} from '../../lib/circuit-breaker';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../../lib/config';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import type { TaskCallRecord } from '../../local/stepfunctions/trace';
import {
  type BreakerHarness,
  CALLER,
  CIRCUIT,
  type DependencyMode,
  NAMES,
  PROTECTED_STATE,
  startBreakerHarness,
} from './breaker-harness';

const CONFIG: CircuitConfig = {
  ...DEFAULT_CIRCUIT,
  failureThreshold: 3,
  successThreshold: 2,
  openTimeoutSeconds: 60,
  openTimeoutGrowth: 2,
  maxOpenTimeoutSeconds: 300,
  failureWindowSeconds: 120,
  probeLeaseSeconds: 30,
};
const SETTINGS = withoutPolicy(CONFIG);
const CALLER_OWN_STATES = new Set([PROTECTED_STATE, 'Call succeeded', 'Call failed']);

function enteredStates(run: ExecutionRecord): string[] {
  return run.trace.flatMap((event) => (event.type === 'StateEntered' ? [event.state] : []));
}

/** Every call the breaker executions behind one caller run made. */
function breakerCalls(run: ExecutionRecord): TaskCallRecord[] {
  return run.calls.flatMap((call) =>
    (call.childExecutions ?? []).flatMap((child) =>
      child.trace.flatMap((event) =>
        (event.type === 'StateExited' || event.type === 'StateFailed') && event.call ? [event.call] : [],
      ),
    ),
  );
}

describe('the breaker machine behind a protected call', () => {
  let h: BreakerHarness;
  beforeEach(async () => {
    h = await startBreakerHarness(CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });

  it('costs the healthy CLOSED path 3 caller transitions and one consistent read, no write', async () => {
    const run = await h.run();
    const added = enteredStates(run).filter((state) => !CALLER_OWN_STATES.has(state));
    const dynamoDb = breakerCalls(run).filter((call) => call.resource.includes(':dynamodb:'));

    expect(run.status).toBe('SUCCEEDED');
    expect(added).toEqual([NAMES.check, NAMES.decide, NAMES.afterSuccess]);
    expect(
      dynamoDb.map((call) => [call.resource, (call.params as { ConsistentRead?: boolean }).ConsistentRead]),
    ).toEqual([['arn:aws:states:::dynamodb:getItem', true]]);
    expect(run.calls.filter((call) => call.childExecutions)).toHaveLength(1);
    expect(await h.item()).toBeUndefined();
  });

  it('opens at exactly the threshold, then fails fast without calling the dependency', async () => {
    h.setDependency('down');
    await h.run();
    await h.run();
    const beforeThreshold = await h.item();
    const third = await h.run();
    const callsWhenOpened = h.dependencyCalls();
    const refused = await h.run();

    expect(beforeThreshold).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 2 }));
    expect(third.error).toBe('Rds.RdsException');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'OPEN', openTimeoutSeconds: 60, openCount: 1 }));
    expect(h.transitions()).toEqual(['CLOSED->OPEN']);
    expect(h.metricNames()).toEqual(['CircuitStateChanged']);
    expect(refused.status).toBe('FAILED');
    expect(refused.error).toBe('CircuitOpenError');
    expect(refused.cause).toMatch(
      /^The RDS API circuit \(rds-api\) has been OPEN since .* last error Rds\.RdsException\)\. No call reached the dependency \(breaker execution arn:aws:states:[^)]+:express:circuit-breaker:/,
    );
    expect(h.dependencyCalls()).toBe(callsWhenOpened);
  });

  it('probes once the timeout has passed and closes after the success threshold of probing executions', async () => {
    h.setDependency('down');
    for (let i = 0; i < 3; i++) await h.run();
    h.setDependency('healthy');
    h.clock.advance(59_000);
    const early = await h.run();
    h.clock.advance(1_000);
    const probe1 = await h.run();
    const halfOpen = await h.item();
    const probe2 = await h.run();

    expect(early.error).toBe('CircuitOpenError');
    expect(probe1.status).toBe('SUCCEEDED');
    expect(halfOpen).toEqual(
      expect.objectContaining({ state: 'HALF_OPEN', successCount: 1, probedBy: [probe1.executionArn] }),
    );
    expect(halfOpen?.probeHolder).toBeUndefined();
    expect(probe2.status).toBe('SUCCEEDED');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 0, openCount: 0 }));
    expect((await h.item())?.probedBy).toBeUndefined();
    expect(h.transitions()).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
  });

  it('counts a probe once per execution: the same execution calling again does not close the circuit', async () => {
    h.setDependency('down');
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    const probe = 'arn:aws:states:us-east-1:000000000000:execution:protected-caller:paginated-probe';
    const ask = (request: 'check' | 'success') =>
      h.runtime.startSyncExecution('circuit-breaker', {
        request,
        circuit: CIRCUIT,
        settings: JSON.stringify(breakerCircuitSettings(CIRCUIT, CONFIG)),
        caller: probe,
      });
    const pages: string[] = [];
    for (let page = 0; page < 3; page++) {
      const check = await ask('check');
      pages.push((JSON.parse(check.output ?? '{}') as { decision: string }).decision);
      await ask('success');
    }

    expect(pages).toEqual(['PROBE', 'PROBE', 'PROBE']);
    expect(await h.item()).toEqual(
      expect.objectContaining({ state: 'HALF_OPEN', successCount: 1, probedBy: [probe], probeLeaseUntil: 0 }),
    );
  });

  it('lets the lease holder check again without a write, and refuses everyone else', async () => {
    h.setDependency('down');
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    const settings = JSON.stringify(breakerCircuitSettings(CIRCUIT, CONFIG));
    const check = (caller: string) =>
      h.runtime.startSyncExecution('circuit-breaker', { request: 'check', circuit: CIRCUIT, settings, caller });
    await check('holder');
    const leased = await h.item();
    const again = JSON.parse((await check('holder')).output ?? '{}') as { decision: string };
    const other = JSON.parse((await check('other')).output ?? '{}') as { decision: string; Error: string };

    expect(again.decision).toBe('PROBE');
    expect(other).toEqual(expect.objectContaining({ decision: 'REFUSE', Error: 'CircuitOpenError' }));
    expect(await h.item()).toEqual(leased);
  });

  it('re-opens at once when the probe fails, with the next longer timeout', async () => {
    h.setDependency('down');
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    const probe = await h.run();

    expect(probe.error).toBe('Rds.RdsException');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'OPEN', openTimeoutSeconds: 120, openCount: 2 }));
    expect(h.transitions()).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->OPEN']);
  });

  it.each([
    ['a modeled answer (DBInstanceNotFound)', 'invalid', 'Rds.DbInstanceNotFoundException'],
    [
      'an unmodeled validation error (Rds.RdsException without a throttling or 5xx Cause)',
      'validation',
      'Rds.RdsException',
    ],
  ] as const)('does not count %s', async (_, mode, error) => {
    h.setDependency(mode as DependencyMode);
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await h.run());

    expect(runs.map((run) => run.error)).toEqual([error, error, error, error]);
    expect(await h.item()).toBeUndefined();
  });

  it('frees a probe lease whose holder never reported back', async () => {
    h.setDependency('down');
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    // A probe that took the lease and died: HALF_OPEN with a lease held by an execution that never reports.
    const now = Math.floor(h.clock.now() / 1000);
    await h.runtime.dynamoDbClient.send(
      new UpdateCommand({
        TableName: 'circuits',
        Key: { circuit: CIRCUIT },
        UpdateExpression: 'SET #s = :half, probeHolder = :dead, probeLeaseUntil = :until, #v = #v + :one',
        ExpressionAttributeNames: { '#s': 'state', '#v': 'version' },
        ExpressionAttributeValues: {
          ':half': 'HALF_OPEN',
          ':dead': 'crashed-execution',
          ':until': now + 30,
          ':one': 1,
        },
      }) as never,
    );
    h.setDependency('healthy');
    const whileLeased = await h.run();
    h.clock.advance(30_000);
    const takeover = await h.run();

    expect(whileLeased.error).toBe('CircuitOpenError');
    expect(whileLeased.cause).toMatch(/another execution is probing/);
    expect(takeover.status).toBe('SUCCEEDED');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'HALF_OPEN', successCount: 1 }));
  });

  it('announces a transition with the caller and breaker execution ids', async () => {
    h.setDependency('down');
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await h.run());
    const sources = h.runtime.services.eventbridge.calls.map(
      (call) => (call.params as { Entries: { Source: string }[] }).Entries[0]?.Source,
    );

    expect(sources).toEqual(['rds-ops.circuit-breaker']);
    expect(h.stateChanges()).toEqual([
      {
        circuit: CIRCUIT,
        label: 'RDS API',
        from: 'CLOSED',
        to: 'OPEN',
        version: 1,
        at: expect.any(String),
        executionId: runs[2]!.executionArn,
        breakerExecutionId: expect.stringContaining(':express:circuit-breaker:'),
      },
    ]);
  });

  it('opens exactly once when 100 concurrent executions fail, and lets exactly one probe through later', async () => {
    h.setDependency('down');
    const failures = await Promise.all(Array.from({ length: 100 }, () => h.run()));
    const opened = await h.item();
    const callsWhileClosed = h.dependencyCalls();
    h.clock.advance(60_000);
    const probes = await Promise.all(Array.from({ length: 100 }, () => h.run()));

    expect(failures.every((run) => run.status === 'FAILED')).toBe(true);
    expect(h.transitions().filter((t) => t === 'CLOSED->OPEN')).toHaveLength(1);
    expect(opened).toEqual(expect.objectContaining({ state: 'OPEN', version: 1 }));
    expect(h.dependencyCalls() - callsWhileClosed).toBe(1);
    expect(probes.filter((run) => run.error === 'CircuitOpenError')).toHaveLength(99);
    expect(h.transitions().filter((t) => t === 'OPEN->HALF_OPEN')).toHaveLength(1);
  });
});

describe('fail policy', () => {
  let h: BreakerHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('calls the dependency and counts the blind breaker when the table is unreachable under FAIL_OPEN', async () => {
    h = await startBreakerHarness(CONFIG, { unreachableTable: true });
    const run = await h.run();

    expect(run.status).toBe('SUCCEEDED');
    expect(h.dependencyCalls()).toBe(1);
    expect(h.metricNames()).toEqual(['CircuitTableUnreachable']);
  });

  it('refuses with CircuitUnavailableError when the table is unreachable under FAIL_CLOSED', async () => {
    h = await startBreakerHarness({ ...CONFIG, tableFailPolicy: 'FAIL_CLOSED' }, { unreachableTable: true });
    const run = await h.run();

    expect(run.error).toBe('CircuitUnavailableError');
    expect(run.cause).toMatch(/DynamoDB\.ResourceNotFoundException\) and the circuit fails closed/);
    expect(h.dependencyCalls()).toBe(0);
  });

  it('retries a breaker that cannot be started, then calls the dependency under FAIL_OPEN', async () => {
    h = await startBreakerHarness(CONFIG);
    h.setBreakerThrottled(true);
    const run = await h.run();
    const retries = run.trace.filter((event) => event.type === 'StateRetried' && event.state === NAMES.check);

    expect(retries).toHaveLength(3);
    expect(run.status).toBe('SUCCEEDED');
    expect(h.dependencyCalls()).toBe(1);
  });

  it('refuses the call with the start error when the breaker cannot be started under FAIL_CLOSED', async () => {
    h = await startBreakerHarness({ ...CONFIG, tableFailPolicy: 'FAIL_CLOSED' });
    h.setBreakerThrottled(true);
    const run = await h.run();

    expect(run.error).toBe('Sfn.SfnException');
    expect(run.cause).toMatch(/Rate exceeded \(Service: Sfn, Status Code: 400/);
    expect(h.dependencyCalls()).toBe(0);
  });

  it('treats a circuit item that lacks attributes like an unreadable table', async () => {
    h = await startBreakerHarness(CONFIG);
    await h.runtime.dynamoDbClient.send(
      new PutCommand({ TableName: 'circuits', Item: { circuit: CIRCUIT, state: 'OPEN' } }) as never,
    );
    const run = await h.run();

    expect(run.status).toBe('SUCCEEDED');
    expect(h.metricNames()).toEqual(['CircuitTableUnreachable']);
  });
});

describe('bookkeeping failures never change the caller outcome', () => {
  let h: BreakerHarness;
  beforeEach(async () => {
    h = await startBreakerHarness(CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });

  it('keeps the call outcome when the breaker cannot record it', async () => {
    h.setDependency('down');
    await h.run();
    // From now on every write of the breaker fails: the failure and the success reports record nothing.
    h.runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [
          { target: { service: 'dynamodb', action: 'updateItem' }, rate: 1, error: 'InternalServerError' },
          {
            target: { service: 'rds', action: 'describeDBInstances' },
            rate: 1,
            count: 1,
            error: 'Throttling',
            cause: 'Rate exceeded',
          },
        ],
      }),
    );
    const failed = await h.run();
    const succeeded = await h.run();

    expect(failed.error).toBe('Rds.RdsException');
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(enteredStates(succeeded)).toContain(NAMES.success);
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 1 }));
  });

  it('keeps the call outcome when the report itself cannot reach the breaker', async () => {
    h.runtime.faults.setPlan(
      parseFaultPlan({
        seed: 1,
        faults: [
          { target: { state: NAMES.failure }, rate: 1, error: 'Sfn.SfnException', cause: 'Service unavailable' },
          {
            target: { service: 'rds', action: 'describeDBInstances' },
            rate: 1,
            error: 'Throttling',
            cause: 'Rate exceeded',
          },
        ],
      }),
    );
    const run = await h.run();

    expect(run.error).toBe('Rds.RdsException');
    expect(enteredStates(run)).toContain(NAMES.failure);
    expect(await h.item()).toBeUndefined();
  });
});

describe('the breaker always answers', () => {
  const attribute = fc.oneof(fc.constant(undefined), fc.nat({ max: 5_000_000_000 }), fc.constantFrom('x', 'OPEN'));
  const storedItem = fc.record(
    {
      state: fc.constantFrom('CLOSED', 'OPEN', 'HALF_OPEN', 'BROKEN', undefined),
      version: attribute,
      failureCount: attribute,
      windowEndsAt: attribute,
      successCount: attribute,
      openedAt: attribute,
      openUntil: attribute,
      openTimeoutSeconds: attribute,
      openCount: fc.oneof(fc.constant(undefined), fc.nat({ max: 40 })),
      probeLeaseUntil: attribute,
      probeHolder: fc.oneof(fc.constant(undefined), fc.constantFrom('someone', 'me')),
      lastError: fc.oneof(fc.constant(undefined), fc.constant('Rds.RdsException')),
    },
    { requiredKeys: [] },
  );

  it('succeeds with an answer for any stored item and any request, so the caller can always parse it', async () => {
    const h = await startBreakerHarness(CONFIG);
    try {
      await fc.assert(
        fc.asyncProperty(
          storedItem,
          fc.constantFrom('check', 'success', 'failure'),
          fc.constantFrom('Rate exceeded', 'Invalid marker'),
          async (stored, request, cause) => {
            const item = Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== undefined));
            await h.runtime.dynamoDbClient.send(
              new PutCommand({ TableName: 'circuits', Item: { ...item, circuit: CIRCUIT } }) as never,
            );
            const answer = await h.runtime.startSyncExecution('circuit-breaker', {
              request,
              circuit: CIRCUIT,
              settings: JSON.stringify(breakerCircuitSettings(CIRCUIT, CONFIG)),
              caller: 'me',
              error: 'Rds.RdsException',
              cause,
            });

            expect({ status: answer.status, error: answer.error, cause: answer.cause }).toEqual({
              status: 'SUCCEEDED',
              error: undefined,
              cause: undefined,
            });
            if (request === 'check') {
              expect(JSON.parse(answer.output ?? '{}')).toEqual(
                expect.objectContaining({ decision: expect.stringMatching(/^(CALL|PROBE|REFUSE)$/) }),
              );
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await h.close();
    }
  });
});

describe('breaker versus the reference model', () => {
  type Step = { kind: 'call'; outcome: DependencyMode } | { kind: 'tick'; seconds: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('call' as const),
        outcome: fc.constantFrom<DependencyMode>('healthy', 'down', 'down', 'invalid', 'validation'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 200 }) }),
    },
  );
  const FAILURES: Record<Exclude<DependencyMode, 'healthy'>, { error: string; cause: string }> = {
    down: { error: 'Rds.RdsException', cause: 'Rate exceeded (Service: Rds, Status Code: 400, Request ID: x)' },
    invalid: { error: 'Rds.DbInstanceNotFoundException', cause: 'DBInstance not found.' },
    validation: { error: 'Rds.RdsException', cause: 'Invalid marker (Service: Rds, Status Code: 400, Request ID: x)' },
  };

  it('ends every step of a random sequence with the same item as the model, and a valid one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 25 }), async (steps) => {
        const h = await startBreakerHarness(CONFIG);
        try {
          let model: CircuitItem | undefined;
          let run = 0;
          for (const step of steps) {
            if (step.kind === 'tick') {
              h.clock.advance(step.seconds * 1000);
              continue;
            }
            h.setDependency(step.outcome);
            const name = `run-${++run}`;
            const holder = `arn:aws:states:us-east-1:000000000000:execution:${CALLER}:${name}`;
            const now = h.clock.now();
            const gate = onGateCheck(model, now, holder, SETTINGS);
            model = gate.item;
            if (gate.decision !== 'reject') {
              model =
                step.outcome === 'healthy'
                  ? onSuccess(model, now, holder, SETTINGS).item
                  : onFailure(model, now, FAILURES[step.outcome], holder, {
                      declaration: CIRCUITS[CIRCUIT],
                      settings: SETTINGS,
                      circuit: CIRCUIT,
                    }).item;
            }
            const record = await h.run(name);
            expect(record.error === 'CircuitOpenError').toBe(gate.decision === 'reject');
            const actual = await h.item();
            expect(actual && comparableCircuit(actual)).toEqual(model && comparableCircuit(model));
            if (actual) expect(circuitViolations(actual, SETTINGS)).toEqual([]);
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
