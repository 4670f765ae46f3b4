/** The schedule parser lives in lib/schedule, shared with config validation at synth; re-exported for the bus. */
export {
  nextFireTime,
  parseScheduleExpression,
  type ScheduleExpression,
} from '../../lib/schedule/schedule-expression';
