import fc from 'fast-check';
import {
  CIRCUITS,
  type CircuitDeclaration,
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
const DECLARATION: CircuitDeclaration = CIRCUITS['rds-api'];
const SETTINGS: CircuitSettings = { ...DEFAULT_CIRCUIT_SETTINGS, failureThreshold: 3, successThreshold: 2 };
const THROTTLED = { error: 'Rds.RdsException', cause: 'Rate exceeded (Service: Rds, Status Code: 400, Request ID: x)' };
const TIMED_OUT = { error: 'States.Timeout', cause: 'Task timed out' };
const options = (settings = SETTINGS) => ({ declaration: DECLARATION, settings, circuit: 'rds-api' });

function failTimes(item: CircuitItem | undefined, times: number, at = T0, holder = 'exec-a'): CircuitItem | undefined {
  let current = item;
  for (let i = 0; i < times; i++) current = onFailure(current, at, THROTTLED, holder, options()).item;
  return current;
}

describe('circuit model', () => {
  it('treats a missing item as CLOSED and lets the call through without creating it or asking for a report', () => {
    const outcome = onGateCheck(undefined, T0, 'exec-a', SETTINGS);

    expect(outcome).toEqual({ decision: 'call', item: undefined, reportSuccess: false });
  });

  it('asks for a report of the success only when there are failures to clear', () => {
    const clean = { ...initialCircuit('rds-api'), version: 4 };

    expect(onGateCheck(clean, T0, 'exec-a', SETTINGS).reportSuccess).toBe(false);
    expect(onGateCheck(failTimes(undefined, 1), T0, 'exec-a', SETTINGS).reportSuccess).toBe(true);
  });

  it('opens at exactly the failure threshold, not before', () => {
    const belowThreshold = failTimes(undefined, 2)!;
    const atThreshold = onFailure(belowThreshold, T0, THROTTLED, 'exec-a', options());

    expect(belowThreshold.state).toBe('CLOSED');
    expect(belowThreshold.failureCount).toBe(2);
    expect(atThreshold.item?.state).toBe('OPEN');
    expect(atThreshold.transition).toEqual({ from: 'CLOSED', to: 'OPEN' });
    expect(atThreshold.item?.openUntil).toBe(T0 / 1000 + SETTINGS.openTimeoutSeconds);
  });

  it('does not count answers: modeled errors, and the base exception without a throttling or 5xx Cause', () => {
    const notFound = { error: 'Rds.DbInstanceNotFoundException', cause: 'DBInstance x not found.' };
    const validation = { error: 'Rds.RdsException', cause: 'Invalid marker (Service: Rds, Status Code: 400)' };
    const serverError = { error: 'Rds.RdsException', cause: 'Internal failure (Service: Rds, Status Code: 500)' };

    expect(onFailure(undefined, T0, notFound, 'exec-a', options()).item).toBeUndefined();
    expect(onFailure(undefined, T0, validation, 'exec-a', options()).item).toBeUndefined();
    expect(onFailure(undefined, T0, serverError, 'exec-a', options()).item?.failureCount).toBe(1);
    expect(onFailure(undefined, T0, TIMED_OUT, 'exec-a', options()).item?.failureCount).toBe(1);
  });

  it('forgets failures older than the window', () => {
    const twoOld = failTimes(undefined, 2)!;
    const later = T0 + (SETTINGS.failureWindowSeconds + 1) * SECOND;

    const outcome = onFailure(twoOld, later, THROTTLED, 'exec-a', options());

    expect(outcome.item?.state).toBe('CLOSED');
    expect(outcome.item?.failureCount).toBe(1);
  });

  it('refuses calls while OPEN and hands one probe lease once the timeout has passed', () => {
    const open = failTimes(undefined, 3)!;
    const beforeDue = onGateCheck(open, T0 + 59 * SECOND, 'exec-b', SETTINGS);
    const due = onGateCheck(open, T0 + 60 * SECOND, 'exec-b', SETTINGS);
    const second = onGateCheck(due.item, T0 + 60 * SECOND, 'exec-c', SETTINGS);
    const holderAgain = onGateCheck(due.item, T0 + 61 * SECOND, 'exec-b', SETTINGS);

    expect(beforeDue.decision).toBe('reject');
    expect(due.decision).toBe('probe');
    expect(due.transition).toEqual({ from: 'OPEN', to: 'HALF_OPEN' });
    expect(due.item?.probeHolder).toBe('exec-b');
    expect(second.decision).toBe('reject');
    expect(holderAgain).toEqual({ decision: 'probe', item: due.item, reportSuccess: true });
  });

  it('closes after the success threshold of probing executions, releasing the lease after each', () => {
    const halfOpen = onGateCheck(failTimes(undefined, 3), T0 + 60 * SECOND, 'exec-b', SETTINGS).item;
    const first = onSuccess(halfOpen, T0 + 61 * SECOND, 'exec-b', SETTINGS);
    const next = onGateCheck(first.item, T0 + 62 * SECOND, 'exec-c', SETTINGS);
    const second = onSuccess(next.item, T0 + 63 * SECOND, 'exec-c', SETTINGS);

    expect(first.item).toEqual(expect.objectContaining({ state: 'HALF_OPEN', successCount: 1, probedBy: ['exec-b'] }));
    expect(first.item?.probeHolder).toBeUndefined();
    expect(next.decision).toBe('probe');
    expect(second.item?.state).toBe('CLOSED');
    expect(second.item?.probedBy).toBeUndefined();
    expect(second.transition).toEqual({ from: 'HALF_OPEN', to: 'CLOSED' });
  });

  it('counts one execution once however many calls it makes while probing (a paginated probe)', () => {
    let item = onGateCheck(failTimes(undefined, 3), T0 + 60 * SECOND, 'paging', SETTINGS).item;
    for (let page = 1; page <= 3; page++) {
      item = onSuccess(item, T0 + (60 + page) * SECOND, 'paging', SETTINGS).item;
      item = onGateCheck(item, T0 + (60 + page) * SECOND, 'paging', SETTINGS).item;
    }
    item = onSuccess(item, T0 + 64 * SECOND, 'paging', SETTINGS).item;

    expect(item).toEqual(expect.objectContaining({ state: 'HALF_OPEN', successCount: 1, probedBy: ['paging'] }));
    expect(item?.probeHolder).toBeUndefined();
  });

  it('re-opens at once when the probe fails, with a longer timeout when growth is on', () => {
    const growing = { ...SETTINGS, openTimeoutGrowth: 2, maxOpenTimeoutSeconds: 200 };
    let item = initialCircuit('rds-api');
    for (let i = 0; i < 3; i++) item = onFailure(item, T0, THROTTLED, 'x', options(growing)).item!;
    const timeouts: number[] = [];
    let now = T0;
    for (let round = 0; round < 4; round++) {
      now += item.openTimeoutSeconds * SECOND;
      const probe = onGateCheck(item, now, `probe-${round}`, growing);
      item = onFailure(probe.item, now, TIMED_OUT, `probe-${round}`, options(growing)).item!;
      timeouts.push(item.openTimeoutSeconds);
    }

    expect(openTimeoutLadder(growing)).toEqual([60, 120, 200]);
    expect(timeouts).toEqual([120, 200, 200, 200]);
    expect(item.openCount).toBe(5);
  });

  it('lets another execution take over an expired probe lease', () => {
    const halfOpen = onGateCheck(failTimes(undefined, 3), T0 + 60 * SECOND, 'stuck', SETTINGS).item!;
    const whileLeased = onGateCheck(halfOpen, T0 + 100 * SECOND, 'exec-b', SETTINGS);
    const afterLease = onGateCheck(halfOpen, (halfOpen.probeLeaseUntil + 1) * SECOND, 'exec-b', SETTINGS);
    const lateReport = onSuccess(afterLease.item, (halfOpen.probeLeaseUntil + 2) * SECOND, 'stuck', SETTINGS);

    expect(whileLeased.decision).toBe('reject');
    expect(afterLease.decision).toBe('probe');
    expect(afterLease.item?.probeHolder).toBe('exec-b');
    expect(lateReport.item).toEqual(afterLease.item);
  });

  it('clears the failure count on a success in CLOSED, so only consecutive failures open', () => {
    const twoFailures = failTimes(undefined, 2);
    const cleared = onSuccess(twoFailures, T0, 'exec-a', SETTINGS).item!;

    expect(cleared.failureCount).toBe(0);
    expect(cleared.version).toBe(twoFailures!.version);
  });

  it('supports manual isolate, open for a while, close and reset', () => {
    const item = initialCircuit('rds-api');
    const isolated = isolate(item, T0, 'maintenance').item!;
    const timed = openManually(item, T0, { untilMs: T0 + 600 * SECOND, reason: 'drill' }).item!;

    expect(isolated.openUntil).toBe(OPEN_FOREVER);
    expect(onGateCheck(isolated, T0 + 86_400 * SECOND, 'x', SETTINGS).decision).toBe('reject');
    expect(timed.openUntil).toBe(T0 / 1000 + 600);
    expect(close(isolated).item?.state).toBe('CLOSED');
    expect(() => close(item)).toThrow(/already CLOSED/);
    expect(reset(failTimes(item, 2)!).item?.failureCount).toBe(0);
    expect(() => openManually(item, T0, { untilMs: T0, reason: 'x' })).toThrow(/future/);
  });

  it('reports what is wrong with an invalid item', () => {
    const item = { ...initialCircuit('rds-api'), state: 'OPEN' as const, openUntil: 0 };
    const overThreshold = { ...initialCircuit('rds-api'), failureCount: 3, windowEndsAt: 1 };

    expect(isValidCircuit(item)).toBe(false);
    expect(circuitViolations(item)).toContain('an OPEN circuit ends after it opened');
    expect(circuitViolations(overThreshold)).toEqual([]);
    expect(circuitViolations(overThreshold, SETTINGS)).toEqual(['a CLOSED circuit is below its failure threshold']);
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

const FAILURES = {
  unhealthy: THROTTLED,
  validation: { error: 'Rds.RdsException', cause: 'Invalid parameter (Service: Rds, Status Code: 400)' },
};

/** One step applied to the model, as the sequence of items it passes through (gate, then record). */
function apply(item: CircuitItem | undefined, step: Step, now: number, settings: CircuitSettings): CircuitItem[] {
  if (step.kind === 'tick') return [];
  if (step.kind === 'manual') {
    const base = item ?? initialCircuit('rds-api');
    if (step.action === 'close' && base.state === 'CLOSED') return [];
    const changed =
      step.action === 'open'
        ? openManually(base, now, { untilMs: now + 30 * SECOND, reason: 'drill' }).item
        : step.action === 'isolate'
          ? isolate(base, now, 'maintenance').item
          : step.action === 'close'
            ? close(base).item
            : reset(base).item;
    return [changed!];
  }
  const holder = `exec-${step.who}`;
  const gate = onGateCheck(item, now, holder, settings);
  if (gate.decision === 'reject') return gate.item ? [gate.item] : [];
  const recorded =
    step.outcome === 'ok'
      ? onSuccess(gate.item, now, holder, settings).item
      : onFailure(gate.item, now, FAILURES[step.outcome], holder, options(settings)).item;
  return [gate.item, recorded].filter((entry): entry is CircuitItem => entry !== undefined);
}

/** What a compare-and-set on the version must notice: state, lease, counted probes, the open itself. */
function guarded(item: CircuitItem) {
  const { state, probeHolder, probeLeaseUntil, probedBy, successCount, openUntil, openCount, lastError } = item;
  return { state, probeHolder, probeLeaseUntil, probedBy, successCount, openUntil, openCount, lastError };
}

describe('circuit model, property-based', () => {
  it('never leaves the item invalid, and never lets a call through while OPEN and not due', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 120 }), (settings, steps) => {
        let item: CircuitItem | undefined;
        let now = T0;
        for (const step of steps) {
          if (step.kind === 'tick') now += step.seconds * SECOND;
          if (step.kind === 'call' && item?.state === 'OPEN' && Math.floor(now / 1000) < item.openUntil) {
            expect(onGateCheck(item, now, `exec-${step.who}`, settings).decision).toBe('reject');
          }
          const states = apply(item, step, now, settings);
          for (const state of states) expect(circuitViolations(state, settings)).toEqual([]);
          item = states.at(-1) ?? item;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('bumps the version on every state, lease, probe or manual change (what the CLI compare-and-set relies on)', () => {
    let manualChanges = 0;
    let leaseChanges = 0;
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb, { maxLength: 80 }), (settings, steps) => {
        let item: CircuitItem = initialCircuit('rds-api');
        let now = T0;
        for (const step of steps) {
          if (step.kind === 'tick') now += step.seconds * SECOND;
          for (const next of apply(item, step, now, settings)) {
            const changed = JSON.stringify(guarded(next)) !== JSON.stringify(guarded(item));
            if (step.kind === 'manual') manualChanges++;
            if (next.probeHolder !== item.probeHolder) leaseChanges++;
            if (changed || step.kind === 'manual') expect(next.version).toBeGreaterThan(item.version);
            item = next;
          }
        }
      }),
      { numRuns: 200 },
    );

    // The property saw both kinds of change it is about, not only state transitions.
    expect(manualChanges).toBeGreaterThan(20);
    expect(leaseChanges).toBeGreaterThan(20);
  });
});
