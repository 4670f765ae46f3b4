/**
 * What the cost snapshot carries from page to page: the fleet totals so far. The save handler adds each page to
 * them and the workflow caches the last ones in metrics-cache (docs/architecture.md, "Item shapes").
 */
import { z } from 'zod';
import { isDecimal } from './decimal';

const amount = z.string().refine(isDecimal, { error: 'must be a decimal amount such as "12.34"' });
const count = z.number().int().min(0);

export const TotalsSchema = z.object({
  pages: count,
  instanceCount: count,
  /** Every RDS resource of the day: instances, clusters, snapshots, ... */
  totalCost: amount,
  instanceCost: amount,
  unattributedCost: amount,
  currency: z.string().min(1),
  estimated: z.boolean(),
  /** Instances whose item a newer run had written already (left as they were). */
  skippedStale: count,
});

export type CostTotals = z.infer<typeof TotalsSchema>;

export const NO_TOTALS: CostTotals = {
  pages: 0,
  instanceCount: 0,
  totalCost: '0',
  instanceCost: '0',
  unattributedCost: '0',
  currency: 'USD',
  estimated: false,
  skippedStale: 0,
};

/** What Cost Explorer calls the RDS service, in SERVICE filters. */
export const RDS_SERVICE_NAME = 'Amazon Relational Database Service';

/** How far back GetCostAndUsageWithResources has data ("The range must be within the last 14 days"). */
export const RESOURCE_DATA_DAYS = 14;

/** `arn:aws:rds:<region>:<account>:db:<identifier>` -> the identifier (lower case, as rds-inventory keys it). */
export function instanceIdOf(resourceId: string): string | undefined {
  const match = /^arn:aws[a-z-]*:rds:[^:]*:\d*:db:([^:]+)$/.exec(resourceId);
  return match?.[1]?.toLowerCase();
}
