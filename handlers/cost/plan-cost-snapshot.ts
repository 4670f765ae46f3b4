/**
 * Cost snapshot, first step: which day to snapshot (yesterday in UTC unless the input names one), checked
 * against what Cost Explorer keeps per resource (the last 14 days) and against the future, plus the run's
 * identity, the cache expiry and empty totals. Pure: its only failure is bad input (InvalidInputError).
 */
import { z } from 'zod';
import { InvalidInputError, UnexpectedError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { withErrorHandling } from '../shared/with-error-handling';
import { type CostTotals, NO_TOTALS, RESOURCE_DATA_DAYS } from './cost-snapshot';

const DAY_MS = 86_400_000;

const InputSchema = z.object({
  /** The execution input: `{ "trigger": "schedule" }`, or by hand `{ "date": "YYYY-MM-DD" }`. */
  request: z.strictObject({
    date: z.iso.date({ error: 'must be a day as YYYY-MM-DD' }).optional(),
    trigger: z.string().optional(),
  }),
  startedAt: z.iso.datetime({ error: 'must be an ISO-8601 UTC time ($$.Execution.StartTime)' }),
  snapshotId: z.string().min(1, { error: 'must be the execution name' }),
  correlationId: z.string().optional(),
});

export type PlanCostSnapshotInput = z.infer<typeof InputSchema>;

export interface CostSnapshotPlan {
  /** The day snapshotted, `YYYY-MM-DD` (Cost Explorer's TimePeriod.Start). */
  readonly date: string;
  /** The next day (TimePeriod.End is exclusive). */
  readonly end: string;
  readonly snapshotId: string;
  readonly takenAt: string;
  /** Epoch seconds when the cached fleet totals expire (metrics-cache TTL). */
  readonly cacheExpiresAt: number;
  readonly totals: CostTotals;
}

export function parsePlanInput(input: unknown): PlanCostSnapshotInput {
  return parseWith(InputSchema, input, 'plan-cost-snapshot input');
}

const dayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

export function planCostSnapshot(input: PlanCostSnapshotInput, cacheTtlHours: number): CostSnapshotPlan {
  const started = Date.parse(input.startedAt);
  const today = dayOf(started);
  const yesterday = dayOf(started - DAY_MS);
  const oldest = dayOf(started - RESOURCE_DATA_DAYS * DAY_MS);
  const date = input.request.date ?? yesterday;
  if (date > yesterday) {
    throw new InvalidInputError(
      `Cannot snapshot ${date}: costs of a day are complete only after it ends (today is ${today} UTC). ` +
        `Give a day up to ${yesterday}, or leave "date" out for yesterday.`,
    );
  }
  if (date < oldest) {
    throw new InvalidInputError(
      `Cannot snapshot ${date}: Cost Explorer keeps costs per resource for the last ${RESOURCE_DATA_DAYS} days only ` +
        `(from ${oldest}). Older days are in the Cost and Usage Report.`,
    );
  }
  return {
    date,
    end: dayOf(Date.parse(`${date}T00:00:00Z`) + DAY_MS),
    snapshotId: input.snapshotId,
    takenAt: input.startedAt,
    cacheExpiresAt: Math.floor(started / 1000) + cacheTtlHours * 3600,
    totals: NO_TOTALS,
  };
}

/** COST_CACHE_TTL_HOURS, set by the construct from `costCacheTtlHours`; its absence is a deployment bug. */
export function cacheTtlHoursFrom(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const hours = Number(env.COST_CACHE_TTL_HOURS);
  if (!Number.isInteger(hours) || hours < 1) {
    throw new UnexpectedError(
      `COST_CACHE_TTL_HOURS must be a whole number of hours >= 1, got ${JSON.stringify(env.COST_CACHE_TTL_HOURS)} ` +
        '(set by the cost snapshot construct from costCacheTtlHours: a deployment bug).',
    );
  }
  return hours;
}

export const handler = withErrorHandling('plan-cost-snapshot', async (input: unknown, { logger }) => {
  const plan = planCostSnapshot(parsePlanInput(input), cacheTtlHoursFrom());
  logger.info('cost snapshot planned', { date: plan.date, snapshotId: plan.snapshotId });
  return plan;
});
