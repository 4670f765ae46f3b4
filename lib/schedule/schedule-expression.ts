/**
 * EventBridge rule schedules: `rate(value unit)` and the six-field `cron(minutes hours day-of-month month
 * day-of-week year)`, always in UTC, and the next time a schedule fires.
 */
import { InvalidScheduleExpressionError } from './errors';

export type RateUnit = 'minute' | 'hour' | 'day';

export type DayOfMonthSpec =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'values';
      readonly days: ReadonlySet<number>;
      /** `L`: the last day of the month. */
      readonly last: boolean;
      /** `LW`: the last weekday (Mon-Fri) of the month. */
      readonly lastWeekday: boolean;
      /** `15W`: the weekday nearest the 15th, within the month. */
      readonly nearestWeekday: readonly number[];
    };

export type DayOfWeekSpec =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'values';
      /** 1 = Sunday ... 7 = Saturday, as in EventBridge. */
      readonly days: ReadonlySet<number>;
      /** `6L`: the last Friday of the month. */
      readonly lastOfMonth: readonly number[];
      /** `3#2`: the second Tuesday of the month. */
      readonly nth: readonly { readonly day: number; readonly n: number }[];
    };

export type ScheduleExpression =
  | {
      readonly kind: 'rate';
      readonly expression: string;
      readonly value: number;
      readonly unit: RateUnit;
      readonly periodMs: number;
    }
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly minutes: readonly number[];
      readonly hours: readonly number[];
      readonly daysOfMonth: DayOfMonthSpec;
      readonly months: ReadonlySet<number>;
      readonly daysOfWeek: DayOfWeekSpec;
      readonly years: ReadonlySet<number>;
    };

const MINUTE_MS = 60_000;
const UNIT_MS: Record<RateUnit, number> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 24 * 60 * MINUTE_MS };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
const CRON_FIX = 'Write cron(minutes hours day-of-month month day-of-week year), e.g. cron(0/15 * * * ? *), UTC';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  year: { name: 'year', min: MIN_YEAR, max: MAX_YEAR },
} satisfies Record<string, FieldSpec>;

/** Parses a rule's ScheduleExpression; throws InvalidScheduleExpressionError where PutRule would reject it. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  if (typeof expression !== 'string') {
    throw new InvalidScheduleExpressionError(String(expression), 'not a string', 'Pass e.g. "rate(15 minutes)"');
  }
  const text = expression.trim();
  const call = /^(rate|cron|at)\((.*)\)$/s.exec(text);
  if (call === null) {
    throw new InvalidScheduleExpressionError(
      expression,
      'is neither rate(...) nor cron(...)',
      'Write rate(15 minutes), rate(1 hour) or cron(0/15 * * * ? *)',
    );
  }
  const [, kind, body] = call;
  if (kind === 'at') {
    throw new InvalidScheduleExpressionError(
      expression,
      'at(...) is an EventBridge Scheduler expression, not a rule schedule',
      'For a one-off run use a cron with a fixed year, e.g. cron(30 9 15 6 ? 2026)',
    );
  }
  return kind === 'rate' ? parseRate(expression, body) : parseCron(expression, body);
}

/**
 * The first time after `afterEpochMs` the schedule fires. A rate fires one period after the given time (pass
 * the previous fire time to keep a steady cadence); a cron fires on the first matching whole UTC minute
 * strictly after it. `Number.POSITIVE_INFINITY` when a cron never fires again (its years are past).
 */
export function nextFireTime(expression: string | ScheduleExpression, afterEpochMs: number): number {
  const schedule = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  if (schedule.kind === 'rate') return afterEpochMs + schedule.periodMs;

  const start = new Date(Math.floor(afterEpochMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const startYear = start.getUTCFullYear();
  const startMonth = start.getUTCMonth() + 1;
  const startDay = start.getUTCDate();
  const startHour = start.getUTCHours();
  const startMinute = start.getUTCMinutes();
  for (let year = Math.max(startYear, MIN_YEAR); year <= MAX_YEAR; year++) {
    if (!schedule.years.has(year)) continue;
    for (let month = year === startYear ? startMonth : 1; month <= 12; month++) {
      if (!schedule.months.has(month)) continue;
      const firstMonth = year === startYear && month === startMonth;
      for (let day = firstMonth ? startDay : 1; day <= daysInMonth(year, month); day++) {
        if (!dayMatches(schedule.daysOfMonth, schedule.daysOfWeek, year, month, day)) continue;
        const firstDay = firstMonth && day === startDay;
        for (const hour of schedule.hours) {
          if (firstDay && hour < startHour) continue;
          for (const minute of schedule.minutes) {
            if (firstDay && hour === startHour && minute < startMinute) continue;
            return Date.UTC(year, month - 1, day, hour, minute);
          }
        }
      }
    }
  }
  return Number.POSITIVE_INFINITY;
}

function parseRate(expression: string, body: string): ScheduleExpression {
  const match = /^\s*(\d+)\s+([a-z]+)\s*$/.exec(body);
  const fix = 'Write rate(1 minute), rate(5 minutes), rate(1 hour), rate(12 hours), rate(1 day) or rate(7 days)';
  if (match === null) {
    throw new InvalidScheduleExpressionError(expression, 'rate needs a whole number and a unit', fix);
  }
  const value = Number(match[1]);
  const written = match[2];
  const unit = written.replace(/s$/, '') as RateUnit;
  if (!(unit in UNIT_MS)) {
    throw new InvalidScheduleExpressionError(expression, `unknown rate unit "${written}"`, fix);
  }
  if (value < 1) {
    throw new InvalidScheduleExpressionError(expression, 'rate value must be at least 1', fix);
  }
  const plural = written.endsWith('s');
  if (value === 1 && plural) {
    throw new InvalidScheduleExpressionError(
      expression,
      `a value of 1 takes the singular unit`,
      `Write rate(1 ${unit})`,
    );
  }
  if (value > 1 && !plural) {
    throw new InvalidScheduleExpressionError(
      expression,
      `a value above 1 takes the plural unit`,
      `Write rate(${value} ${unit}s)`,
    );
  }
  return { kind: 'rate', expression, value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseCron(expression: string, body: string): ScheduleExpression {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new InvalidScheduleExpressionError(
      expression,
      `cron needs 6 fields, got ${parts.length}`,
      `${CRON_FIX} (EventBridge has no seconds field and requires the year)`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts;
  const domAny = dayOfMonth === '?';
  const dowAny = dayOfWeek === '?';
  if (domAny === dowAny) {
    throw new InvalidScheduleExpressionError(
      expression,
      domAny ? 'day-of-month and day-of-week are both ?' : 'day-of-month and day-of-week are both set',
      'Use ? in exactly one of them, e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *)',
    );
  }
  return {
    kind: 'cron',
    expression,
    minutes: [...parseField(expression, minutes, FIELDS.minutes)].sort((a, b) => a - b),
    hours: [...parseField(expression, hours, FIELDS.hours)].sort((a, b) => a - b),
    daysOfMonth: domAny ? { kind: 'any' } : parseDayOfMonth(expression, dayOfMonth),
    months: parseField(expression, month, FIELDS.month),
    daysOfWeek: dowAny ? { kind: 'any' } : parseDayOfWeek(expression, dayOfWeek),
    years: parseField(expression, year, FIELDS.year),
  };
}

function parseDayOfMonth(expression: string, field: string): DayOfMonthSpec {
  const days = new Set<number>();
  const nearestWeekday: number[] = [];
  let last = false;
  let lastWeekday = false;
  for (const item of field.split(',')) {
    const upper = item.toUpperCase();
    if (upper === 'L') last = true;
    else if (upper === 'LW') lastWeekday = true;
    else if (/^\d+W$/.test(upper)) nearestWeekday.push(parseNumber(expression, upper.slice(0, -1), FIELDS.dayOfMonth));
    else for (const day of parseField(expression, item, FIELDS.dayOfMonth)) days.add(day);
  }
  return { kind: 'values', days, last, lastWeekday, nearestWeekday };
}

function parseDayOfWeek(expression: string, field: string): DayOfWeekSpec {
  const days = new Set<number>();
  const lastOfMonth: number[] = [];
  const nth: { day: number; n: number }[] = [];
  for (const item of field.split(',')) {
    const upper = item.toUpperCase();
    if (upper === 'L') {
      days.add(7);
    } else if (/^\w+L$/.test(upper)) {
      lastOfMonth.push(parseNumber(expression, upper.slice(0, -1), FIELDS.dayOfWeek));
    } else if (upper.includes('#')) {
      const [day, n] = upper.split('#');
      const occurrence = Number(n);
      if (!/^[1-5]$/.test(n ?? '')) {
        throw new InvalidScheduleExpressionError(
          expression,
          `day-of-week "${item}" needs an occurrence 1-5 after #`,
          'Write e.g. 3#2 for the second Tuesday of the month',
        );
      }
      nth.push({ day: parseNumber(expression, day, FIELDS.dayOfWeek), n: occurrence });
    } else {
      for (const day of parseField(expression, item, FIELDS.dayOfWeek)) days.add(day);
    }
  }
  return { kind: 'values', days, lastOfMonth, nth };
}

/** `*`, `a`, `a-b`, with an optional `/step`, comma-separated. */
function parseField(expression: string, field: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || (stepText !== undefined && !/^\d+$/.test(stepText)) || stepText === '0') {
      throw new InvalidScheduleExpressionError(
        expression,
        `${spec.name} "${item}" has an invalid /step`,
        `${CRON_FIX}; a step is a positive whole number, as in 0/15`,
      );
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [low, high] = range.split('-');
      from = parseNumber(expression, low, spec);
      to = parseNumber(expression, high, spec);
      if (from > to) {
        throw new InvalidScheduleExpressionError(
          expression,
          `${spec.name} range "${range}" runs backwards`,
          'Write the smaller value first, or list the values with commas',
        );
      }
    } else {
      from = parseNumber(expression, range, spec);
      to = stepText === undefined ? from : spec.max;
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function parseNumber(expression: string, text: string | undefined, spec: FieldSpec): number {
  const upper = (text ?? '').toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(upper) ? Number(upper) : Number.NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
    throw new InvalidScheduleExpressionError(
      expression,
      `${spec.name} value "${text ?? ''}" is not in ${spec.min}-${spec.max}${names}`,
      CRON_FIX,
    );
  }
  return value;
}

function dayMatches(dom: DayOfMonthSpec, dow: DayOfWeekSpec, year: number, month: number, day: number): boolean {
  const length = daysInMonth(year, month);
  if (dom.kind === 'values') {
    return (
      dom.days.has(day) ||
      (dom.last && day === length) ||
      (dom.lastWeekday && day === nearestWeekday(year, month, length)) ||
      dom.nearestWeekday.some((target) => target <= length && day === nearestWeekday(year, month, target))
    );
  }
  if (dow.kind === 'values') {
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
    return (
      dow.days.has(weekday) ||
      dow.lastOfMonth.some((target) => target === weekday && day + 7 > length) ||
      dow.nth.some(({ day: target, n }) => target === weekday && Math.ceil(day / 7) === n)
    );
  }
  return true;
}

/** The Monday-Friday day nearest `target` without leaving the month (Quartz `W` semantics). */
function nearestWeekday(year: number, month: number, target: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  const length = daysInMonth(year, month);
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === length ? target - 2 : target + 1;
  return target;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
