import fc from 'fast-check';
import {
  type CircuitItem,
  type CircuitSettings,
  circuitViolations,
  close,
  DEFAULT_CIRCUIT_SETTINGS,
  initialCircuit,
  isolate,
  isValidCircuit,
  OPEN_FOREVER,
  onFailure,
  onGateCheck,
  onSuccess,
  openManually,
  openTimeoutLadder,
  reset,
} from '../../lib/circuit-breaker';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const SECOND = 1000;
const COUNTED = ['Rds.RdsException', 'States.Timeout'];
const SETTINGS: CircuitSettings = { ...DEFAULT_CIRCUIT_SETTINGS, failureThreshold: 3, successThreshold: 2 };
const failure = (probe = false) => ({ probe, countedErrors: COUNTED, settings: SETTINGS, circuit: 'rds-api' });

function failTimes(item: CircuitItem | undefined, times: number, at = T0): CircuitItem | undefined {
  let current = item;
  for (let i = 0; i < times; i++) current = onFailure(current, at, 'Rds.RdsException', 'exec-a', failure()).item;
  return current;
}

describe('circuit model', () => {
  it('treats a missing item as CLOSED and lets the call through without creating it', () => {
    const outcome = onGateCheck(undefined, T0, 'exec-a');

    expect(outcome).toEqual({ decision: 'call', item: undefined });
  });

  it('opens at exactly the failure threshold, not before', () => {
    const belowThreshold = failTimes(undefined, 2)!;
    const atThreshold = onFailure(belowThreshold, T0, 'Rds.RdsException', 'exec-a', failure());

    expect(belowThreshold.state).toBe('CLOSED');
    expect(belowThreshold.failureCount).toBe(2);
    expect(atThreshold.item?.state).toBe('OPEN');
    expect(atThreshold.transition).toEqual({ from: 'CLOSED', to: 'OPEN' });
    expect(atThreshold.item?.openUntil).toBe(T0 / 1000 + SETTINGS.openTimeoutSeconds);
  });

  it('does not count validation errors', () => {
    const outcome = onFailure(undefined, T0, 'Rds.DbInstanceNotFoundException', 'exec-a', failure());

    expect(outcome.item).toBeUndefined();
  });

  it('forgets failures older than the window', () => {
    const twoOld = failTimes(undefined, 2)!;
    const later = T0 + (SETTINGS.failureWindowSeconds + 1) * SECOND;

    const outcome = onFailure(twoOld, later, 'Rds.RdsException', 'exec-a', failure());

    expect(outcome.item?.state).toBe('CLOSED');
    expect(outcome.item?.failureCount).toBe(1);
  });

  it('refuses calls while OPEN and hands one probe lease once the timeout has passed', () => {
    const open = failTimes(undefined, 3)!;
    const beforeDue = onGateCheck(open, T0 + 59 * SECOND, 'exec-b');
    const due = onGateCheck(open, T0 + 60 * SECOND, 'exec-b');
    const second = onGateCheck(due.item, T0 + 60 * SECOND, 'exec-c');

    expect(beforeDue.decision).toBe('reject');
    expect(due.decision).toBe('probe');
    expect(due.transition).toEqual({ from: 'OPEN', to: 'HALF_OPEN' });
    expect(due.item?.probeHolder).toBe('exec-b');
    expect(second.decision).toBe('reject');
  });

  it('closes after the success threshold of probes, releasing the lease after each', () => {
    const halfOpen = onGateCheck(failTimes(undefined, 3), T0 + 60 * SECOND, 'exec-b').item;
    const first = onSuccess(halfOpen, T0 + 61 * SECOND, 'exec-b', { probe: true });
    const next = onGateCheck(first.item, T0 + 62 * SECOND, 'exec-c');
    const second = onSuccess(next.item, T0 + 63 * SECOND, 'exec-c', { probe: true });

    expect(first.item?.state).toBe('HALF_OPEN');
    expect(first.item?.probeHolder).toBeUndefined();
    expect(next.decision).toBe('probe');
    expect(second.item?.state).toBe('CLOSED');
    expect(second.transition).toEqual({ from: 'HALF_OPEN', to: 'CLOSED' });
  });

  it('re-opens at once when the probe fails, with a longer timeout when growth is on', () => {
    const growing = { ...SETTINGS, openTimeoutGrowth: 2, maxOpenTimeoutSeconds: 200 };
    const opts = { ...failure(), settings: growing };
    let item = initialCircuit('rds-api', growing);
    for (let i = 0; i < 3; i++) item = onFailure(item, T0, 'Rds.RdsException', 'x', opts).item!;
    const timeouts: number[] = [];
    let now = T0;
    for (let round = 0; round < 4; round++) {
      now += item.openTimeoutSeconds * SECOND;
      const probe = onGateCheck(item, now, `probe-${round}`);
      item = onFailure(probe.item, now, 'States.Timeout', `probe-${round}`, { ...opts, probe: true }).item!;
      timeouts.push(item.openTimeoutSeconds);
    }

    expect(openTimeoutLadder(growing)).toEqual([60, 120, 200]);
    expect(timeouts).toEqual([120, 200, 200, 200]);
    expect(item.openCount).toBe(5);
  });

  it('lets another execution take over an expired probe lease', () => {
    const halfOpen = onGateCheck(failTimes(undefined, 3), T0 + 60 * SECOND, 'stuck').item!;
    const whileLeased = onGateCheck(halfOpen, T0 + 100 * SECOND, 'exec-b');
    const afterLease = onGateCheck(halfOpen, (halfOpen.probeLeaseUntil + 1) * SECOND, 'exec-b');
    const lateReport = onSuccess(afterLease.item, (halfOpen.probeLeaseUntil + 2) * SECOND, 'stuck', { probe: true });

    expect(whileLeased.decision).toBe('reject');
    expect(afterLease.decision).toBe('probe');
    expect(afterLease.item?.probeHolder).toBe('exec-b');
    expect(lateReport.item).toEqual(afterLease.item);
  });

  it('clears the failure count on a success in CLOSED, so only consecutive failures open', () => {
    const twoFailures = failTimes(undefined, 2);
    const cleared = onSuccess(twoFailures, T0, 'exec-a', { probe: false }).item!;

    expect(cleared.failureCount).toBe(0);
    expect(cleared.version).toBe(twoFailures!.version);
  });

  it('supports manual isolate, open for a while, close and reset', () => {
    const item = initialCircuit('rds-api', SETTINGS);
    const isolated = isolate(item, T0, 'maintenance').item!;
    const timed = openManually(item, T0, { untilMs: T0 + 600 * SECOND, reason: 'drill' }).item!;

    expect(isolated.openUntil).toBe(OPEN_FOREVER);
    expect(onGateCheck(isolated, T0 + 86_400 * SECOND, 'x').decision).toBe('reject');
    expect(timed.openUntil).toBe(T0 / 1000 + 600);
    expect(close(isolated).item?.state).toBe('CLOSED');
    expect(() => close(item)).toThrow(/already CLOSED/);
    expect(reset(failTimes(item, 2)!).item?.failureCount).toBe(0);
    expect(() => openManually(item, T0, { untilMs: T0, reason: 'x' })).toThrow(/future/);
  });

  it('reports what is wrong with an invalid item', () => {
    const item = { ...initialCircuit('rds-api', SETTINGS), state: 'OPEN' as const, openUntil: 0 };

    expect(isValidCircuit(item)).toBe(false);
    expect(circuitViolations(item)).toContain('an OPEN circuit ends after it opened');
  });
});

type Step =
  | { kind: 'call'; who: number; outcome: 'ok' | 'unhealthy' | 'validation' }
  | { kind: 'tick'; seconds: number }
  | { kind: 'manual'; action: 'open' | 'isolate' | 'close' | 'reset' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      who: fc.nat(3),
      outcome: fc.constantFrom('ok', 'unhealthy', 'validation'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 400 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('manual' as const),
      action: fc.constantFrom('open', 'isolate', 'close', 'reset'),
    }),
  },
);

const settingsArb: fc.Arbitrary<CircuitSettings> = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 6 }),
    successThreshold: fc.integer({ min: 1, max: 3 }),
    openTimeoutSeconds: fc.integer({ min: 1, max: 120 }),
    openTimeoutGrowth: fc.constantFrom(1, 1.5, 2, 3),
    extraCap: fc.integer({ min: 0, max: 1000 }),
    failureWindowSeconds: fc.integer({ min: 1, max: 600 }),
    probeLeaseSeconds: fc.integer({ min: 1, max: 300 }),
  })
  .map(({ extraCap, ...rest }) => ({ ...rest, maxOpenTimeoutSeconds: rest.openTimeoutSeconds + extraCap }));

describe('circuit model, property-based', () => {
  it('never leaves the item invalid, and never lets a call through while OPEN and not due', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 120 }), (settings, steps) => {
        let item: CircuitItem | undefined;
        let now = T0;
        const opts = { countedErrors: COUNTED, settings, circuit: 'rds-api' };
        for (const step of steps) {
          if (step.kind === 'tick') {
            now += step.seconds * SECOND;
          } else if (step.kind === 'manual') {
            const base = item ?? initialCircuit('rds-api', settings);
            if (step.action === 'close' && base.state === 'CLOSED') continue;
            item =
              step.action === 'open'
                ? openManually(base, now, { untilMs: now + 30 * SECOND, reason: 'drill' }).item
                : step.action === 'isolate'
                  ? isolate(base, now, 'maintenance').item
                  : step.action === 'close'
                    ? close(base).item
                    : reset(base).item;
          } else {
            const holder = `exec-${step.who}`;
            const before = item;
            const gate = onGateCheck(item, now, holder);
            if (before?.state === 'OPEN' && Math.floor(now / 1000) < before.openUntil) {
              expect(gate.decision).toBe('reject');
            }
            item = gate.item;
            if (gate.decision !== 'reject') {
              const probe = gate.decision === 'probe';
              item =
                step.outcome === 'ok'
                  ? onSuccess(item, now, holder, { probe }).item
                  : onFailure(
                      item,
                      now,
                      step.outcome === 'unhealthy' ? 'Rds.RdsException' : 'Rds.InvalidParameterException',
                      holder,
                      {
                        ...opts,
                        probe,
                      },
                    ).item;
            }
          }
          if (item) expect(circuitViolations(item)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('bumps the version on every state change', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 80 }), (settings, steps) => {
        let item: CircuitItem | undefined = initialCircuit('rds-api', settings);
        let now = T0;
        const opts = { countedErrors: COUNTED, settings, circuit: 'rds-api' };
        for (const step of steps) {
          if (step.kind !== 'call') {
            now += step.kind === 'tick' ? step.seconds * SECOND : 0;
            continue;
          }
          const before = item!;
          const holder = `exec-${step.who}`;
          const gate = onGateCheck(item, now, holder);
          const after =
            gate.decision === 'reject'
              ? gate.item
              : step.outcome === 'ok'
                ? onSuccess(gate.item, now, holder, { probe: gate.decision === 'probe' }).item
                : onFailure(gate.item, now, 'Rds.RdsException', holder, { ...opts, probe: gate.decision === 'probe' })
                    .item;
          if (after!.state !== before.state) expect(after!.version).toBeGreaterThan(before.version);
          item = after;
        }
      }),
      { numRuns: 200 },
    );
  });
});
