/**
 * Typed, validated configuration of the app, read from CDK context: `cdk.json` holds the defaults,
 * `-c key=value` overrides them (objects as JSON strings, or one field at a time with `-c pitr.recoveryPeriodInDays=7`).
 */
import { type ZodType, z } from 'zod';
import {
  booleanValue,
  decodeJsonObject,
  fields,
  integerIn,
  notBelow,
  numberIn,
  oneOf,
  oneOfNumbers,
  parseWithSchema,
  recordOf,
  scheduleExpression,
  strictFields,
} from './config-schema';

export { InvalidConfigError } from './errors';

/** The eight tables of the data stack, by construct id. */
export const TABLE_IDS = [
  'rdsInventory',
  'healthAlerts',
  'auditLog',
  'costSnapshots',
  'rdsApprovals',
  'metricsCache',
  'circuitBreakers',
  'coordination',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export type EncryptionMode = 'AWS_MANAGED' | 'CUSTOMER_MANAGED';

/** On-demand: pay per request; the optional maxima cap what a runaway workflow can spend. */
export interface OnDemandCapacity {
  readonly mode: 'ON_DEMAND';
  /** Upper bound of read request units per second (table and each GSI). @default - no cap */
  readonly maxReadRequestUnits?: number;
  /** Upper bound of write request units per second (table and each GSI). @default - no cap */
  readonly maxWriteRequestUnits?: number;
}

export interface CapacityRange {
  readonly min: number;
  readonly max: number;
}

/** Provisioned with target-tracking auto-scaling of reads and writes (table and each GSI). */
export interface ProvisionedCapacity {
  readonly mode: 'PROVISIONED';
  readonly read: CapacityRange;
  readonly write: CapacityRange;
  /** Consumed/provisioned ratio that auto-scaling keeps, in percent (20..90). @default 70 */
  readonly targetUtilizationPercent: number;
}

export type TableCapacity = OnDemandCapacity | ProvisionedCapacity;

export type TableFailPolicy = 'FAIL_OPEN' | 'FAIL_CLOSED';

/** Settings of one circuit breaker (one DynamoDB item per dependency). */
export interface CircuitConfig {
  /** Failures inside `failureWindowSeconds` that open the circuit. */
  readonly failureThreshold: number;
  /** Consecutive successful probes in HALF_OPEN that close it again. */
  readonly successThreshold: number;
  /** How long the circuit stays OPEN before a probe is allowed. */
  readonly openTimeoutSeconds: number;
  /** Multiplier applied to the open timeout each time a probe fails (1 = constant). */
  readonly openTimeoutGrowth: number;
  /** Ceiling of the grown open timeout. */
  readonly maxOpenTimeoutSeconds: number;
  /** Sliding window in which failures are counted. */
  readonly failureWindowSeconds: number;
  /** How long one caller holds the HALF_OPEN probe before another may take it. */
  readonly probeLeaseSeconds: number;
  /** What to do when the circuit table itself cannot be read: call anyway, or refuse. */
  readonly tableFailPolicy: TableFailPolicy;
}

/** The point-in-time restore and cutover workflows (docs/workflows/restore-table.md). */
export interface RestoreConfig {
  /** How long a restore or cutover waits for an operator's decision before it ends as ApprovalTimedOut. */
  readonly approvalTimeoutSeconds: number;
  /** Whether an operator may start a restore with `approval: "skip"`; alarm-started restores always ask. */
  readonly allowApprovalSkip: boolean;
  /**
   * An alarm-started restore goes back to this many seconds before the alarm left OK, so the restore point
   * precedes the last clean integrity check (at least one check interval plus the alarm's evaluation delay).
   */
  readonly alarmMarginSeconds: number;
  /** The longest a restore may take to become ACTIVE before it ends as RestoreTimedOutError (table kept). */
  readonly maxWaitSeconds: number;
  /** The first polling interval of the wait for ACTIVE; each next one doubles, up to `maxPollSeconds`. */
  readonly firstPollSeconds: number;
  readonly maxPollSeconds: number;
  /** How many restored items the validation compares with the source. */
  readonly validationSampleSize: number;
  /** Scan segments the cutover copies in parallel. */
  readonly copySegments: number;
  /**
   * The recovery time objective of a table restore, trigger to validated table (approval wait included): the
   * dashboard draws restore-table's duration against it and an alarm fires when an execution takes longer.
   */
  readonly recoveryTimeObjectiveSeconds: number;
}

/** The scheduled data-integrity check that feeds the per-table integrity alarms. */
export interface IntegrityConfig {
  /** EventBridge schedule of the check. */
  readonly schedule: string;
  /** A drop of the item count by at least this percentage since the last check counts as a violation. */
  readonly itemDropPercent: number;
  /** ...and by at least this many items (small tables move a lot in percent). */
  readonly minimumItemDrop: number;
}

/** PITR of the protected tables and its hourly compliance check (pitr-compliance). */
export interface PitrConfig {
  readonly recoveryPeriodInDays: number;
  /** Turn PITR back on (with `recoveryPeriodInDays`) when the compliance check finds it off. */
  readonly autoRemediate: boolean;
  /** EventBridge schedule of the compliance check. */
  readonly complianceSchedule: string;
}

/** The scheduled disaster-recovery drill (dr-drill). */
export interface DrillConfig {
  /** EventBridge schedule of the drill. */
  readonly schedule: string;
  /** Tables restored at the same time (restores are control-plane work with account limits). */
  readonly maxConcurrency: number;
  /** Scratch tables (`drill-*`) older than this are removed by the next drill. */
  readonly leftoverMaxAgeHours: number;
}

/** The trail that makes CloudTrail management events (DeleteTable) reach EventBridge. */
export interface CloudTrailConfig {
  /** Create a trail in the workflows stack; leave off when the account already has one logging management events. */
  readonly createTrail: boolean;
}

/** Requests per second a bucket refills with, and how many it holds (API Gateway's token bucket). */
export interface ThrottleConfig {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** Who may call the operations API beyond what IAM allows (an API Gateway resource policy). */
export interface ApiResourcePolicyConfig {
  /**
   * The only principals that may invoke the API: IAM role or user ARNs (`arn:aws:iam::123456789012:role/dashboard`),
   * account roots, or 12-digit account ids. Everyone else is denied even with an IAM policy allowing it.
   * @default - no principal restriction beyond IAM
   */
  readonly allowedPrincipals: readonly string[];
  /**
   * VPC endpoints (`vpce-0123456789abcdef0`) the API may be reached through: the API becomes PRIVATE and every
   * request from elsewhere is denied. @default - a REGIONAL API reachable from anywhere (SigV4 still required)
   */
  readonly sourceVpcEndpoints: readonly string[];
}

/** The operations API (docs/api.md). */
export interface ApiConfig {
  /** Stage-wide limit of every method for all callers together. */
  readonly throttling: ThrottleConfig;
  /** Stricter limit of each method that changes state (the POST routes), instead of `throttling`. */
  readonly writeThrottling: ThrottleConfig;
  readonly usagePlan: {
    /** Every method requires an API key of the usage plan (`x-api-key`) besides the SigV4 signature. */
    readonly requireApiKey: boolean;
    /** Requests per API key per period. @default - no quota */
    readonly quota?: { readonly limit: number; readonly period: QuotaPeriod };
  };
  /** @default - none: IAM policies of this account decide alone */
  readonly resourcePolicy?: ApiResourcePolicyConfig;
  /**
   * Create the account's API Gateway CloudWatch Logs role (one per account and region; execution logging needs
   * it). Set false when the account already has one.
   */
  readonly accountLoggingRole: boolean;
}

export interface OpsConfig {
  /** Lower-case stage name; stacks are named `RdsOps-<Stage>-...`. */
  readonly stage: string;
  readonly pitr: PitrConfig;
  readonly encryption: EncryptionMode;
  /** Resolved capacity of every table (`default` applied where no override was given). */
  readonly capacity: Readonly<{ default: TableCapacity } & Record<TableId, TableCapacity>>;
  readonly circuits: Readonly<Record<string, CircuitConfig>>;
  /** EventBridge schedule expression of the inventory refresh. */
  readonly inventoryRefreshSchedule: string;
  /** EventBridge schedule expression of the daily cost snapshot (UTC). */
  readonly costSnapshotSchedule: string;
  /** How long the fleet cost totals stay in metrics-cache (its TTL), in hours. */
  readonly costCacheTtlHours: number;
  /** Where alarm notifications are mailed. @default - no subscription */
  readonly alarmEmail?: string;
  /** Retention of every log group (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  readonly restore: RestoreConfig;
  readonly integrity: IntegrityConfig;
  readonly drill: DrillConfig;
  readonly cloudTrail: CloudTrailConfig;
  readonly api: ApiConfig;
}

export const DEFAULT_CIRCUIT: CircuitConfig = {
  failureThreshold: 5,
  successThreshold: 2,
  openTimeoutSeconds: 60,
  openTimeoutGrowth: 1,
  maxOpenTimeoutSeconds: 3600,
  failureWindowSeconds: 300,
  probeLeaseSeconds: 300,
  tableFailPolicy: 'FAIL_OPEN',
};

/** Circuits that always exist; context can tune them or add more. */
export const DEFAULT_CIRCUIT_NAMES = ['rds-api', 'cost-explorer'] as const;

export const DEFAULT_TARGET_UTILIZATION_PERCENT = 70;

/** The values used when context says nothing; `cdk.json` repeats them so operators see them. */
export const DEFAULTS = {
  stage: 'dev',
  pitr: { recoveryPeriodInDays: 35, autoRemediate: true, complianceSchedule: 'rate(1 hour)' } satisfies PitrConfig,
  encryption: 'AWS_MANAGED' as EncryptionMode,
  capacity: { default: { mode: 'ON_DEMAND' } as TableCapacity },
  inventoryRefreshSchedule: 'rate(15 minutes)',
  // Cost Explorer refreshes its data at least once a day; by 06:30 UTC yesterday's costs are in.
  costSnapshotSchedule: 'cron(30 6 * * ? *)',
  // Until shortly after the next daily snapshot: a day without one shows no totals rather than stale ones.
  costCacheTtlHours: 26,
  logRetentionDays: 30 as LogRetentionDays,
  restore: {
    approvalTimeoutSeconds: 4 * 3600,
    allowApprovalSkip: true,
    alarmMarginSeconds: 600,
    maxWaitSeconds: 4 * 3600,
    firstPollSeconds: 5,
    maxPollSeconds: 60,
    validationSampleSize: 100,
    copySegments: 4,
    // The seed's 2 hours for a DynamoDB table (TABLE_RTO_TARGET_SECONDS, lib/observability/metric-names.ts).
    recoveryTimeObjectiveSeconds: 2 * 3600,
  } satisfies RestoreConfig,
  integrity: { schedule: 'rate(5 minutes)', itemDropPercent: 20, minimumItemDrop: 10 } satisfies IntegrityConfig,
  drill: {
    schedule: 'rate(7 days)',
    maxConcurrency: 2,
    leftoverMaxAgeHours: 24,
  } satisfies DrillConfig,
  cloudTrail: { createTrail: false } satisfies CloudTrailConfig,
  api: {
    throttling: { rateLimit: 20, burstLimit: 40 },
    writeThrottling: { rateLimit: 2, burstLimit: 5 },
    usagePlan: { requireApiKey: false },
    accountLoggingRole: true,
  } satisfies ApiConfig,
};

/** The CloudWatch Logs retention values (days) that a log group accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** DynamoDB's default per-table throughput quota; capacities beyond it would fail at deploy. */
const MAX_CAPACITY_UNITS = 40_000;
const MAX_SECONDS = 86_400;

const capacityUnits = () => integerIn(1, MAX_CAPACITY_UNITS);

const capacityRange = fields({ min: capacityUnits(), max: capacityUnits() }).superRefine(
  notBelow('min', 'max', MAX_CAPACITY_UNITS),
);

const tableCapacity = z.preprocess(
  decodeJsonObject,
  z.discriminatedUnion(
    'mode',
    [
      strictFields({
        mode: z.literal('ON_DEMAND'),
        maxReadRequestUnits: capacityUnits().optional(),
        maxWriteRequestUnits: capacityUnits().optional(),
      }),
      strictFields({
        mode: z.literal('PROVISIONED'),
        read: capacityRange,
        write: capacityRange,
        targetUtilizationPercent: integerIn(20, 90).default(DEFAULT_TARGET_UTILIZATION_PERCENT),
      }),
    ],
    {
      error: (issue) => {
        if (issue.code === 'invalid_union') return 'one of "ON_DEMAND", "PROVISIONED"';
        return typeof issue.input === 'string' ? 'a JSON object' : 'an object';
      },
    },
  ),
);

/** `default` applies to every table without its own entry; an entry replaces it as a whole (no mixing of modes). */
const capacity = fields({
  default: tableCapacity.optional(),
  ...(Object.fromEntries(TABLE_IDS.map((id) => [id, tableCapacity.optional()])) as Record<
    TableId,
    z.ZodOptional<typeof tableCapacity>
  >),
}).transform((given): OpsConfig['capacity'] => {
  const fallback = given.default ?? DEFAULTS.capacity.default;
  return {
    default: fallback,
    ...(Object.fromEntries(TABLE_IDS.map((id) => [id, given[id] ?? fallback])) as Record<TableId, TableCapacity>),
  };
});

const circuit = fields({
  failureThreshold: integerIn(1, 1000).default(DEFAULT_CIRCUIT.failureThreshold),
  successThreshold: integerIn(1, 100).default(DEFAULT_CIRCUIT.successThreshold),
  openTimeoutSeconds: integerIn(1, MAX_SECONDS).default(DEFAULT_CIRCUIT.openTimeoutSeconds),
  openTimeoutGrowth: numberIn(1, 10).default(DEFAULT_CIRCUIT.openTimeoutGrowth),
  maxOpenTimeoutSeconds: integerIn(1, MAX_SECONDS).default(DEFAULT_CIRCUIT.maxOpenTimeoutSeconds),
  failureWindowSeconds: integerIn(1, MAX_SECONDS).default(DEFAULT_CIRCUIT.failureWindowSeconds),
  probeLeaseSeconds: integerIn(1, 3600).default(DEFAULT_CIRCUIT.probeLeaseSeconds),
  tableFailPolicy: oneOf(['FAIL_OPEN', 'FAIL_CLOSED']).default(DEFAULT_CIRCUIT.tableFailPolicy),
}).superRefine(notBelow('openTimeoutSeconds', 'maxOpenTimeoutSeconds', MAX_SECONDS));

/** The default circuits always exist; context tunes them or adds more. */
const circuits = recordOf(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case circuit name such as "rds-api"'),
  circuit,
  (given) => ({ ...Object.fromEntries(DEFAULT_CIRCUIT_NAMES.map((name) => [name, {}])), ...given }),
);

const restore = fields({
  approvalTimeoutSeconds: integerIn(60, 7 * MAX_SECONDS).default(DEFAULTS.restore.approvalTimeoutSeconds),
  allowApprovalSkip: booleanValue().default(DEFAULTS.restore.allowApprovalSkip),
  alarmMarginSeconds: integerIn(0, MAX_SECONDS).default(DEFAULTS.restore.alarmMarginSeconds),
  maxWaitSeconds: integerIn(60, 7 * MAX_SECONDS).default(DEFAULTS.restore.maxWaitSeconds),
  firstPollSeconds: integerIn(1, 3600).default(DEFAULTS.restore.firstPollSeconds),
  maxPollSeconds: integerIn(1, 3600).default(DEFAULTS.restore.maxPollSeconds),
  validationSampleSize: integerIn(0, 1000).default(DEFAULTS.restore.validationSampleSize),
  copySegments: integerIn(1, 32).default(DEFAULTS.restore.copySegments),
  recoveryTimeObjectiveSeconds: integerIn(60, 7 * MAX_SECONDS).default(DEFAULTS.restore.recoveryTimeObjectiveSeconds),
}).superRefine(notBelow('firstPollSeconds', 'maxPollSeconds', 3600));

const integrity = fields({
  schedule: scheduleExpression.default(DEFAULTS.integrity.schedule),
  itemDropPercent: integerIn(1, 100).default(DEFAULTS.integrity.itemDropPercent),
  minimumItemDrop: integerIn(1, 1_000_000).default(DEFAULTS.integrity.minimumItemDrop),
});

const drill = fields({
  schedule: scheduleExpression.default(DEFAULTS.drill.schedule),
  maxConcurrency: integerIn(1, 5).default(DEFAULTS.drill.maxConcurrency),
  leftoverMaxAgeHours: integerIn(1, 24 * 30).default(DEFAULTS.drill.leftoverMaxAgeHours),
});

/** API Gateway's default account limits: 10,000 requests per second, a burst of 5,000. */
const throttle = (defaults: ThrottleConfig) =>
  fields({
    rateLimit: integerIn(1, 10_000).default(defaults.rateLimit),
    burstLimit: integerIn(1, 5_000).default(defaults.burstLimit),
  }).prefault({});

const PRINCIPAL_RULE =
  'an IAM role or user ARN (arn:aws:iam::123456789012:role/NAME), an account root ARN, or a 12-digit account id';
const principal = z
  .string({ error: PRINCIPAL_RULE })
  .regex(/^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/-]{1,512}))$/, PRINCIPAL_RULE);
const VPC_ENDPOINT_RULE = 'a VPC endpoint id such as vpce-0123456789abcdef0';
const vpcEndpoint = z.string({ error: VPC_ENDPOINT_RULE }).regex(/^vpce-[0-9a-f]{8,17}$/, VPC_ENDPOINT_RULE);
const listOf = <T extends ZodType>(item: T, what: string) =>
  z.preprocess(decodeJsonObject, z.array(item, { error: `a list of ${what}` }).max(50, `at most 50 ${what}`));

const resourcePolicy = fields({
  allowedPrincipals: listOf(principal, 'principals').default([]),
  sourceVpcEndpoints: listOf(vpcEndpoint, 'VPC endpoint ids').default([]),
}).superRefine((policy, context) => {
  if (policy.allowedPrincipals.length + policy.sourceVpcEndpoints.length === 0) {
    context.addIssue({
      code: 'custom',
      path: ['allowedPrincipals'],
      message: 'at least one principal or VPC endpoint (omit resourcePolicy for none)',
    });
  }
});

const api = fields({
  throttling: throttle(DEFAULTS.api.throttling),
  writeThrottling: throttle(DEFAULTS.api.writeThrottling),
  usagePlan: fields({
    requireApiKey: booleanValue().default(DEFAULTS.api.usagePlan.requireApiKey),
    quota: fields({
      limit: integerIn(1, 1_000_000_000),
      period: oneOf(['DAY', 'WEEK', 'MONTH']),
    }).optional(),
  }).prefault({}),
  resourcePolicy: resourcePolicy.optional(),
  accountLoggingRole: booleanValue().default(DEFAULTS.api.accountLoggingRole),
});

const STAGE_RULE = 'a lower-case name of 1..20 characters (a-z, 0-9, "-"), starting with a letter';

const stage = z
  .string({ error: STAGE_RULE })
  .regex(/^[a-z][a-z0-9-]{0,19}$/, STAGE_RULE)
  .refine((value) => !value.endsWith('-'), STAGE_RULE);

const configSchema = z.object({
  stage: stage.default(DEFAULTS.stage),
  pitr: fields({
    recoveryPeriodInDays: integerIn(1, 35).default(DEFAULTS.pitr.recoveryPeriodInDays),
    autoRemediate: booleanValue().default(DEFAULTS.pitr.autoRemediate),
    complianceSchedule: scheduleExpression.default(DEFAULTS.pitr.complianceSchedule),
  }).prefault({}),
  encryption: oneOf(['AWS_MANAGED', 'CUSTOMER_MANAGED']).default(DEFAULTS.encryption),
  capacity: capacity.prefault({}),
  circuits: circuits.prefault({}),
  inventoryRefreshSchedule: scheduleExpression.default(DEFAULTS.inventoryRefreshSchedule),
  costSnapshotSchedule: scheduleExpression.default(DEFAULTS.costSnapshotSchedule),
  costCacheTtlHours: integerIn(1, 168).default(DEFAULTS.costCacheTtlHours),
  alarmEmail: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.email('an e-mail address such as ops@example.com').optional(),
  ),
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).default(DEFAULTS.logRetentionDays),
  restore: restore.prefault({}),
  integrity: integrity.prefault({}),
  drill: drill.prefault({}),
  cloudTrail: fields({ createTrail: booleanValue().default(DEFAULTS.cloudTrail.createTrail) }).prefault({}),
  api: api.prefault({}),
});

const CONFIG_KEYS = Object.keys(configSchema.shape);

/**
 * Builds the config from a flat context map (`app.node.getAllContext()`). Unrelated context keys
 * (CDK feature flags) are ignored; unknown fields inside our objects are rejected to catch typos.
 */
export function parseConfig(context: Readonly<Record<string, unknown>>): OpsConfig {
  const { alarmEmail, ...config } = parseWithSchema(configSchema, applyDottedOverrides(context));
  return alarmEmail ? { ...config, alarmEmail } : config;
}

/** `dev` -> `Dev`, `prod-eu` -> `ProdEu`: the stage as it appears in stack names. */
export function stageLabel(stage: string): string {
  return stage
    .split('-')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Stack names of one stage, e.g. `RdsOps-Dev-Data`. */
export function stackName(stage: string, part: 'Data' | 'Workflows' | 'Monitoring' | 'Api' | 'Observability'): string {
  return `RdsOps-${stageLabel(stage)}-${part}`;
}

/** Our keys from the context, with dotted keys (`-c pitr.recoveryPeriodInDays=7`) set inside their objects. */
function applyDottedOverrides(context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    if (context[key] !== undefined) raw[key] = context[key];
  }
  const dotted = Object.keys(context)
    .filter((key) => key.includes('.') && CONFIG_KEYS.includes(key.split('.')[0]!))
    .sort((a, b) => a.split('.').length - b.split('.').length);
  for (const key of dotted) {
    const path = key.split('.');
    let target: Record<string, unknown> | undefined = raw;
    for (const segment of path.slice(0, -1)) {
      const next = decodeJsonObject(target[segment] ?? {});
      // Not an object: the schema reports that value itself, so there is no field to set in it.
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        target = undefined;
        break;
      }
      target[segment] = { ...next };
      target = target[segment] as Record<string, unknown>;
    }
    if (target) target[path[path.length - 1]!] = context[key];
  }
  return raw;
}
