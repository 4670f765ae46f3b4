/** The local EventBridge bus: public surface. */
export * from './errors';
export { DEFAULT_EVENT_BUS, type ListRulesFilter, LocalEventBus, type LocalEventBusOptions } from './event-bus';
export { type EventPattern, matchesEventPattern, parseEventPattern, type ValueMatcher } from './event-pattern';
export {
  RESERVED_VARIABLES,
  type RuleReference,
  type TransformOptions,
  transformTargetInput,
  validateRuleTargetInput,
} from './input-transformer';
export { nextFireTime, parseScheduleExpression, type ScheduleExpression } from './schedule-expression';
export type * from './types';
