import { InvalidScheduleExpressionError } from '../../../lib/schedule/errors';
import { nextFireTime, parseScheduleExpression } from '../../../lib/schedule/schedule-expression';

const at = (iso: string) => Date.parse(iso);
const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The next `count` fire times after `fromIso`, as ISO strings. */
function fireTimes(expression: string, fromIso: string, count: number): string[] {
  const times: string[] = [];
  let after = at(fromIso);
  for (let index = 0; index < count; index++) {
    after = nextFireTime(expression, after);
    times.push(iso(after));
  }
  return times;
}

function rejection(expression: string): InvalidScheduleExpressionError {
  try {
    parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to be rejected`);
}

describe('rate expressions', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(15 minutes)', 15 * 60_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(12 hours)', 12 * 3_600_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 7 * 86_400_000],
  ])('%s fires every %i ms', (expression, periodMs) => {
    // Act
    const parsed = parseScheduleExpression(expression);
    const next = nextFireTime(parsed, at('2026-01-01T00:00:30Z'));

    // Assess
    expect(parsed).toMatchObject({ kind: 'rate', periodMs });
    expect(next).toBe(at('2026-01-01T00:00:30Z') + periodMs);
  });

  it.each([
    ['rate(1 minutes)', 'singular unit'],
    ['rate(5 minute)', 'plural unit'],
    ['rate(0 minutes)', 'at least 1'],
    ['rate(5 weeks)', 'unknown rate unit "weeks"'],
    ['rate(1.5 hours)', 'whole number'],
  ])('rejects %s', (expression, problem) => {
    // Act
    const error = rejection(expression);

    // Assess
    expect(error.name).toBe('InvalidScheduleExpressionError');
    expect(error.message).toContain(problem);
  });
});

describe('cron expressions (UTC, six fields)', () => {
  it('steps: cron(0/15 * * * ? *) fires at :00 :15 :30 :45', () => {
    // Act
    const times = fireTimes('cron(0/15 * * * ? *)', '2026-03-01T10:07:12Z', 4);

    // Assess
    expect(times).toEqual([
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T10:30:00.000Z',
      '2026-03-01T10:45:00.000Z',
      '2026-03-01T11:00:00.000Z',
    ]);
  });

  it('fires strictly after the given time, even when it is exactly on a fire time', () => {
    // Act
    const next = nextFireTime('cron(0/15 * * * ? *)', at('2026-03-01T10:15:00Z'));

    // Assess
    expect(iso(next)).toBe('2026-03-01T10:30:00.000Z');
  });

  it('weekday range and named days: cron(0 18 ? * MON-FRI *)', () => {
    // Act (2026-01-02 is a Friday)
    const times = fireTimes('cron(0 18 ? * MON-FRI *)', '2026-01-02T19:00:00Z', 2);

    // Assess
    expect(times).toEqual(['2026-01-05T18:00:00.000Z', '2026-01-06T18:00:00.000Z']);
  });

  it('lists and ranges: cron(5,35 8-9 1 JAN,JUL ? 2026-2027)', () => {
    // Act
    const times = fireTimes('cron(5,35 8-9 1 JAN,JUL ? 2026-2027)', '2026-01-01T08:06:00Z', 4);

    // Assess
    expect(times).toEqual([
      '2026-01-01T08:35:00.000Z',
      '2026-01-01T09:05:00.000Z',
      '2026-01-01T09:35:00.000Z',
      '2026-07-01T08:05:00.000Z',
    ]);
  });

  it.each([
    ['L: last day of the month', 'cron(0 0 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T00:00:00.000Z'],
    ['L in a leap year', 'cron(0 0 L 2 ? *)', '2027-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    [
      'LW: last weekday (2026-01-31 is a Saturday)',
      'cron(0 0 LW * ? *)',
      '2026-01-01T00:00:00Z',
      '2026-01-30T00:00:00.000Z',
    ],
    [
      '1W: Saturday the 1st moves to Monday the 3rd',
      'cron(0 0 1W * ? *)',
      '2026-08-01T00:00:00Z',
      '2026-08-03T00:00:00.000Z',
    ],
    [
      '15W: Sunday the 15th moves to Monday the 16th',
      'cron(0 0 15W * ? *)',
      '2026-02-01T00:00:00Z',
      '2026-02-16T00:00:00.000Z',
    ],
    ['3#2: second Tuesday', 'cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z', '2026-01-13T09:00:00.000Z'],
    ['6L: last Friday', 'cron(0 9 ? * 6L *)', '2026-01-01T00:00:00Z', '2026-01-30T09:00:00.000Z'],
    ['*/20 hours from midnight', 'cron(0 */20 * * ? *)', '2026-01-01T01:00:00Z', '2026-01-01T20:00:00.000Z'],
  ])('%s', (_name, expression, from, expected) => {
    // Act
    const next = nextFireTime(expression, at(from));

    // Assess
    expect(iso(next)).toBe(expected);
  });

  it('never fires again once its years are past', () => {
    // Act
    const next = nextFireTime('cron(0 0 1 1 ? 2025)', at('2026-01-01T00:00:00Z'));

    // Assess
    expect(next).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ['cron(0/15 * * * *)', 'needs 6 fields, got 5'],
    ['cron(0 12 * * * *)', 'both set'],
    ['cron(0 12 ? * ? *)', 'both ?'],
    ['cron(60 * * * ? *)', 'minutes value "60" is not in 0-59'],
    ['cron(0 24 * * ? *)', 'hours value "24"'],
    ['cron(0 0 ? * FUNDAY *)', 'day-of-week value "FUNDAY"'],
    ['cron(0/0 * * * ? *)', 'invalid /step'],
    ['cron(0 0 ? * 2#6 *)', 'occurrence 1-5'],
    ['cron(30-10 * * * ? *)', 'runs backwards'],
    ['cron(0 0 1 1 ? 2200)', 'year value "2200"'],
    ['every 5 minutes', 'neither rate(...) nor cron(...)'],
    ['at(2026-01-01T00:00:00)', 'EventBridge Scheduler'],
  ])('rejects %s', (expression, problem) => {
    // Act
    const error = rejection(expression);

    // Assess
    expect(error.expression).toBe(expression);
    expect(error.message).toContain(problem);
  });
});
