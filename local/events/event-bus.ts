/**
 * The local EventBridge bus: rules with event patterns or schedules, PutEvents, input transformation, target
 * invocation with retries and a dead-letter list. Time comes only from the runtime Clock, so schedules fire
 * as a VirtualClock advances.
 */
import { randomUUID } from 'node:crypto';
import type { CancelTimer, Clock } from '../clock';
import {
  InvalidEventPatternError,
  InvalidInputTransformerError,
  InvalidRuleError,
  InvalidScheduleExpressionError,
  RuleNotFoundError,
} from './errors';
import { type EventPattern, isPlainObject, matchesEventPattern, parseEventPattern } from './event-pattern';
import { transformTargetInput, validateRuleTargetInput } from './input-transformer';
import { nextFireTime, parseScheduleExpression, type ScheduleExpression } from './schedule-expression';
import type {
  DeadLetter,
  DeliveryRecord,
  EventBridgeEvent,
  PutEventsEntry,
  PutEventsResult,
  PutEventsResultEntry,
  RuleSpec,
  RuleTargetSpec,
  TargetDelivery,
  TargetInvocationResult,
} from './types';

export const DEFAULT_EVENT_BUS = 'default';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS_PER_RULE = 5;

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

export interface ListRulesFilter {
  readonly eventBusName?: string;
  readonly namePrefix?: string;
}

export interface ScheduledFireResult {
  readonly event: EventBridgeEvent;
  readonly deliveries: readonly DeliveryRecord[];
}

interface StoredRule {
  readonly spec: RuleSpec;
  readonly pattern?: EventPattern;
  readonly schedule?: ScheduleExpression;
}

export class LocalEventBus {
  /** Events whose delivery failed every attempt, oldest first, as the targets' DLQs would hold them. */
  readonly deadLetters: DeadLetter[] = [];
  readonly account: string;
  readonly region: string;
  private readonly clock: Clock;
  private readonly invokeTarget: LocalEventBusOptions['invokeTarget'];
  private readonly onDeliveryFailure?: LocalEventBusOptions['onDeliveryFailure'];
  private readonly newEventId: () => string;
  private readonly extraCopies: (delivery: TargetDelivery) => number;
  private readonly rules = new Map<string, StoredRule>();
  private readonly timers = new Map<string, CancelTimer>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private schedulesRunning = false;

  constructor(options: LocalEventBusOptions) {
    this.clock = options.clock;
    this.invokeTarget = options.invokeTarget;
    this.onDeliveryFailure = options.onDeliveryFailure;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
    this.newEventId = options.newEventId ?? randomUUID;
    this.extraCopies = options.extraCopies ?? (() => 0);
  }

  /** Adds or replaces (same bus and name, as PutRule does) a rule, validating it as PutRule/PutTargets would. */
  addRule(rule: RuleSpec): void {
    const context = `Rule "${rule.name}"`;
    if (typeof rule.name !== 'string' || !RULE_NAME.test(rule.name)) {
      throw new InvalidRuleError(String(rule.name), 'name must be 1-64 of A-Z a-z 0-9 . - _', 'Rename the rule');
    }
    if (rule.state !== 'ENABLED' && rule.state !== 'DISABLED') {
      throw new InvalidRuleError(
        rule.name,
        `state ${JSON.stringify(rule.state)} is unknown`,
        'Use ENABLED or DISABLED',
      );
    }
    if (rule.eventPattern === undefined && rule.scheduleExpression === undefined) {
      throw new InvalidRuleError(rule.name, 'has neither an event pattern nor a schedule expression', 'Give it one');
    }
    const pattern = rule.eventPattern === undefined ? undefined : this.parseRulePattern(rule.eventPattern, context);
    let schedule: ScheduleExpression | undefined;
    if (rule.scheduleExpression !== undefined) {
      try {
        schedule = parseScheduleExpression(rule.scheduleExpression);
      } catch (error) {
        if (!(error instanceof InvalidScheduleExpressionError)) throw error;
        throw new InvalidScheduleExpressionError(error.expression, error.problem, error.fix, { context, cause: error });
      }
      if (rule.eventBusName !== DEFAULT_EVENT_BUS) {
        throw new InvalidScheduleExpressionError(
          rule.scheduleExpression,
          `scheduled rules are only supported on the default event bus, not "${rule.eventBusName}"`,
          'Put the scheduled rule on the default bus',
          { context },
        );
      }
    }
    this.validateTargets(rule, context);

    const key = ruleKey(rule.eventBusName, rule.name);
    this.rules.set(key, { spec: rule, pattern, schedule });
    if (this.schedulesRunning) this.arm(key, this.clock.now());
  }

  /** Rules in the order they were first added, optionally on one bus and with a name prefix (ListRules). */
  listRules(filter: ListRulesFilter = {}): RuleSpec[] {
    return [...this.rules.values()]
      .map((stored) => stored.spec)
      .filter((spec) => filter.eventBusName === undefined || spec.eventBusName === filter.eventBusName)
      .filter((spec) => filter.namePrefix === undefined || spec.name.startsWith(filter.namePrefix));
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
    const stored = this.rules.get(ruleKey(eventBusName, ruleName));
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
    this.schedulesRunning = true;
    const now = this.clock.now();
    for (const key of this.rules.keys()) this.arm(key, now);
  }

  stopSchedules(): void {
    this.schedulesRunning = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Resolves when every delivery started so far (including ones started by schedule timers) has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  // -------------------------------------------------------------------------------------------------------

  private parseRulePattern(eventPattern: unknown, context: string): EventPattern {
    try {
      const pattern = parseEventPattern(eventPattern);
      if (pattern.fields.length === 0 && pattern.or === undefined) {
        throw new InvalidEventPatternError(
          '',
          'an empty pattern {} is not allowed on a rule',
          'Match on at least one field, e.g. {"source":["rds-ops.app"]}; to match every event use {"source":[{"prefix":""}]}',
        );
      }
      return pattern;
    } catch (error) {
      if (!(error instanceof InvalidEventPatternError)) throw error;
      throw new InvalidEventPatternError(error.path, error.problem, error.fix, { context, cause: error });
    }
  }

  private validateTargets(rule: RuleSpec, context: string): void {
    if (rule.targets.length > MAX_TARGETS_PER_RULE) {
      throw new InvalidRuleError(
        rule.name,
        `has ${rule.targets.length} targets`,
        `Keep to ${MAX_TARGETS_PER_RULE} targets per rule, or fan out through another rule`,
      );
    }
    const ids = new Set<string>();
    for (const target of rule.targets) {
      if (ids.has(target.id)) {
        throw new InvalidRuleError(rule.name, `has two targets with id "${target.id}"`, 'Give every target its own id');
      }
      ids.add(target.id);
      const attempts = target.maxAttempts ?? 1;
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new InvalidRuleError(
          rule.name,
          `target "${target.id}" has maxAttempts ${attempts}`,
          'Use a whole number of attempts, at least 1',
        );
      }
      try {
        validateRuleTargetInput(target);
      } catch (error) {
        if (!(error instanceof InvalidInputTransformerError)) throw error;
        throw new InvalidInputTransformerError(error.path, error.problem, error.fix, {
          context: `${context}, target "${target.id}"`,
          cause: error,
        });
      }
    }
  }

  private async putEventsNow(entries: readonly PutEventsEntry[]): Promise<PutEventsResult> {
    const results: PutEventsResultEntry[] = [];
    const deliveries: DeliveryRecord[] = [];
    const ingestionTime = isoSeconds(this.clock.now());
    for (const entry of entries) {
      const built = this.buildEvent(entry);
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
    for (const { spec, pattern } of this.rules.values()) {
      if (spec.eventBusName !== busName || spec.state !== 'ENABLED' || pattern === undefined) continue;
      if (!matchesEventPattern(pattern, event)) continue;
      deliveries.push(...(await this.deliverToTargets(spec, event, ingestionTime)));
    }
    return deliveries;
  }

  private buildEvent(
    entry: PutEventsEntry,
  ): { readonly event: EventBridgeEvent; readonly busName: string } | PutEventsResultEntry {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      const value = entry[field];
      if (typeof value !== 'string' || value.length === 0) {
        return {
          errorCode: 'InvalidArgument',
          errorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      detail = undefined;
    }
    if (!isPlainObject(detail)) {
      return {
        errorCode: 'MalformedDetail',
        errorMessage: 'Detail is malformed: it must be the JSON text of an object.',
      };
    }
    const time = entry.Time === undefined ? this.clock.now() : new Date(entry.Time).getTime();
    if (!Number.isFinite(time)) {
      return { errorCode: 'InvalidArgument', errorMessage: `Parameter Time is not valid: ${String(entry.Time)}.` };
    }
    return {
      busName: busNameOf(entry.EventBusName),
      event: {
        version: '0',
        id: this.newEventId(),
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: this.account,
        time: isoSeconds(time),
        region: this.region,
        resources: [...(entry.Resources ?? [])],
        detail,
      },
    };
  }

  private async fire(stored: StoredRule): Promise<ScheduledFireResult> {
    const now = this.clock.now();
    const event: EventBridgeEvent = {
      version: '0',
      id: this.newEventId(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.account,
      time: isoSeconds(now),
      region: this.region,
      resources: [stored.spec.arn],
      detail: {},
    };
    if (stored.spec.state !== 'ENABLED') return { event, deliveries: [] };
    return { event, deliveries: await this.deliverToTargets(stored.spec, event, isoSeconds(now)) };
  }

  /** Targets of one rule in order, one after another, so local runs are deterministic. */
  private async deliverToTargets(
    rule: RuleSpec,
    event: EventBridgeEvent,
    ingestionTime: string,
  ): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    for (const target of rule.targets) {
      let input: unknown;
      try {
        input = transformTargetInput(target, event, rule, { ingestionTime });
      } catch (error) {
        records.push(this.deadLetter(rule, target, event, undefined, error, 0));
        continue;
      }
      const first: TargetDelivery = { rule, target, input, event, attempt: 1 };
      const copies = 1 + Math.max(0, Math.floor(this.extraCopies(first)));
      for (let copy = 0; copy < copies; copy++) records.push(await this.deliver(rule, target, event, input));
    }
    return records;
  }

  private async deliver(
    rule: RuleSpec,
    target: RuleTargetSpec,
    event: EventBridgeEvent,
    input: unknown,
  ): Promise<DeliveryRecord> {
    const maxAttempts = target.maxAttempts ?? 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const result = await this.invokeTarget({ rule, target, input, event, attempt });
        return {
          eventId: event.id,
          ruleName: rule.name,
          targetId: target.id,
          input,
          attempts: attempt,
          ...(result?.executionArn === undefined ? {} : { executionArn: result.executionArn }),
          ...(result?.detail === undefined ? {} : { detail: result.detail }),
        };
      } catch (error) {
        lastError = error;
      }
    }
    return this.deadLetter(rule, target, event, input, lastError, maxAttempts);
  }

  private deadLetter(
    rule: RuleSpec,
    target: RuleTargetSpec,
    event: EventBridgeEvent,
    input: unknown,
    error: unknown,
    attempts: number,
  ): DeliveryRecord {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const deadLetter: DeadLetter = {
      event,
      input,
      ruleName: rule.name,
      ruleArn: rule.arn,
      targetId: target.id,
      targetArn: target.arn,
      ...(target.deadLetterArn === undefined ? {} : { deadLetterArn: target.deadLetterArn }),
      errorCode: name,
      errorMessage: message,
      attempts,
      failedAt: this.clock.now(),
    };
    this.deadLetters.push(deadLetter);
    this.onDeliveryFailure?.(deadLetter);
    return { eventId: event.id, ruleName: rule.name, targetId: target.id, input, attempts, error: { name, message } };
  }

  /** (Re)arms the timer of one rule for its first fire time after `afterMs`, if schedules run and it is enabled. */
  private arm(key: string, afterMs: number): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
    const stored = this.rules.get(key);
    if (!this.schedulesRunning || stored?.schedule === undefined || stored.spec.state !== 'ENABLED') return;
    const due = nextFireTime(stored.schedule, afterMs);
    if (!Number.isFinite(due)) return;
    const cancel = this.clock.setTimer(due - this.clock.now(), () => {
      this.timers.delete(key);
      const current = this.rules.get(key);
      if (current !== undefined) void this.track(this.fire(current));
      // From the planned time, not now, so a rate keeps its cadence on a clock that runs late.
      this.arm(key, due);
    });
    this.timers.set(key, cancel);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = this.clock.track(work);
    this.inFlight.add(tracked);
    const forget = () => this.inFlight.delete(tracked);
    tracked.then(forget, forget);
    return tracked;
  }
}

function ruleKey(eventBusName: string, ruleName: string): string {
  return `${eventBusName}\u0000${ruleName}`;
}

/** `EventBusName` may be a name or an ARN (`arn:aws:events:region:account:event-bus/name`). */
function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_EVENT_BUS;
  const arnName = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn)?.[1];
  return arnName ?? nameOrArn;
}

/** EventBridge writes event times to the second: 2015-11-11T21:29:54Z. */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
