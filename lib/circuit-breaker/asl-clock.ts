/**
 * A clock in pure JSONPath ASL: two Pass states turn `$$.State.EnteredTime` ("2026-01-01T00:00:05.123Z")
 * into whole epoch seconds. ASL has `States.MathAdd` but no multiplication and no date arithmetic, so the
 * calendar is looked up in small tables (seconds at the start of each year, month, day, hour and minute).
 * With a number for "now", every deadline becomes `:now + attribute` inside a DynamoDB update expression.
 */

/** First and last year the tables cover. Outside them the clock fails with States.Runtime (see fail policy). */
export const CLOCK_FIRST_YEAR = 2024;
export const CLOCK_LAST_YEAR = 2099;

const DAY = 86_400;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The lookup tables, computed here so the ASL carries data, not cleverness. */
export function clockTables() {
  const years: number[] = [];
  const leap: number[] = [];
  for (let year = CLOCK_FIRST_YEAR; year <= CLOCK_LAST_YEAR; year++) {
    years.push(Date.UTC(year, 0, 1) / 1000);
    leap.push(isLeapYear(year) ? 1 : 0);
  }
  const monthStarts = (leapYear: boolean) => {
    const lengths = [31, leapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const starts = [0];
    for (const length of lengths.slice(0, 11)) starts.push(starts[starts.length - 1]! + length * DAY);
    return starts;
  };
  return {
    yearStart: years,
    leapYear: leap,
    monthStart: [monthStarts(false), monthStarts(true)],
    dayStart: Array.from({ length: 31 }, (_, day) => day * DAY),
    hourStart: Array.from({ length: 24 }, (_, hour) => hour * 3600),
    minuteStart: Array.from({ length: 60 }, (_, minute) => minute * 60),
  };
}

// "08" is not JSON, "108" is: prefix a 1, parse, subtract 100 (or 101 to get a zero-based index).
const twoDigits = (text: string, offset: number) =>
  `States.MathAdd(States.StringToJson(States.Format('1{}', ${text})), ${offset})`;
const T = '$$.State.EnteredTime';
const part = (splitOn: string, index: number, of = T) =>
  `States.ArrayGetItem(States.StringSplit(${of}, '${splitOn}'), ${index})`;

export interface ClockStatesOptions {
  /** Name of the Pass that splits the timestamp, e.g. "Read the clock for the RDS API circuit". */
  readonly readName: string;
  /** Name of the Pass that adds the table entries up. */
  readonly convertName: string;
  /** Where the clock lands, e.g. `$.rdsApiCircuit.clock`; `now` is at `<path>.now`. */
  readonly resultPath: string;
  /** Extra numbers computed next to `now`, e.g. `{ "openUntil.$": "States.StringToJson($.x.N)" }`. */
  readonly extraFields?: Readonly<Record<string, string>>;
  readonly next: string;
  readonly comment: string;
}

/**
 * The two Pass states. Single-character separators only: AWS splits on each character of the separator,
 * the local engine on the whole string, and both agree on one character. Nesting stays within AWS's 10.
 */
export function clockStates(options: ClockStatesOptions): Record<string, Record<string, unknown>> {
  const time = part(':', 0); // "2026-01-01T00"
  const seconds = part('.', 0, part('Z', 0, part(':', 2))); // "05.123Z" -> "05" (also without millis)
  const c = options.resultPath;
  const sum = (a: string, b: string) => `States.MathAdd(${a}, ${b})`;
  const now = sum(
    sum(
      sum(
        `States.ArrayGetItem(${c}.tables.yearStart, ${c}.yearIndex)`,
        `States.ArrayGetItem(States.ArrayGetItem(${c}.tables.monthStart, States.ArrayGetItem(${c}.tables.leapYear, ${c}.yearIndex)), ${c}.monthIndex)`,
      ),
      `States.ArrayGetItem(${c}.tables.dayStart, ${c}.dayIndex)`,
    ),
    sum(
      sum(
        `States.ArrayGetItem(${c}.tables.hourStart, ${c}.hour)`,
        `States.ArrayGetItem(${c}.tables.minuteStart, ${c}.minute)`,
      ),
      `${c}.second`,
    ),
  );
  return {
    [options.readName]: {
      Type: 'Pass',
      Comment: options.comment,
      Parameters: {
        'yearIndex.$': `States.MathAdd(States.StringToJson(${part('-', 0)}), -${CLOCK_FIRST_YEAR})`,
        'monthIndex.$': twoDigits(part('-', 1), -101),
        'dayIndex.$': twoDigits(part('T', 0, part('-', 2)), -101),
        'hour.$': twoDigits(part('T', 1, time), -100),
        'minute.$': twoDigits(part(':', 1), -100),
        'second.$': twoDigits(seconds, -100),
        tables: clockTables(),
      },
      ResultPath: c,
      Next: options.convertName,
    },
    [options.convertName]: {
      Type: 'Pass',
      Comment: options.comment,
      Parameters: { 'now.$': now, ...(options.extraFields ?? {}) },
      ResultPath: c,
      Next: options.next,
    },
  };
}
