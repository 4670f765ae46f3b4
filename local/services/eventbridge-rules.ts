/**
 * EventBridge rule operations (`describeRule`, `disableRule`, `enableRule`) on the local bus's rules, as the
 * aws-sdk integration calls them: a disabled rule stops matching events and firing its schedule until enabled.
 */

import type { Clock } from '../clock';
import type { RuleSpec, RuleState } from '../events/types';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams, requireString } from './params';
import { randomUuid, seededRandom } from './seeded-random';

/** What the stand-in needs from the bus: read a rule, and change its state. */
export interface RuleControl {
  get(ruleName: string, eventBusName: string): RuleSpec | undefined;
  setState(ruleName: string, eventBusName: string, state: RuleState): void;
}

export interface EventBridgeRulesStandIn {
  describeRule(params: unknown): Promise<Record<string, unknown>>;
  disableRule(params: unknown): Promise<Record<string, never>>;
  enableRule(params: unknown): Promise<Record<string, never>>;
  readonly calls: readonly RecordedCall[];
}

const RULE_PARAMS = ['Name', 'EventBusName'] as const;

export function createEventBridgeRulesStandIn(options: {
  readonly clock: Clock;
  readonly rules: RuleControl;
}): EventBridgeRulesStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const random = seededRandom('eventbridge-rules');
  const fail = (code: string, message: string) =>
    new ServiceError(code, message, { service: 'eventbridge', requestId: randomUuid(random) });

  const find = (action: string, raw: unknown): RuleSpec => {
    recorder.record(action, raw);
    const params = checkParams(`eventbridge:${action}`, raw, RULE_PARAMS);
    const name = requireString(params, 'Name', fail);
    const bus = busName(params.EventBusName);
    const rule = options.rules.get(name, bus);
    if (!rule) throw fail('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    return rule;
  };

  return {
    async describeRule(raw) {
      const rule = find('describeRule', raw);
      return {
        Name: rule.name,
        Arn: rule.arn,
        ...(rule.eventPattern !== undefined && {
          EventPattern: typeof rule.eventPattern === 'string' ? rule.eventPattern : JSON.stringify(rule.eventPattern),
        }),
        ...(rule.scheduleExpression !== undefined && { ScheduleExpression: rule.scheduleExpression }),
        State: rule.state,
        EventBusName: rule.eventBusName,
      };
    },
    async disableRule(raw) {
      const rule = find('disableRule', raw);
      options.rules.setState(rule.name, rule.eventBusName, 'DISABLED');
      return {};
    },
    async enableRule(raw) {
      const rule = find('enableRule', raw);
      options.rules.setState(rule.name, rule.eventBusName, 'ENABLED');
      return {};
    },
    get calls() {
      return recorder.calls;
    },
  };
}

/** A bus given by name or ARN; `default` when absent. */
function busName(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return 'default';
  return value.includes('/') ? value.slice(value.lastIndexOf('/') + 1) : value;
}
