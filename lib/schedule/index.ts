/** EventBridge schedule expressions: one parser for config validation at synth and the local bus's timers. */
export * from './errors';
export {
  type DayOfMonthSpec,
  type DayOfWeekSpec,
  nextFireTime,
  parseScheduleExpression,
  type RateUnit,
  type ScheduleExpression,
} from './schedule-expression';
