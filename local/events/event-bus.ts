/**
 * The local EventBridge bus: rules with event patterns or schedules, PutEvents, input transformation, target
 * invocation with retries and a dead-letter list. Time comes only from the runtime Clock, so schedules fire
 * as a VirtualClock advances. Each concern lives in its own module; this class puts them together.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { InvalidRuleError, RuleNotFoundError } from './errors';
import { busNameOf, DEFAULT_EVENT_BUS, eventFromEntry, isoSeconds, scheduledEvent } from './event-envelope';
import { matchesEventPattern, parseEventPattern } from './event-pattern';
import { type ListRulesFilter, RuleRegistry, type StoredRule } from './rule-registry';
import { RuleSchedules } from './rule-schedules';
import { TargetDeliverer } from './target-delivery';
import type {
  DeadLetter,
  DeliveryRecord,
  EventBridgeEvent,
  PutEventsEntry,
  PutEventsResult,
  PutEventsResultEntry,
  RuleSpec,
  TargetDelivery,
  TargetInvocationResult,
} from './types';

export { DEFAULT_EVENT_BUS } from './event-envelope';
export type { ListRulesFilter } from './rule-registry';

export interface LocalEventBusOptions {
  readonly clock: Clock;
  /** Calls the target (starts an execution, runs a handler...); a rejection counts as a failed attempt. */
  readonly invokeTarget: (delivery: TargetDelivery) => Promise<TargetInvocationResult>;
  /** Told about every event that exhausted its attempts, as a DLQ consumer would be. */
  readonly onDeliveryFailure?: (deadLetter: DeadLetter) => void;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Event ids. @default crypto.randomUUID */
  readonly newEventId?: () => string;
  /**
   * EventBridge delivers at least once. Locally every delivery happens exactly once unless this hook (a fault
   * plan) asks for extra copies of it.
   * @default () => 0
   */
  readonly extraCopies?: (delivery: TargetDelivery) => number;
}

export interface ScheduledFireResult {
  readonly event: EventBridgeEvent;
  readonly deliveries: readonly DeliveryRecord[];
}

export class LocalEventBus {
  /** Events whose delivery failed every attempt, oldest first, as the targets' DLQs would hold them. */
  readonly deadLetters: DeadLetter[];
  readonly account: string;
  readonly region: string;
  private readonly clock: Clock;
  private readonly newEventId: () => string;
  private readonly rules = new RuleRegistry();
  private readonly delivery: TargetDeliverer;
  private readonly schedules: RuleSchedules;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: LocalEventBusOptions) {
    this.clock = options.clock;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.newEventId = options.newEventId ?? randomUUID;
    this.delivery = new TargetDeliverer({
      clock: options.clock,
      invokeTarget: options.invokeTarget,
      onDeliveryFailure: options.onDeliveryFailure,
      extraCopies: options.extraCopies ?? (() => 0),
    });
    this.deadLetters = this.delivery.deadLetters;
    this.schedules = new RuleSchedules(options.clock, this.rules, (rule) => void this.track(this.fire(rule)));
  }

  /** Adds or replaces (same bus and name, as PutRule does) a rule, validating it as PutRule/PutTargets would. */
  addRule(rule: RuleSpec): void {
    this.schedules.changed(this.rules.add(rule));
  }

  /** The rule as DescribeRule sees it, or undefined when the bus has no rule of that name. */
  describeRule(ruleName: string, eventBusName = DEFAULT_EVENT_BUS): RuleSpec | undefined {
    return this.rules.get(eventBusName, ruleName)?.spec;
  }

  /** EnableRule / DisableRule: a disabled rule matches no event and its schedule does not fire. */
  setRuleState(ruleName: string, eventBusName: string, state: RuleSpec['state']): void {
    const stored = this.rules.get(eventBusName, ruleName);
    if (stored === undefined) {
      throw new RuleNotFoundError(
        ruleName,
        eventBusName,
        this.listRules({ eventBusName }).map((spec) => spec.name),
      );
    }
    this.addRule({ ...stored.spec, state });
  }

  /** Rules in the order they were first added, optionally on one bus and with a name prefix (ListRules). */
  listRules(filter: ListRulesFilter = {}): RuleSpec[] {
    return this.rules.list(filter);
  }

  /** Like `aws events test-event-pattern`: validates the pattern, then says whether the event matches it. */
  testEventPattern(pattern: unknown, event: unknown): boolean {
    const parsedEvent = typeof event === 'string' ? JSON.parse(event) : event;
    return matchesEventPattern(parseEventPattern(pattern), parsedEvent);
  }

  /**
   * PutEvents: wraps each entry in an event envelope, delivers it to the targets of every enabled rule on its
   * bus whose pattern matches, and resolves once every delivery has succeeded or been dead-lettered.
   */
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResult> {
    return this.track(this.putEventsNow(entries));
  }

  /**
   * Routes events whose envelope was already built (by the EventBridge stand-in behind a Task's
   * `putEvents`), so targets receive the very `id` that PutEvents returned to the caller, as on AWS.
   */
  routeEvents(
    events: readonly { readonly eventBusName: string; readonly event: EventBridgeEvent }[],
  ): Promise<DeliveryRecord[]> {
    const ingestionTime = isoSeconds(this.clock.now());
    return this.track(
      (async () => {
        const deliveries: DeliveryRecord[] = [];
        for (const { eventBusName, event } of events) {
          deliveries.push(...(await this.route(event, busNameOf(eventBusName), ingestionTime)));
        }
        return deliveries;
      })(),
    );
  }

  /**
   * Delivers a "Scheduled Event" to the targets of a scheduled rule now, as its schedule would. A DISABLED rule
   * delivers nothing, as on AWS.
   */
  fireScheduledRule(ruleName: string, eventBusName = DEFAULT_EVENT_BUS): Promise<ScheduledFireResult> {
    const stored = this.rules.get(eventBusName, ruleName);
    if (stored === undefined) {
      const known = this.listRules({ eventBusName }).map((spec) => spec.name);
      throw new RuleNotFoundError(ruleName, eventBusName, known);
    }
    if (stored.schedule === undefined) {
      throw new InvalidRuleError(ruleName, 'has no schedule expression', 'Use putEvents to trigger pattern rules');
    }
    return this.track(this.fire(stored));
  }

  /** Arms a clock timer for every enabled scheduled rule (and any added later) until stopSchedules. */
  startSchedules(): void {
    this.schedules.start();
  }

  stopSchedules(): void {
    this.schedules.stop();
  }

  /** Resolves when every delivery started so far (including ones started by schedule timers) has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async putEventsNow(entries: readonly PutEventsEntry[]): Promise<PutEventsResult> {
    const results: PutEventsResultEntry[] = [];
    const deliveries: DeliveryRecord[] = [];
    const now = this.clock.now();
    const ingestionTime = isoSeconds(now);
    for (const entry of entries) {
      const built = eventFromEntry(entry, {
        account: this.account,
        region: this.region,
        now,
        newEventId: this.newEventId,
      });
      if (!('event' in built)) {
        results.push(built);
        continue;
      }
      results.push({ eventId: built.event.id });
      deliveries.push(...(await this.route(built.event, built.busName, ingestionTime)));
    }
    return {
      entries: results,
      failedEntryCount: results.filter((result) => result.errorCode !== undefined).length,
      deliveries,
    };
  }

  /** Delivers one event to the targets of every enabled rule on its bus whose pattern matches. */
  private async route(event: EventBridgeEvent, busName: string, ingestionTime: string): Promise<DeliveryRecord[]> {
    const deliveries: DeliveryRecord[] = [];
    for (const { spec, pattern } of this.rules.all()) {
      if (spec.eventBusName !== busName || spec.state !== 'ENABLED' || pattern === undefined) continue;
      if (!matchesEventPattern(pattern, event)) continue;
      deliveries.push(...(await this.delivery.deliverToTargets(spec, event, ingestionTime)));
    }
    return deliveries;
  }

  private async fire(stored: StoredRule): Promise<ScheduledFireResult> {
    const now = this.clock.now();
    const event = scheduledEvent(stored.spec, {
      account: this.account,
      region: this.region,
      now,
      newEventId: this.newEventId,
    });
    if (stored.spec.state !== 'ENABLED') return { event, deliveries: [] };
    return { event, deliveries: await this.delivery.deliverToTargets(stored.spec, event, isoSeconds(now)) };
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = this.clock.track(work);
    this.inFlight.add(tracked);
    const forget = () => this.inFlight.delete(tracked);
    tracked.then(forget, forget);
    return tracked;
  }
}
