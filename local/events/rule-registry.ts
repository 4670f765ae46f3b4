/**
 * The bus's rules, checked as PutRule and PutTargets would check them (name, state, pattern or schedule,
 * targets and their input) and kept by bus and name: adding a rule again replaces it, as PutRule does.
 */
import { parseScheduleExpression, type ScheduleExpression } from '../../lib/schedule/schedule-expression';
import {
  InvalidEventPatternError,
  InvalidInputTransformerError,
  InvalidRuleError,
  InvalidScheduleExpressionError,
} from './errors';
import { DEFAULT_EVENT_BUS } from './event-envelope';
import { type EventPattern, parseEventPattern } from './event-pattern';
import { validateRuleTargetInput } from './input-transformer';
import type { RuleSpec } from './types';

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const MAX_TARGETS_PER_RULE = 5;

export interface ListRulesFilter {
  readonly eventBusName?: string;
  readonly namePrefix?: string;
}

/** A rule as added, with its pattern or schedule parsed once. */
export interface StoredRule {
  readonly key: string;
  readonly spec: RuleSpec;
  readonly pattern?: EventPattern;
  readonly schedule?: ScheduleExpression;
}

export class RuleRegistry {
  private readonly rules = new Map<string, StoredRule>();

  /** Checks the rule as PutRule/PutTargets would, then adds or replaces it. */
  add(rule: RuleSpec): StoredRule {
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
    const pattern = rule.eventPattern === undefined ? undefined : parseRulePattern(rule.eventPattern, context);
    const schedule = rule.scheduleExpression === undefined ? undefined : parseRuleSchedule(rule, context);
    validateTargets(rule, context);

    const stored: StoredRule = { key: ruleKey(rule.eventBusName, rule.name), spec: rule, pattern, schedule };
    this.rules.set(stored.key, stored);
    return stored;
  }

  get(eventBusName: string, ruleName: string): StoredRule | undefined {
    return this.rules.get(ruleKey(eventBusName, ruleName));
  }

  byKey(key: string): StoredRule | undefined {
    return this.rules.get(key);
  }

  /** Every rule, in the order they were first added. */
  all(): StoredRule[] {
    return [...this.rules.values()];
  }

  /** Rules on one bus and with a name prefix, in the order they were first added (ListRules). */
  list(filter: ListRulesFilter = {}): RuleSpec[] {
    return this.all()
      .map((stored) => stored.spec)
      .filter((spec) => filter.eventBusName === undefined || spec.eventBusName === filter.eventBusName)
      .filter((spec) => filter.namePrefix === undefined || spec.name.startsWith(filter.namePrefix));
  }
}

function ruleKey(eventBusName: string, ruleName: string): string {
  return `${eventBusName}\u0000${ruleName}`;
}

function parseRulePattern(eventPattern: unknown, context: string): EventPattern {
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

function parseRuleSchedule(rule: RuleSpec, context: string): ScheduleExpression {
  let schedule: ScheduleExpression;
  try {
    schedule = parseScheduleExpression(rule.scheduleExpression as string);
  } catch (error) {
    if (!(error instanceof InvalidScheduleExpressionError)) throw error;
    throw new InvalidScheduleExpressionError(error.expression, error.problem, error.fix, { context, cause: error });
  }
  if (rule.eventBusName !== DEFAULT_EVENT_BUS) {
    throw new InvalidScheduleExpressionError(
      rule.scheduleExpression as string,
      `scheduled rules are only supported on the default event bus, not "${rule.eventBusName}"`,
      'Put the scheduled rule on the default bus',
      { context },
    );
  }
  return schedule;
}

function validateTargets(rule: RuleSpec, context: string): void {
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
