/**
 * The one clock of the local runtime. Wait and Retry delays, `$$` timestamps, Task timeouts, PITR
 * timestamps, TTL and fault windows all read this clock, so a run can be real time, N times faster,
 * or virtual (a discrete-event clock that never sleeps).
 */

export type ClockKind = 'real' | 'scaled' | 'virtual';

/** Cancels a timer that has not fired yet; calling it after the timer fired does nothing. */
export type CancelTimer = () => void;

export interface Clock {
  readonly kind: ClockKind;
  /** Milliseconds since the epoch, on this clock. */
  now(): number;
  /** Calls `callback` once `ms` milliseconds have passed on this clock. */
  setTimer(ms: number, callback: () => void): CancelTimer;
  /** Resolves after `ms` milliseconds on this clock, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Marks `work` as in flight until it settles. A virtual clock only moves time forward when
   * nothing is in flight, so a Task doing real I/O never loses a race against a jumped timer.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimer(Math.max(0, ms), () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Wall-clock time, optionally running `speed` times faster than real time from the moment it is created. */
export class ScaledClock implements Clock {
  readonly kind: ClockKind;
  private readonly origin = Date.now();

  constructor(readonly speed = 1) {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      throw new RangeError(`Clock speed must be a positive number, got ${speed}.`);
    }
    this.kind = speed === 1 ? 'real' : 'scaled';
  }

  now(): number {
    return Math.round(this.origin + (Date.now() - this.origin) * this.speed);
  }

  setTimer(ms: number, callback: () => void): CancelTimer {
    // Node's setTimeout fires at once beyond 2^31-1 ms (about 24.8 days): chain shorter timers instead.
    let handle: NodeJS.Timeout;
    const due = Date.now() + Math.max(0, ms) / this.speed;
    const arm = () => {
      const remaining = due - Date.now();
      handle = setTimeout(
        remaining > MAX_TIMEOUT_MS ? arm : callback,
        Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS),
      );
    };
    arm();
    return () => clearTimeout(handle);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }
}

interface PendingTimer {
  readonly due: number;
  readonly sequence: number;
  readonly callback: () => void;
}

export interface VirtualClockOptions {
  /** Where time starts, in epoch milliseconds. @default 2026-01-01T00:00:00.000Z */
  readonly startAt?: number;
  /**
   * Jump to the next timer whenever nothing is in flight. Turn it off to move time only with `advance`.
   * @default true
   */
  readonly autoAdvance?: boolean;
}

/** How many consecutive quiet turns of the event loop count as idle. */
const QUIET_TURNS_BEFORE_ADVANCING = 3;

/**
 * A discrete-event clock: time stands still while work is in flight and jumps to the next due timer
 * when the runtime is idle, so a 10-minute retry schedule runs in microseconds, deterministically.
 */
export class VirtualClock implements Clock {
  readonly kind: ClockKind = 'virtual';
  private current: number;
  private readonly timers: PendingTimer[] = [];
  private nextSequence = 0;
  private inFlight = 0;
  private activity = 0;
  private idleCheckScheduled = false;
  private readonly autoAdvance: boolean;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.startAt ?? Date.parse('2026-01-01T00:00:00.000Z');
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, callback: () => void): CancelTimer {
    const timer: PendingTimer = { due: this.current + Math.max(0, ms), sequence: this.nextSequence++, callback };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.due - b.due || a.sequence - b.sequence);
    this.noteActivity();
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    this.noteActivity();
    return work.finally(() => {
      this.inFlight--;
      this.noteActivity();
    });
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves time forward to `epochMs` (never backwards), firing due timers in order. */
  advanceTo(epochMs: number): void {
    while (this.timers.length > 0 && this.timers[0].due <= epochMs) {
      const timer = this.timers.shift()!;
      this.current = Math.max(this.current, timer.due);
      timer.callback();
    }
    this.current = Math.max(this.current, epochMs);
  }

  /** Timers waiting to fire, for tests and diagnostics. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  private noteActivity(): void {
    this.activity++;
    if (this.autoAdvance && !this.idleCheckScheduled) {
      this.idleCheckScheduled = true;
      this.checkIdle(this.activity, 0);
    }
  }

  private checkIdle(seenActivity: number, quietTurns: number): void {
    setImmediate(() => {
      if (this.activity !== seenActivity || this.inFlight > 0) {
        if (this.inFlight > 0 || this.timers.length === 0) {
          this.idleCheckScheduled = false;
          return;
        }
        this.checkIdle(this.activity, 0);
        return;
      }
      if (quietTurns + 1 < QUIET_TURNS_BEFORE_ADVANCING) {
        this.checkIdle(seenActivity, quietTurns + 1);
        return;
      }
      this.idleCheckScheduled = false;
      const next = this.timers[0];
      if (next) {
        this.advanceTo(next.due);
        this.noteActivity();
      }
    });
  }
}

export interface ClockOptions {
  /** Run N times faster than real time (1 = real time). Ignored with `virtual`. */
  readonly speed?: number;
  readonly virtual?: boolean;
  readonly startAt?: number;
}

export function createClock(options: ClockOptions = {}): Clock {
  if (options.virtual) return new VirtualClock({ startAt: options.startAt });
  return new ScaledClock(options.speed ?? 1);
}
