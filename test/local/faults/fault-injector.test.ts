import { VirtualClock } from '../../../local/clock';
import { FaultInjector, InjectedFaultError, parseFaultPlan } from '../../../local/faults';

const DESCRIBE = 'arn:aws:states:::aws-sdk:rds:describeDBInstances';

async function outcome(injector: FaultInjector, call: Parameters<FaultInjector['beforeCall']>[0]): Promise<string> {
  try {
    await injector.beforeCall(call);
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('FaultInjector', () => {
  it('throws the configured error with the cause as message and the raw code', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({
      seed: 1,
      faults: [
        {
          target: { state: 'List RDS instances' },
          error: 'Rds.RdsException',
          cause: 'Rate exceeded',
          code: 'Throttling',
        },
      ],
    });
    const injector = new FaultInjector(plan, clock);

    // Act
    const result = injector.beforeCall({ state: 'List RDS instances', resource: DESCRIBE });

    // Assess
    await expect(result).rejects.toBeInstanceOf(InjectedFaultError);
    await expect(result).rejects.toMatchObject({
      name: 'Rds.RdsException',
      message: 'Rate exceeded',
      code: 'Throttling',
      faultId: 'faults[0]',
    });
    await expect(injector.beforeCall({ state: 'Publish report' })).resolves.toBeUndefined();
  });

  it('applies a fault only inside its window, relative to the plan start on the clock', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({
      seed: 1,
      faults: [{ target: { state: 'S' }, error: 'Boom', window: { from: '+30s', to: '+5m' } }],
    });
    const injector = new FaultInjector(plan, clock);
    const seen: string[] = [];

    // Act
    for (const at of [0, 29_999, 30_000, 299_999, 300_000]) {
      clock.advanceTo(Date.parse('2026-01-01T00:00:00.000Z') + at);
      seen.push(await outcome(injector, { state: 'S' }));
    }

    // Assess
    expect(seen).toEqual(['ok', 'ok', 'Boom', 'Boom', 'ok']);
  });

  it('honours absolute window bounds', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({
      seed: 1,
      faults: [{ target: { state: 'S' }, error: 'Boom', window: { from: '2026-01-01T00:10:00Z' } }],
    });
    const injector = new FaultInjector(plan, clock);

    // Act
    const before = await outcome(injector, { state: 'S' });
    clock.advance(600_000);
    const after = await outcome(injector, { state: 'S' });

    // Assess
    expect([before, after]).toEqual(['ok', 'Boom']);
  });

  it('hits the same calls for the same seed, and about rate of them', async () => {
    // Prepare
    const plan = (seed: number) =>
      parseFaultPlan({ seed, faults: [{ target: { resource: DESCRIBE }, error: 'Rds.RdsException', rate: 0.3 }] });
    const run = async (seed: number) => {
      const injector = new FaultInjector(plan(seed), new VirtualClock({ autoAdvance: false }));
      const hits: number[] = [];
      for (let call = 0; call < 200; call++) {
        if ((await outcome(injector, { resource: DESCRIBE })) !== 'ok') hits.push(call);
      }
      return hits;
    };

    // Act
    const first = await run(42);
    const again = await run(42);
    const other = await run(43);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.length).toBeGreaterThan(40);
    expect(first.length).toBeLessThan(80);
  });

  it('hits only the first count matching calls', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({
      seed: 1,
      faults: [{ target: { service: 'rds', action: 'describeDBInstances' }, error: 'Throttling', count: 3 }],
    });
    const injector = new FaultInjector(plan, clock);
    const seen: string[] = [];

    // Act
    seen.push(await outcome(injector, { service: 'sns', action: 'publish' }));
    for (let call = 0; call < 5; call++)
      seen.push(await outcome(injector, { service: 'rds', action: 'describeDBInstances' }));

    // Assess
    expect(seen).toEqual(['ok', 'Throttling', 'Throttling', 'Throttling', 'ok', 'ok']);
    expect(injector.stats()).toEqual([
      { id: 'faults[0]', matched: 5, injectedErrors: 3, injectedLatency: 0, totalLatencyMs: 0 },
    ]);
  });

  it('waits injected latency on the clock, not in real time', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({ seed: 1, faults: [{ target: { resource: DESCRIBE }, latencyMs: 2000 }] });
    const injector = new FaultInjector(plan, clock);
    let done = false;

    // Act
    const call = injector.beforeCall({ resource: DESCRIBE }).then(() => {
      done = true;
    });
    await Promise.resolve();
    clock.advance(1999);
    await Promise.resolve();
    const doneEarly = done;
    clock.advance(1);
    await call;

    // Assess
    expect(doneEarly).toBe(false);
    expect(done).toBe(true);
    expect(injector.stats()[0]).toMatchObject({ injectedLatency: 1, totalLatencyMs: 2000 });
  });

  it('moves an auto-advancing virtual clock by the latency before failing', async () => {
    // Prepare
    const clock = new VirtualClock();
    const start = clock.now();
    const plan = parseFaultPlan({
      seed: 1,
      faults: [{ target: { state: 'S' }, latencyMs: 5000, error: 'States.Timeout' }],
    });
    const injector = new FaultInjector(plan, clock);

    // Act
    const name = await outcome(injector, { state: 'S' });

    // Assess
    expect(name).toBe('States.Timeout');
    expect(clock.now() - start).toBe(5000);
  });

  it('matches resource wildcards and derives service and action from an integration ARN', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({
      seed: 1,
      faults: [
        { target: { resource: 'arn:aws:states:::aws-sdk:rds:*' }, error: 'Rds.RdsException' },
        { target: { service: 'sns' }, error: 'Sns.ThrottledException' },
      ],
    });
    const injector = new FaultInjector(plan, clock);

    // Act
    const rds = await outcome(injector, { resource: 'arn:aws:states:::aws-sdk:rds:describeDBClusters' });
    const sns = await outcome(injector, { resource: 'arn:aws:states:::sns:publish' });
    const cloudwatch = await outcome(injector, { resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData' });

    // Assess
    expect([rds, sns, cloudwatch]).toEqual(['Rds.RdsException', 'Sns.ThrottledException', 'ok']);
  });

  it('stops injecting after heal and starts over with setPlan', async () => {
    // Prepare
    const clock = new VirtualClock({ autoAdvance: false });
    const plan = parseFaultPlan({ seed: 1, faults: [{ target: { state: 'S' }, error: 'Boom', count: 1 }] });
    const injector = new FaultInjector(plan, clock);

    // Act
    const broken = await outcome(injector, { state: 'S' });
    injector.heal();
    const healed = await outcome(injector, { state: 'S' });
    const statsAfterHeal = injector.stats();
    injector.setPlan(plan);
    const again = await outcome(injector, { state: 'S' });

    // Assess
    expect([broken, healed, again]).toEqual(['Boom', 'ok', 'Boom']);
    expect(statsAfterHeal[0]).toMatchObject({ matched: 1, injectedErrors: 1 });
    expect(injector.activePlan.faults).toHaveLength(1);
  });
});
