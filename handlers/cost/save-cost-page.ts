/**
 * Cost snapshot, per page: writes one cost-snapshots item per RDS instance of a GetCostAndUsageWithResources
 * page and adds the page to the fleet totals it was given. Items are conditioned on `takenAt`, so a re-run of
 * the same day replaces the numbers and an older run finishing late never overwrites a newer one; a retried
 * invocation writes the same items again (same run, same takenAt), so the step is safe to repeat.
 */
import { type DynamoDBDocumentClient, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { fromAwsError } from '../shared/errors';
import { parseWith } from '../shared/validation';
import { type TaskInvocation, withErrorHandling } from '../shared/with-error-handling';
import { type CostTotals, instanceIdOf, TotalsSchema } from './cost-snapshot';
import { addDecimals, isDecimal } from './decimal';

/** Conditional puts in flight at once: DynamoDB absorbs far more, but a page is small. */
export const WRITE_CONCURRENCY = 10;

const metric = z.object({
  Amount: z.string().refine(isDecimal, { error: 'must be a decimal amount' }),
  Unit: z.string(),
});

const ResultByTimeSchema = z.object({
  TimePeriod: z.object({ Start: z.iso.date(), End: z.iso.date() }),
  Groups: z.array(
    z.object({
      Keys: z.array(z.string()).min(1, { error: 'must name the resource (GroupBy RESOURCE_ID)' }),
      Metrics: z.object({ UnblendedCost: metric, AmortizedCost: metric }),
    }),
  ),
  Estimated: z.boolean().optional(),
});

const InputSchema = z.object({
  date: z.iso.date({ error: 'must be the snapshot day as YYYY-MM-DD' }),
  snapshotId: z.string().min(1),
  takenAt: z.iso.datetime(),
  resultsByTime: z.array(ResultByTimeSchema),
  totals: TotalsSchema,
  correlationId: z.string().optional(),
});

export type SaveCostPageInput = z.infer<typeof InputSchema>;

export function parseSaveCostPageInput(input: unknown): SaveCostPageInput {
  return parseWith(InputSchema, input, 'save-cost-page input');
}

export interface SaveCostPageDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly costTable: string;
}

export async function saveCostPage(
  input: SaveCostPageInput,
  deps: SaveCostPageDependencies,
  invocation?: Pick<TaskInvocation, 'logger'>,
): Promise<CostTotals> {
  const groups = input.resultsByTime.flatMap((result) =>
    result.Groups.map((group) => ({ ...group, date: result.TimePeriod.Start, estimated: result.Estimated ?? false })),
  );
  const instances = groups.flatMap((group) => {
    const instanceId = instanceIdOf(group.Keys[0]!);
    return instanceId ? [{ ...group, instanceId }] : [];
  });
  const limit = pLimit(WRITE_CONCURRENCY);
  const written = await Promise.all(
    instances.map((group) =>
      limit(async () => {
        try {
          await deps.dynamo.send(
            new PutCommand({
              TableName: deps.costTable,
              Item: {
                instanceId: group.instanceId,
                date: group.date,
                cost: NumberValue.from(group.Metrics.UnblendedCost.Amount),
                amortizedCost: NumberValue.from(group.Metrics.AmortizedCost.Amount),
                currency: group.Metrics.UnblendedCost.Unit,
                estimated: group.estimated,
                resourceArn: group.Keys[0],
                snapshotId: input.snapshotId,
                takenAt: input.takenAt,
              },
              ConditionExpression: 'attribute_not_exists(takenAt) OR takenAt <= :takenAt',
              ExpressionAttributeValues: { ':takenAt': input.takenAt },
            }),
          );
          return true;
        } catch (error) {
          // A run that started later wrote this instance and day: its numbers are the fresher ones.
          if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
          throw fromAwsError(error, `Saving the ${group.date} cost of ${group.instanceId} in ${deps.costTable}`);
        }
      }),
    ),
  );
  const costOf = (list: readonly { Metrics: { UnblendedCost: { Amount: string } } }[]) =>
    list.map((group) => group.Metrics.UnblendedCost.Amount);
  const unattributed = groups.filter((group) => !instanceIdOf(group.Keys[0]!));
  const { totals } = input;
  const next: CostTotals = {
    pages: totals.pages + 1,
    instanceCount: totals.instanceCount + instances.length,
    totalCost: addDecimals(totals.totalCost, ...costOf(groups)),
    instanceCost: addDecimals(totals.instanceCost, ...costOf(instances)),
    unattributedCost: addDecimals(totals.unattributedCost, ...costOf(unattributed)),
    currency: groups[0]?.Metrics.UnblendedCost.Unit ?? totals.currency,
    estimated: totals.estimated || groups.some((group) => group.estimated),
    skippedStale: totals.skippedStale + written.filter((saved) => !saved).length,
  };
  invocation?.logger.info('cost page saved', {
    date: input.date,
    page: next.pages,
    instances: instances.length,
    unattributed: unattributed.length,
    skippedStale: next.skippedStale - totals.skippedStale,
  });
  return next;
}

export const handler = withErrorHandling('save-cost-page', async (input: unknown, invocation) => {
  const costTable = requireEnv('COST_SNAPSHOTS_TABLE_NAME');
  invocation.annotate({ table: costTable });
  return saveCostPage(parseSaveCostPageInput(input), { dynamo: dynamo(), costTable }, invocation);
});
