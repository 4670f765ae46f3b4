/**
 * The list prices every cost figure of the benchmarks uses, stated once with their date: AWS us-east-1,
 * on-demand, no free tier. Recorded from the AWS pricing pages for Step Functions, DynamoDB (on-demand,
 * after the 2024-11-01 reduction) and Lambda; this machine has no network, so they were not re-read on
 * the day the benchmarks ran. Update PRICES_AS_OF with the figures.
 */

export const PRICES_AS_OF = '2026-12-01';
export const PRICE_REGION = 'us-east-1';

export const PRICES = {
  /** Standard workflows: $0.025 per 1,000 state transitions (retries count as transitions). */
  standardTransition: 0.025 / 1000,
  /** Express workflows: $1.00 per million requests (executions started). */
  expressRequest: 1.0 / 1_000_000,
  /** Express workflows: $0.00001667 per GB-second, billed in 100 ms steps at 64 MB minimum. */
  expressGbSecond: 0.00001667,
  /** DynamoDB on-demand: $0.125 per million read request units. */
  dynamoDbReadUnit: 0.125 / 1_000_000,
  /** DynamoDB on-demand: $0.625 per million write request units. */
  dynamoDbWriteUnit: 0.625 / 1_000_000,
  /** Lambda: $0.20 per million requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda (x86): $0.0000166667 per GB-second, billed per millisecond. */
  lambdaGbSecond: 0.0000166667,
} as const;

/**
 * What AWS would bill for work the local runtime does not time like AWS: an Express execution of the
 * breaker (a few ms of work and its DynamoDB calls, well under the first 100 ms step, at 64 MB) and a
 * small Lambda handler of the baseline design (128 MB, 50 ms billed: one DynamoDB call from a warm container).
 */
export const BILLING_ASSUMPTIONS = {
  expressBilledMs: 100,
  expressMemoryMb: 64,
  lambdaBilledMs: 50,
  lambdaMemoryMb: 128,
} as const;

/** The billable units of one protected call (or of any unit of work). */
export interface BillableUsage {
  readonly standardTransitions: number;
  readonly expressRequests: number;
  readonly dynamoDbReadUnits: number;
  readonly dynamoDbWriteUnits: number;
  readonly lambdaInvocations: number;
}

export const NO_USAGE: BillableUsage = {
  standardTransitions: 0,
  expressRequests: 0,
  dynamoDbReadUnits: 0,
  dynamoDbWriteUnits: 0,
  lambdaInvocations: 0,
};

/** Dollars per million of `usage`, at the list prices and billing assumptions above. */
export function dollarsPerMillion(usage: BillableUsage): number {
  const { expressBilledMs, expressMemoryMb, lambdaBilledMs, lambdaMemoryMb } = BILLING_ASSUMPTIONS;
  const expressDuration = (expressMemoryMb / 1024) * (expressBilledMs / 1000) * PRICES.expressGbSecond;
  const lambdaDuration = (lambdaMemoryMb / 1024) * (lambdaBilledMs / 1000) * PRICES.lambdaGbSecond;
  const perCall =
    usage.standardTransitions * PRICES.standardTransition +
    usage.expressRequests * (PRICES.expressRequest + expressDuration) +
    usage.dynamoDbReadUnits * PRICES.dynamoDbReadUnit +
    usage.dynamoDbWriteUnits * PRICES.dynamoDbWriteUnit +
    usage.lambdaInvocations * (PRICES.lambdaRequest + lambdaDuration);
  return Math.round(perCall * 1_000_000 * 100) / 100;
}
