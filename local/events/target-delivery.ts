/**
 * Delivery of one event to a rule's targets: the target's input, attempts up to `maxAttempts` back to back,
 * extra copies when a fault plan asks for them (EventBridge delivers at least once), and the dead letter of
 * an event every attempt failed for, as the target's DLQ would hold it.
 */
import type { Clock } from '../clock';
import { transformTargetInput } from './input-transformer';
import type {
  DeadLetter,
  DeliveryRecord,
  EventBridgeEvent,
  RuleSpec,
  RuleTargetSpec,
  TargetDelivery,
  TargetInvocationResult,
} from './types';

export interface TargetDeliveryOptions {
  readonly clock: Clock;
  /** Calls the target (starts an execution, runs a handler...); a rejection counts as a failed attempt. */
  readonly invokeTarget: (delivery: TargetDelivery) => Promise<TargetInvocationResult>;
  /** Told about every event that exhausted its attempts, as a DLQ consumer would be. */
  readonly onDeliveryFailure?: (deadLetter: DeadLetter) => void;
  /** How many extra copies of a delivery to make (at-least-once delivery, from a fault plan). */
  readonly extraCopies: (delivery: TargetDelivery) => number;
}

export class TargetDeliverer {
  /** Events whose delivery failed every attempt, oldest first. */
  readonly deadLetters: DeadLetter[] = [];

  constructor(private readonly options: TargetDeliveryOptions) {}

  /** Targets of one rule in order, one after another, so local runs are deterministic. */
  async deliverToTargets(rule: RuleSpec, event: EventBridgeEvent, ingestionTime: string): Promise<DeliveryRecord[]> {
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
      const copies = 1 + Math.max(0, Math.floor(this.options.extraCopies(first)));
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
        const result = await this.options.invokeTarget({ rule, target, input, event, attempt });
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
      failedAt: this.options.clock.now(),
    };
    this.deadLetters.push(deadLetter);
    this.options.onDeliveryFailure?.(deadLetter);
    return { eventId: event.id, ruleName: rule.name, targetId: target.id, input, attempts, error: { name, message } };
  }
}
