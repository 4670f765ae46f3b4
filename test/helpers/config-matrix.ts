/** The documented config options (README "Configuration"), combined so each one is synthesized at least once. */

const PROVISIONED = {
  mode: 'PROVISIONED',
  read: { min: 5, max: 50 },
  write: { min: 2, max: 20 },
  targetUtilizationPercent: 60,
};

export const CONFIG_MATRIX: Readonly<Record<string, Record<string, unknown>>> = {
  'default config': {},
  'customer-managed encryption': { encryption: 'CUSTOMER_MANAGED' },
  'provisioned capacity with auto scaling, one table capped on-demand': {
    capacity: {
      default: PROVISIONED,
      metricsCache: { mode: 'ON_DEMAND', maxReadRequestUnits: 100, maxWriteRequestUnits: 50 },
    },
  },
  'prod stage with e-mail, customer-managed key, provisioned capacity and tuned settings': {
    stage: 'prod',
    alarmEmail: 'ops@example.com',
    encryption: 'CUSTOMER_MANAGED',
    capacity: { default: PROVISIONED },
    pitr: { recoveryPeriodInDays: 7, autoRemediate: false, complianceSchedule: 'rate(30 minutes)' },
    drill: { schedule: 'cron(0 3 ? * SUN *)', maxConcurrency: 1, leftoverMaxAgeHours: 12 },
    cloudTrail: { createTrail: true },
    logRetentionDays: 365,
    inventoryRefreshSchedule: 'cron(0/30 6-20 ? * MON-FRI *)',
    costSnapshotSchedule: 'cron(0 9 * * ? *)',
    costCacheTtlHours: 48,
    circuits: { 'rds-api': { failureThreshold: 3, openTimeoutGrowth: 2 } },
  },
  'operations API behind a resource policy and VPC endpoints, with API keys, a quota and no account logging role': {
    api: {
      throttling: { rateLimit: 100, burstLimit: 200 },
      usagePlan: { requireApiKey: true, quota: { limit: 100000, period: 'MONTH' } },
      resourcePolicy: {
        allowedPrincipals: ['arn:aws:iam::123456789012:role/dashboard', '210987654321'],
        sourceVpcEndpoints: ['vpce-0123456789abcdef0'],
      },
      accountLoggingRole: false,
    },
  },
};
