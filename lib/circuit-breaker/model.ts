/**
 * The reference model of the breaker: the circuit item and every transition as pure functions. The gate
 * and record states generated into the ASL implement exactly these rules with conditional DynamoDB writes;
 * tests run both side by side. Times in the item are whole epoch seconds (what the ASL clock yields).
 */
import { CircuitTransitionError } from './errors';
import { type CircuitSettings, openTimeoutFor, openTimeoutLadder, validateCircuitSettings } from './settings';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
export const CIRCUIT_STATES: readonly CircuitState[] = ['CLOSED', 'OPEN', 'HALF_OPEN'];

/** `openUntil` of a circuit isolated by hand without an end (epoch seconds, year 2286). */
export const OPEN_FOREVER = 9_999_999_999;

/** The item's `config` map: the settings plus the precomputed ladder of open timeouts ("60,120,240"). */
export type CircuitItemConfig = CircuitSettings & { readonly openTimeoutLadder: string };

/** One item of the `circuit-breakers` table. */
export interface CircuitItem {
  readonly circuit: string;
  readonly state: CircuitState;
  /** Bumped by every transition, lease change and manual change; guards them all. */
  readonly version: number;
  /** Failures counted in the current window (CLOSED only). */
  readonly failureCount: number;
  /** When the current failure window ends (epoch s); 0 = no window. */
  readonly windowEndsAt: number;
  /** Successful probes since the circuit became HALF_OPEN. */
  readonly successCount: number;
  readonly openedAt: number;
  /** OPEN: the first second a probe may go; 0 while CLOSED. */
  readonly openUntil: number;
  /** The timeout of the current (or last) open; grows along the ladder on consecutive re-opens. */
  readonly openTimeoutSeconds: number;
  /** Consecutive opens since the circuit was last CLOSED. */
  readonly openCount: number;
  /** Execution that holds the HALF_OPEN probe lease. */
  readonly probeHolder?: string;
  /** When the probe lease expires (epoch s); 0 = no lease. */
  readonly probeLeaseUntil: number;
  /** Error name that last opened the circuit, or the manual reason. */
  readonly lastError?: string;
  /** Who made the last change (execution id or `cli:<actor>`); informational. */
  readonly changedBy?: string;
  /** ISO time of the last change; informational. */
  readonly updatedAt?: string;
  readonly config: CircuitItemConfig;
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
}

export interface RecordOutcome {
  readonly item: CircuitItem | undefined;
  readonly transition?: CircuitTransition;
}

/** Whole epoch seconds of an epoch-milliseconds instant (the resolution of the ASL clock). */
export function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

export function itemConfig(settings: CircuitSettings): CircuitItemConfig {
  return { ...settings, openTimeoutLadder: openTimeoutLadder(settings).join(',') };
}

/** A CLOSED circuit with nothing counted: what a missing item means. */
export function initialCircuit(circuit: string, settings: CircuitSettings): CircuitItem {
  validateCircuitSettings(circuit, settings);
  return {
    circuit,
    state: 'CLOSED',
    version: 0,
    failureCount: 0,
    windowEndsAt: 0,
    successCount: 0,
    openedAt: 0,
    openUntil: 0,
    openTimeoutSeconds: settings.openTimeoutSeconds,
    openCount: 0,
    probeLeaseUntil: 0,
    config: itemConfig(settings),
  };
}

function ladderOf(item: CircuitItem): number[] {
  return item.config.openTimeoutLadder.split(',').map(Number);
}

/** The item opened at `now` until `openUntil`: every way into OPEN (threshold, failed probe, by hand). */
function opened(
  item: CircuitItem,
  now: number,
  open: {
    readonly openUntil: number;
    readonly openCount: number;
    readonly lastError: string;
    readonly timeout?: number;
  },
): CircuitItem {
  return {
    ...withoutProbe(item),
    state: 'OPEN',
    version: item.version + 1,
    openedAt: now,
    openUntil: open.openUntil,
    ...(open.timeout !== undefined && { openTimeoutSeconds: open.timeout }),
    openCount: open.openCount,
    successCount: 0,
    lastError: open.lastError,
  };
}

function withoutProbe(item: CircuitItem): CircuitItem {
  const { probeHolder: _holder, ...rest } = item;
  return { ...rest, probeLeaseUntil: 0 };
}

/** The CLOSED item a close or reset leaves: counters cleared, timeout back to the first rung. */
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
    openTimeoutSeconds: item.config.openTimeoutSeconds,
  };
}

/**
 * The gate: CLOSED (or missing) lets the call through; OPEN before `openUntil`, or HALF_OPEN with a live
 * lease, rejects; OPEN when due, or HALF_OPEN without a live lease, hands the probe lease to `holder`.
 */
export function onGateCheck(item: CircuitItem | undefined, nowMs: number, holder: string): GateOutcome {
  if (item === undefined || item.state === 'CLOSED') return { decision: 'call', item };
  const now = epochSeconds(nowMs);
  const leaseUntil = now + item.config.probeLeaseSeconds;
  if (item.state === 'OPEN') {
    if (now < item.openUntil) return { decision: 'reject', item };
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
    };
  }
  if (item.probeLeaseUntil > now) return { decision: 'reject', item };
  return {
    decision: 'probe',
    item: { ...item, probeHolder: holder, probeLeaseUntil: leaseUntil, version: item.version + 1 },
  };
}

export interface RecordOptions {
  /** The caller passed the gate as the HALF_OPEN probe (it took the lease). */
  readonly probe: boolean;
}

/** A protected call succeeded. */
export function onSuccess(
  item: CircuitItem | undefined,
  _nowMs: number,
  holder: string,
  options: RecordOptions,
): RecordOutcome {
  if (item === undefined) return { item };
  if (!options.probe) {
    // A success in CLOSED clears the failure count, so only consecutive failures open the circuit.
    if (item.state !== 'CLOSED' || item.failureCount === 0) return { item };
    return { item: { ...item, failureCount: 0, windowEndsAt: 0 } };
  }
  if (item.state !== 'HALF_OPEN' || item.probeHolder !== holder) return { item };
  const counted = { ...withoutProbe(item), successCount: item.successCount + 1, version: item.version + 1 };
  if (counted.successCount < item.config.successThreshold) return { item: counted };
  return { item: closedFrom(counted), transition: { from: 'HALF_OPEN', to: 'CLOSED' } };
}

/** Error names that mean "the dependency is unhealthy": throttling, 5xx, timeouts. Validation errors are not. */
export function isDependencyFailure(errorName: string, countedErrors: readonly string[]): boolean {
  return countedErrors.includes(errorName);
}

export interface FailureOptions extends RecordOptions {
  /** The error names this circuit counts (from its declaration). */
  readonly countedErrors: readonly string[];
  /** Settings of a circuit created by this failure (the item did not exist yet). */
  readonly settings: CircuitSettings;
  readonly circuit: string;
}

/** A protected call failed after its retries. */
export function onFailure(
  item: CircuitItem | undefined,
  nowMs: number,
  errorName: string,
  holder: string,
  options: FailureOptions,
): RecordOutcome {
  const now = epochSeconds(nowMs);
  if (!isDependencyFailure(errorName, options.countedErrors)) {
    // The dependency answered; the probe proves nothing either way, so it only gives the lease back.
    if (options.probe && item?.state === 'HALF_OPEN' && item.probeHolder === holder) {
      return { item: { ...withoutProbe(item), version: item.version + 1 } };
    }
    return { item };
  }
  if (options.probe) {
    if (item?.state !== 'HALF_OPEN' || item.probeHolder !== holder) return { item };
    const openCount = item.openCount + 1;
    const timeout = openTimeoutFor(ladderOf(item), openCount);
    return {
      item: opened(item, now, { openUntil: now + timeout, timeout, openCount, lastError: errorName }),
      transition: { from: 'HALF_OPEN', to: 'OPEN' },
    };
  }
  const current = item ?? initialCircuit(options.circuit, options.settings);
  if (current.state !== 'CLOSED') return { item: current };
  const windowed =
    current.windowEndsAt <= now
      ? { ...current, failureCount: 0, windowEndsAt: now + current.config.failureWindowSeconds }
      : current;
  const counted = { ...windowed, failureCount: windowed.failureCount + 1 };
  if (counted.failureCount < counted.config.failureThreshold) return { item: counted };
  const timeout = openTimeoutFor(ladderOf(counted), 1);
  return {
    item: opened(counted, now, { openUntil: now + timeout, timeout, openCount: 1, lastError: errorName }),
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

/** Manual reset from any state: CLOSED with every counter cleared; the settings stay. */
export function reset(item: CircuitItem): RecordOutcome {
  const closed = closedFrom(item);
  const { lastError: _lastError, ...rest } = closed;
  return {
    item: { ...rest, openedAt: 0 },
    transition: item.state === 'CLOSED' ? undefined : { from: item.state, to: 'CLOSED' },
  };
}

/** Every rule a stored circuit item must satisfy; empty when valid. */
export function circuitViolations(item: CircuitItem): string[] {
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
  try {
    validateCircuitSettings(item.circuit, item.config);
    check(
      item.config.openTimeoutLadder === openTimeoutLadder(item.config).join(','),
      `config.openTimeoutLadder ${item.config.openTimeoutLadder} does not match the settings`,
    );
  } catch (error) {
    problems.push((error as Error).message);
  }
  check(
    (item.probeHolder !== undefined) === item.probeLeaseUntil > 0,
    'probeHolder and probeLeaseUntil must be set together',
  );
  check(item.probeHolder === undefined || item.state === 'HALF_OPEN', 'only a HALF_OPEN circuit has a probe lease');
  if (item.state === 'CLOSED') {
    check(item.openUntil === 0, 'a CLOSED circuit has openUntil 0');
    check(item.openCount === 0, 'a CLOSED circuit has openCount 0');
    check(item.successCount === 0, 'a CLOSED circuit has successCount 0');
    check(item.failureCount < item.config.failureThreshold, 'a CLOSED circuit is below its failure threshold');
    check(item.failureCount === 0 || item.windowEndsAt > 0, 'counted failures belong to a window');
    check(item.openTimeoutSeconds === item.config.openTimeoutSeconds, 'a CLOSED circuit is back on the first timeout');
  } else {
    check(item.openCount >= 1, `a ${item.state} circuit has been opened at least once`);
    check(item.openedAt > 0, `a ${item.state} circuit has openedAt`);
  }
  if (item.state === 'OPEN') {
    check(item.openUntil > item.openedAt, 'an OPEN circuit ends after it opened');
    check(item.successCount === 0, 'an OPEN circuit has successCount 0');
  }
  if (item.state === 'HALF_OPEN') {
    check(item.successCount < item.config.successThreshold, 'a HALF_OPEN circuit is below its success threshold');
  }
  return problems;
}

export function isValidCircuit(item: CircuitItem): boolean {
  return circuitViolations(item).length === 0;
}

/** The item without its informational fields, for comparing the ASL's writes with the model. */
export function comparableCircuit(item: CircuitItem): Omit<CircuitItem, 'changedBy' | 'updatedAt'> {
  const { changedBy: _by, updatedAt: _at, ...rest } = item;
  return rest;
}
