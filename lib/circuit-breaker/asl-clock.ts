/**
 * The data of the clock in pure JSONPath ASL (the breaker's "Read the clock" and "Convert the clock" Pass
 * states turn `$$.State.EnteredTime` into whole epoch seconds). ASL has `States.MathAdd` but no
 * multiplication and no date arithmetic, so the calendar is looked up in small tables: seconds at the
 * start of each year, month, day, hour and minute. Tests compare the breaker's tables with these.
 */

/** First and last year the tables cover. Outside them the clock fails with States.Runtime. */
export const CLOCK_FIRST_YEAR = 2024;
export const CLOCK_LAST_YEAR = 2099;

const DAY = 86_400;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The lookup tables the clock Pass carries as data. */
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
