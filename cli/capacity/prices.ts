/**
 * DynamoDB list prices the capacity advisor compares with: us-east-1, Standard table class, as published on the
 * DynamoDB pricing page after the on-demand price cut of 2024-11-01 (checked 2025). Other regions and the
 * Standard-IA class cost more; check the pricing page before deciding.
 */
export const PRICES = {
  region: 'us-east-1',
  tableClass: 'Standard',
  asOf: '2024-11-01',
  /** On-demand, per million request units. */
  onDemandReadPerMillion: 0.125,
  onDemandWritePerMillion: 0.625,
  /** Provisioned, per capacity unit and hour. */
  provisionedReadPerUnitHour: 0.00013,
  provisionedWritePerUnitHour: 0.00065,
} as const;

/** The month the costs are projected to: 730 hours, as AWS's pricing examples use. */
export const HOURS_PER_MONTH = 730;
