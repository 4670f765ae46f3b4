/**
 * Clock timers for scheduled rules: each enabled rule with a schedule is armed for its next fire time, and
 * re-armed from the planned time (not from when the timer ran), so a rate keeps its cadence on a late clock.
 */
import { nextFireTime } from '../../lib/schedule/schedule-expression';
import type { CancelTimer, Clock } from '../clock';
import type { RuleRegistry, StoredRule } from './rule-registry';

export class RuleSchedules {
  private readonly timers = new Map<string, CancelTimer>();
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly rules: RuleRegistry,
    /** Fires one rule now (delivers its Scheduled Event). */
    private readonly fire: (rule: StoredRule) => void,
  ) {}

  /** Arms every scheduled rule, and from now on each one added, until `stop`. */
  start(): void {
    this.running = true;
    const now = this.clock.now();
    for (const rule of this.rules.all()) this.arm(rule.key, now);
  }

  stop(): void {
    this.running = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** A rule was added or replaced: (re)arm it if schedules run. */
  changed(rule: StoredRule): void {
    if (this.running) this.arm(rule.key, this.clock.now());
  }

  /** (Re)arms the timer of one rule for its first fire time after `afterMs`, if schedules run and it is enabled. */
  private arm(key: string, afterMs: number): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
    const stored = this.rules.byKey(key);
    if (!this.running || stored?.schedule === undefined || stored.spec.state !== 'ENABLED') return;
    const due = nextFireTime(stored.schedule, afterMs);
    if (!Number.isFinite(due)) return;
    const cancel = this.clock.setTimer(due - this.clock.now(), () => {
      this.timers.delete(key);
      const current = this.rules.byKey(key);
      if (current !== undefined) this.fire(current);
      this.arm(key, due);
    });
    this.timers.set(key, cancel);
  }
}
