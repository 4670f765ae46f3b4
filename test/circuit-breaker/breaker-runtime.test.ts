import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import {
  type CircuitItem,
  circuitViolations,
  comparableCircuit,
  onFailure,
  onGateCheck,
  onSuccess,
  withoutPolicy,
} from '../../lib/circuit-breaker';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../../lib/config';
import { CIRCUIT, COUNTED, type GateHarness, startGateHarness, transitionsOf } from './gate-harness';

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

describe('generated circuit gate on the local runtime', () => {
  let h: GateHarness;
  beforeEach(async () => {
    h = await startGateHarness(CONFIG);
  });
  afterEach(async () => {
    await h.close();
  });

  it('lets calls through with no item and creates nothing on success', async () => {
    const run = await h.run();

    expect(run.status).toBe('SUCCEEDED');
    expect(await h.item()).toBeUndefined();
  });

  it('opens at exactly the threshold, then fails fast without calling the dependency', async () => {
    h.dependency = 'down';
    await h.run();
    await h.run();
    const beforeThreshold = await h.item();
    const third = await h.run();
    const callsWhenOpened = h.dependencyCalls;
    const refused = await h.run();

    expect(beforeThreshold).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 2 }));
    expect(third.error).toBe('Rds.RdsException');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'OPEN', openTimeoutSeconds: 60, openCount: 1 }));
    expect(transitionsOf(h)).toEqual(['CLOSED->OPEN']);
    expect(h.metrics.map((m) => (m.MetricData as { MetricName: string }[])[0]!.MetricName)).toEqual([
      'CircuitStateChanged',
    ]);
    expect(refused.status).toBe('FAILED');
    expect(refused.error).toBe('CircuitOpenError');
    expect(refused.cause).toMatch(/Test API circuit \(test-api\) has been OPEN since .* last error Rds\.RdsException/);
    expect(h.dependencyCalls).toBe(callsWhenOpened);
  });

  it('probes once the timeout has passed and closes after the success threshold', async () => {
    h.dependency = 'down';
    for (let i = 0; i < 3; i++) await h.run();
    h.dependency = 'healthy';
    h.clock.advance(59_000);
    const early = await h.run();
    h.clock.advance(1_000);
    const probe1 = await h.run();
    const halfOpen = await h.item();
    const probe2 = await h.run();

    expect(early.error).toBe('CircuitOpenError');
    expect(probe1.status).toBe('SUCCEEDED');
    expect(halfOpen).toEqual(expect.objectContaining({ state: 'HALF_OPEN', successCount: 1 }));
    expect(halfOpen?.probeHolder).toBeUndefined();
    expect(probe2.status).toBe('SUCCEEDED');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'CLOSED', failureCount: 0, openCount: 0 }));
    expect(transitionsOf(h)).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
  });

  it('re-opens at once when the probe fails, with the next longer timeout', async () => {
    h.dependency = 'down';
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    const probe = await h.run();

    expect(probe.error).toBe('Rds.RdsException');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'OPEN', openTimeoutSeconds: 120, openCount: 2 }));
    expect(transitionsOf(h)).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->OPEN']);
  });

  it('does not count errors that say nothing about the dependency health', async () => {
    h.dependency = 'invalid';
    for (let i = 0; i < 4; i++) await h.run();

    expect(await h.item()).toBeUndefined();
  });

  it('frees a probe lease whose holder never reported back', async () => {
    h.dependency = 'down';
    for (let i = 0; i < 3; i++) await h.run();
    h.clock.advance(60_000);
    // A probe that took the lease and died: HALF_OPEN with a lease held by an execution that never reports.
    const now = Math.floor(h.clock.now() / 1000);
    await h.docs.send(
      new UpdateCommand({
        TableName: h.table,
        Key: { circuit: CIRCUIT },
        UpdateExpression: 'SET #s = :half, probeHolder = :dead, probeLeaseUntil = :until, #v = #v + :one',
        ExpressionAttributeNames: { '#s': 'state', '#v': 'version' },
        ExpressionAttributeValues: {
          ':half': 'HALF_OPEN',
          ':dead': 'crashed-execution',
          ':until': now + 30,
          ':one': 1,
        },
      }),
    );
    h.dependency = 'healthy';
    const whileLeased = await h.run();
    h.clock.advance(30_000);
    const takeover = await h.run();

    expect(whileLeased.error).toBe('CircuitOpenError');
    expect(whileLeased.cause).toMatch(/another execution is probing/);
    expect(takeover.status).toBe('SUCCEEDED');
    expect(await h.item()).toEqual(expect.objectContaining({ state: 'HALF_OPEN', successCount: 1 }));
  });

  it('opens exactly once when 50 concurrent executions fail, and lets exactly one probe through later', async () => {
    h.dependency = 'down';
    const failures = await Promise.all(Array.from({ length: 50 }, () => h.run()));
    const opened = await h.item();
    const callsWhileClosed = h.dependencyCalls;
    h.clock.advance(60_000);
    const probes = await Promise.all(Array.from({ length: 50 }, () => h.run()));

    expect(failures.every((run) => run.status === 'FAILED')).toBe(true);
    expect(transitionsOf(h).filter((t) => t === 'CLOSED->OPEN')).toHaveLength(1);
    expect(opened?.state).toBe('OPEN');
    expect(opened?.version).toBe(1);
    expect(h.dependencyCalls - callsWhileClosed).toBe(1);
    expect(probes.filter((run) => run.error === 'CircuitOpenError')).toHaveLength(49);
  });
});

describe('fail policy when the circuit table is unreachable', () => {
  it('calls the dependency and counts the blind gate under FAIL_OPEN (the default)', async () => {
    const h = await startGateHarness(CONFIG, { unreachableTable: true });
    try {
      const run = await h.run();

      expect(run.status).toBe('SUCCEEDED');
      expect(h.dependencyCalls).toBe(1);
      expect(h.metrics.map((m) => (m.MetricData as { MetricName: string }[])[0]!.MetricName)).toEqual([
        'CircuitTableUnreachable',
      ]);
    } finally {
      await h.close();
    }
  });

  it('refuses the call with CircuitUnavailableError under FAIL_CLOSED', async () => {
    const h = await startGateHarness({ ...CONFIG, tableFailPolicy: 'FAIL_CLOSED' }, { unreachableTable: true });
    try {
      const run = await h.run();

      expect(run.error).toBe('CircuitUnavailableError');
      expect(run.cause).toMatch(/DynamoDB\.ResourceNotFoundException/);
      expect(h.dependencyCalls).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('generated gate versus the reference model', () => {
  type Step = { kind: 'call'; outcome: 'healthy' | 'down' | 'invalid' } | { kind: 'tick'; seconds: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('call' as const),
        outcome: fc.constantFrom('healthy', 'down', 'down', 'invalid'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 200 }) }),
    },
  );

  it('ends every random sequence with the same item as the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 25 }), async (steps) => {
        const h = await startGateHarness(CONFIG);
        try {
          let model: CircuitItem | undefined;
          let run = 0;
          for (const step of steps) {
            if (step.kind === 'tick') {
              h.clock.advance(step.seconds * 1000);
              continue;
            }
            h.dependency = step.outcome;
            const name = `run-${++run}`;
            const holder = `arn:aws:states:eu-west-1:123456789012:execution:gate-test:${name}`;
            const now = h.clock.now();
            const gate = onGateCheck(model, now, holder);
            model = gate.item;
            if (gate.decision !== 'reject') {
              const probe = gate.decision === 'probe';
              model =
                step.outcome === 'healthy'
                  ? onSuccess(model, now, holder, { probe }).item
                  : onFailure(
                      model,
                      now,
                      step.outcome === 'down' ? 'Rds.RdsException' : 'Rds.DbInstanceNotFoundException',
                      holder,
                      {
                        probe,
                        countedErrors: COUNTED,
                        settings: withoutPolicy(CONFIG),
                        circuit: CIRCUIT,
                      },
                    ).item;
            }
            const record = await h.run(name);
            expect(record.error === 'CircuitOpenError').toBe(gate.decision === 'reject');
            const actual = await h.item();
            expect(actual && comparableCircuit(actual)).toEqual(model && comparableCircuit(model));
            if (actual) expect(circuitViolations(actual)).toEqual([]);
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
