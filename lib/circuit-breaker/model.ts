/**
 * The reference model of the breaker: the circuit item and every transition as pure functions. The breaker
 * machine (`state-machines/circuit-breaker.asl.json`) implements exactly these rules with conditional
 * DynamoDB writes; tests run both side by side. Times in the item are whole epoch seconds (what the ASL
 * clock yields). Settings are not stored in the item: every decision takes the deployed ones.
 */
import { type CircuitDeclaration, isDependencyFailure } from './circuits';
import { CircuitTransitionError } from './errors';
import { type CircuitSettings, openTimeoutFor, openTimeoutLadder } from './settings';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
export const CIRCUIT_STATES: readonly CircuitState[] = ['CLOSED', 'OPEN', 'HALF_OPEN'];

/** `openUntil` of a circuit isolated by hand without an end (epoch seconds, year 2286). */
export const OPEN_FOREVER = 9_999_999_999;

/** One item of the `circuit-breakers` table. */
export interface CircuitItem {
  readonly circuit: string;
  readonly state: CircuitState;
  /** Bumped by every transition, lease change, counted probe and manual change; guards them all. */
  readonly version: number;
  /** Failures counted in the current window (CLOSED only). */
  readonly failureCount: number;
  /** When the current failure window ends (epoch s); 0 = no window. */
  readonly windowEndsAt: number;
  /** Executions whose probe succeeded since the circuit became HALF_OPEN (the size of `probedBy`). */
  readonly successCount: number;
  readonly openedAt: number;
  /** OPEN: the first second a probe may go; 0 while CLOSED. */
  readonly openUntil: number;
  /** The timeout of the current open (from the ladder, or the span of a manual open); 0 while CLOSED. */
  readonly openTimeoutSeconds: number;
  /** Consecutive opens since the circuit was last CLOSED. */
  readonly openCount: number;
  /** Execution that holds the HALF_OPEN probe lease. */
  readonly probeHolder?: string;
  /** When the probe lease expires (epoch s); 0 = no lease. */
  readonly probeLeaseUntil: number;
  /**
   * Executions whose probe succeeded in this HALF_OPEN period, sorted (a DynamoDB string set). A probe is
   * one execution's call: its further calls (the next pages of a listing) never count a second time.
   */
  readonly probedBy?: readonly string[];
  /** Error name that last opened the circuit, or the manual reason. */
  readonly lastError?: string;
  /** Who made the last change (execution id or `cli:<actor>`); informational. */
  readonly changedBy?: string;
  /** ISO time of the last change; informational. */
  readonly updatedAt?: string;
}

export interface CircuitTransition {
  readonly from: CircuitState;
  readonly to: CircuitState;
}

export type GateDecision = 'call' | 'probe' | 'reject';

export interface GateOutcome {
  readonly decision: GateDecision;
  /** The item after the check; undefined when it was missing and stays missing. */
  readonly item: CircuitItem | undefined;
  readonly transition?: CircuitTransition;
  /** The caller must report a success: it probes, or a CLOSED circuit has failures to clear. */
  readonly reportSuccess: boolean;
}

export interface RecordOutcome {
  readonly item: CircuitItem | undefined;
  readonly transition?: CircuitTransition;
}

export interface CallFailure {
  readonly error: string;
  readonly cause: string;
}

/** An item as read with the DynamoDB DocumentClient: the string set `probedBy` comes back as a Set. */
export function fromStoredItem(stored: Record<string, unknown>): CircuitItem {
  const { probedBy, ...rest } = stored;
  return {
    ...(rest as unknown as CircuitItem),
    ...(probedBy instanceof Set || Array.isArray(probedBy)
      ? { probedBy: [...(probedBy as Iterable<string>)].sort() }
      : {}),
  };
}

/** Whole epoch seconds of an epoch-milliseconds instant (the resolution of the ASL clock). */
export function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** A CLOSED circuit with nothing counted: what a missing item means. */
export function initialCircuit(circuit: string): CircuitItem {
  return {
    circuit,
    state: 'CLOSED',
    version: 0,
    failureCount: 0,
    windowEndsAt: 0,
    successCount: 0,
    openedAt: 0,
    openUntil: 0,
    openTimeoutSeconds: 0,
    openCount: 0,
    probeLeaseUntil: 0,
  };
}

/** The item opened at `now` until `openUntil`: every way into OPEN (threshold, failed probe, by hand). */
function opened(
  item: CircuitItem,
  now: number,
  open: {
    readonly openUntil: number;
    readonly timeout: number;
    readonly openCount: number;
    readonly lastError: string;
  },
): CircuitItem {
  return {
    ...withoutProbe(item),
    state: 'OPEN',
    version: item.version + 1,
    openedAt: now,
    openUntil: open.openUntil,
    openTimeoutSeconds: open.timeout,
    openCount: open.openCount,
    successCount: 0,
    lastError: open.lastError,
  };
}

/** No lease and no counted probes: what every way out of HALF_OPEN leaves. */
function withoutProbe(item: CircuitItem): CircuitItem {
  const { probeHolder: _holder, probedBy: _probedBy, ...rest } = item;
  return { ...rest, probeLeaseUntil: 0 };
}

/** The lease given back: the holder's call is over, another execution may probe. */
function withoutLease(item: CircuitItem): CircuitItem {
  const { probeHolder: _holder, ...rest } = item;
  return { ...rest, probeLeaseUntil: 0 };
}

/** The CLOSED item a close or reset leaves: counters cleared, no open in progress. */
function closedFrom(item: CircuitItem): CircuitItem {
  return {
    ...withoutProbe(item),
    state: 'CLOSED',
    version: item.version + 1,
    failureCount: 0,
    windowEndsAt: 0,
    successCount: 0,
    openUntil: 0,
    openCount: 0,
    openTimeoutSeconds: 0,
  };
}

function holdsLease(item: CircuitItem | undefined, holder: string): item is CircuitItem {
  return item?.state === 'HALF_OPEN' && item.probeHolder === holder;
}

/**
 * The check before a call: CLOSED (or missing) lets the call through; OPEN before `openUntil`, or HALF_OPEN
 * with another execution's live lease, refuses; OPEN when due, or HALF_OPEN without a live lease, hands
 * the probe lease to `holder`. The holder of a live lease is let through again (its next page, a retried
 * check) without a write.
 */
export function onGateCheck(
  item: CircuitItem | undefined,
  nowMs: number,
  holder: string,
  settings: CircuitSettings,
): GateOutcome {
  if (item === undefined || item.state === 'CLOSED') {
    return { decision: 'call', item, reportSuccess: (item?.failureCount ?? 0) > 0 };
  }
  const now = epochSeconds(nowMs);
  const leaseUntil = now + settings.probeLeaseSeconds;
  if (item.state === 'OPEN') {
    if (now < item.openUntil) return { decision: 'reject', item, reportSuccess: false };
    return {
      decision: 'probe',
      item: {
        ...item,
        state: 'HALF_OPEN',
        probeHolder: holder,
        probeLeaseUntil: leaseUntil,
        version: item.version + 1,
      },
      transition: { from: 'OPEN', to: 'HALF_OPEN' },
      reportSuccess: true,
    };
  }
  if (item.probeLeaseUntil > now) {
    return item.probeHolder === holder
      ? { decision: 'probe', item, reportSuccess: true }
      : { decision: 'reject', item, reportSuccess: false };
  }
  return {
    decision: 'probe',
    item: { ...item, probeHolder: holder, probeLeaseUntil: leaseUntil, version: item.version + 1 },
    reportSuccess: true,
  };
}

/**
 * A protected call succeeded. In CLOSED it clears the failure count (only consecutive failures open).
 * From the lease holder in HALF_OPEN it counts once per execution and gives the lease back; enough
 * executions' successes close the circuit.
 */
export function onSuccess(
  item: CircuitItem | undefined,
  _nowMs: number,
  holder: string,
  settings: CircuitSettings,
): RecordOutcome {
  if (item === undefined) return { item };
  if (item.state === 'CLOSED') {
    if (item.failureCount === 0) return { item };
    return { item: { ...item, failureCount: 0, windowEndsAt: 0 } };
  }
  if (!holdsLease(item, holder)) return { item };
  if (item.probedBy?.includes(holder)) return { item: { ...withoutLease(item), version: item.version + 1 } };
  const counted: CircuitItem = {
    ...withoutLease(item),
    successCount: item.successCount + 1,
    probedBy: [...(item.probedBy ?? []), holder].sort(),
    version: item.version + 1,
  };
  if (counted.successCount < settings.successThreshold) return { item: counted };
  return { item: closedFrom(counted), transition: { from: 'HALF_OPEN', to: 'CLOSED' } };
}

export interface FailureOptions {
  readonly declaration: CircuitDeclaration;
  readonly settings: CircuitSettings;
  readonly circuit: string;
}

/** A protected call failed after its retries. */
export function onFailure(
  item: CircuitItem | undefined,
  nowMs: number,
  failure: CallFailure,
  holder: string,
  options: FailureOptions,
): RecordOutcome {
  const now = epochSeconds(nowMs);
  const probing = holdsLease(item, holder);
  if (!isDependencyFailure(failure, options.declaration)) {
    // The dependency answered; the probe proves nothing either way, so it only gives the lease back.
    return probing ? { item: { ...withoutLease(item), version: item.version + 1 } } : { item };
  }
  const ladder = openTimeoutLadder(options.settings);
  if (probing) {
    const openCount = item.openCount + 1;
    const timeout = openTimeoutFor(ladder, openCount);
    return {
      item: opened(item, now, { openUntil: now + timeout, timeout, openCount, lastError: failure.error }),
      transition: { from: 'HALF_OPEN', to: 'OPEN' },
    };
  }
  const current = item ?? initialCircuit(options.circuit);
  if (current.state !== 'CLOSED') return { item: current };
  const windowed =
    current.windowEndsAt <= now
      ? { ...current, failureCount: 0, windowEndsAt: now + options.settings.failureWindowSeconds }
      : current;
  const counted = { ...windowed, failureCount: windowed.failureCount + 1 };
  if (counted.failureCount < options.settings.failureThreshold) return { item: counted };
  const timeout = openTimeoutFor(ladder, 1);
  return {
    item: opened(counted, now, { openUntil: now + timeout, timeout, openCount: 1, lastError: failure.error }),
    transition: { from: 'CLOSED', to: 'OPEN' },
  };
}

/** Manual open: until `untilMs`, or indefinitely (isolation) when omitted. */
export function openManually(
  item: CircuitItem,
  nowMs: number,
  options: { readonly untilMs?: number; readonly reason: string },
): RecordOutcome {
  const now = epochSeconds(nowMs);
  const openUntil = options.untilMs === undefined ? OPEN_FOREVER : epochSeconds(options.untilMs);
  if (openUntil <= now) {
    throw new CircuitTransitionError(`Circuit "${item.circuit}": the open period must end in the future.`);
  }
  return {
    item: opened(item, now, {
      openUntil,
      timeout: openUntil - now,
      openCount: Math.max(item.openCount, 1),
      lastError: `manual: ${options.reason}`,
    }),
    transition: item.state === 'OPEN' ? undefined : { from: item.state, to: 'OPEN' },
  };
}

/** Isolates the dependency: OPEN until someone closes the circuit by hand. */
export function isolate(item: CircuitItem, nowMs: number, reason: string): RecordOutcome {
  return openManually(item, nowMs, { reason });
}

/** Manual close of an OPEN or HALF_OPEN circuit. */
export function close(item: CircuitItem): RecordOutcome {
  if (item.state === 'CLOSED') {
    throw new CircuitTransitionError(
      `Circuit "${item.circuit}" is already CLOSED; use "reset" to clear its failure count.`,
    );
  }
  return { item: closedFrom(item), transition: { from: item.state, to: 'CLOSED' } };
}

/** Manual reset from any state: CLOSED with every counter cleared. */
export function reset(item: CircuitItem): RecordOutcome {
  const closed = closedFrom(item);
  const { lastError: _lastError, ...rest } = closed;
  return {
    item: { ...rest, openedAt: 0 },
    transition: item.state === 'CLOSED' ? undefined : { from: item.state, to: 'CLOSED' },
  };
}

/**
 * Every rule a stored circuit item must satisfy; empty when valid. With `settings`, also the rules that
 * depend on them (a CLOSED circuit below its failure threshold, a HALF_OPEN one below its success one).
 */
export function circuitViolations(item: CircuitItem, settings?: CircuitSettings): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const wholeNumber = (value: number) => Number.isInteger(value) && value >= 0;
  check(CIRCUIT_STATES.includes(item.state), `state ${item.state} is not CLOSED, OPEN or HALF_OPEN`);
  for (const key of [
    'version',
    'failureCount',
    'windowEndsAt',
    'successCount',
    'openedAt',
    'openUntil',
    'openTimeoutSeconds',
    'openCount',
    'probeLeaseUntil',
  ] as const) {
    check(wholeNumber(item[key]), `${key} must be a whole number >= 0, got ${item[key]}`);
  }
  check(
    (item.probeHolder !== undefined) === item.probeLeaseUntil > 0,
    'probeHolder and probeLeaseUntil must be set together',
  );
  check(item.probeHolder === undefined || item.state === 'HALF_OPEN', 'only a HALF_OPEN circuit has a probe lease');
  check(item.probedBy === undefined || item.state === 'HALF_OPEN', 'only a HALF_OPEN circuit has counted probes');
  check(item.successCount === (item.probedBy?.length ?? 0), 'successCount is the number of executions in probedBy');
  if (item.state === 'CLOSED') {
    check(item.openUntil === 0, 'a CLOSED circuit has openUntil 0');
    check(item.openCount === 0, 'a CLOSED circuit has openCount 0');
    check(item.openTimeoutSeconds === 0, 'a CLOSED circuit has no open timeout');
    check(item.failureCount === 0 || item.windowEndsAt > 0, 'counted failures belong to a window');
    if (settings) {
      check(item.failureCount < settings.failureThreshold, 'a CLOSED circuit is below its failure threshold');
    }
  } else {
    check(item.openCount >= 1, `a ${item.state} circuit has been opened at least once`);
    check(item.openedAt > 0, `a ${item.state} circuit has openedAt`);
    check(item.openTimeoutSeconds > 0, `a ${item.state} circuit has an open timeout`);
  }
  if (item.state === 'OPEN') {
    check(item.openUntil > item.openedAt, 'an OPEN circuit ends after it opened');
    check(item.successCount === 0, 'an OPEN circuit has successCount 0');
  }
  if (item.state === 'HALF_OPEN' && settings) {
    check(item.successCount < settings.successThreshold, 'a HALF_OPEN circuit is below its success threshold');
  }
  return problems;
}

export function isValidCircuit(item: CircuitItem, settings?: CircuitSettings): boolean {
  return circuitViolations(item, settings).length === 0;
}

/** The item without its informational fields, for comparing the breaker's writes with the model. */
export function comparableCircuit(item: CircuitItem): Omit<CircuitItem, 'changedBy' | 'updatedAt'> {
  const { changedBy: _by, updatedAt: _at, ...rest } = item;
  return rest;
}
