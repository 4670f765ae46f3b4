import { NO_TOTALS } from '../../../handlers/cost/cost-snapshot';
import {
  cacheTtlHoursFrom,
  handler,
  parsePlanInput,
  planCostSnapshot,
} from '../../../handlers/cost/plan-cost-snapshot';
import { InvalidInputError, UnexpectedError } from '../../../handlers/shared/errors';
import { captureOutput } from '../../helpers/lambda';

const STARTED = '2026-03-20T06:30:00.000Z';
const plan = (request: Record<string, unknown>, startedAt = STARTED) =>
  planCostSnapshot(parsePlanInput({ request, startedAt, snapshotId: 'run-1' }), 26);

describe('planCostSnapshot', () => {
  it('snapshots yesterday (UTC) by default, with empty totals and the cache expiry after the TTL', () => {
    expect(plan({ trigger: 'schedule' })).toEqual({
      date: '2026-03-19',
      end: '2026-03-20',
      snapshotId: 'run-1',
      takenAt: STARTED,
      cacheExpiresAt: Date.parse(STARTED) / 1000 + 26 * 3600,
      totals: NO_TOTALS,
    });
  });

  it('snapshots the day an operator names, across a month end, back to 14 days', () => {
    expect(plan({ date: '2026-02-28' }, '2026-03-05T06:30:00.000Z')).toEqual(
      expect.objectContaining({ date: '2026-02-28', end: '2026-03-01' }),
    );
    expect(plan({ date: '2026-03-06' }).date).toBe('2026-03-06');
  });

  it.each([
    ['today', { date: '2026-03-20' }, /costs of a day are complete only after it ends \(today is 2026-03-20 UTC\)/],
    ['older than 14 days', { date: '2026-03-05' }, /last 14 days only \(from 2026-03-06\)/],
    ['not a day', { date: '19/03/2026' }, /request.date: must be a day as YYYY-MM-DD/],
    ['a misspelt field', { day: '2026-03-19' }, /request: Unrecognized key: "day"/],
  ])('refuses %s with InvalidInputError saying what to give', (_, request, message) => {
    const failure = (() => {
      try {
        return plan(request);
      } catch (error) {
        return error;
      }
    })();

    expect(failure).toBeInstanceOf(InvalidInputError);
    expect((failure as Error).message).toMatch(message);
  });

  it('reads the TTL from the environment and calls a missing one a deployment bug', () => {
    expect(cacheTtlHoursFrom({ COST_CACHE_TTL_HOURS: '48' })).toBe(48);
    expect(() => cacheTtlHoursFrom({})).toThrow(UnexpectedError);
  });
});

describe('plan-cost-snapshot handler', () => {
  let output: ReturnType<typeof captureOutput>;
  const saved = { ...process.env };
  beforeEach(() => {
    output = captureOutput();
    process.env.COST_CACHE_TTL_HOURS = '26';
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('plans under the execution id and fails bad input as InvalidInputError (400)', async () => {
    const correlationId = 'arn:aws:states:us-east-1:123456789012:execution:cost-snapshot:run-1';
    const planned = await handler({ request: {}, startedAt: STARTED, snapshotId: 'run-1', correlationId });
    const failure = await handler({
      request: { date: 'soon' },
      startedAt: STARTED,
      snapshotId: 'run-2',
      correlationId,
    }).catch((error: unknown) => error);

    expect(planned.date).toBe('2026-03-19');
    expect(failure).toEqual(expect.objectContaining({ name: 'InvalidInputError', statusCode: 400, retryable: false }));
    expect(output.logs()).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: 'cost snapshot planned', correlationId })]),
    );
  });
});
