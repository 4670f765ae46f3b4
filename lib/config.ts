/**
 * Typed, validated configuration of the app, read from CDK context: `cdk.json` holds the defaults,
 * `-c key=value` overrides them (objects as JSON strings, or one field at a time with `-c pitr.recoveryPeriodInDays=7`).
 */
import { InvalidConfigError } from './errors';

export { InvalidConfigError } from './errors';

/** The seven tables of the data stack, by construct id. */
export const TABLE_IDS = [
  'rdsInventory',
  'healthAlerts',
  'auditLog',
  'costSnapshots',
  'rdsApprovals',
  'metricsCache',
  'circuitBreakers',
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

export interface OpsConfig {
  /** Lower-case stage name; stacks are named `RdsOps-<Stage>-...`. */
  readonly stage: string;
  readonly pitr: { readonly recoveryPeriodInDays: number };
  readonly encryption: EncryptionMode;
  /** Resolved capacity of every table (`default` applied where no override was given). */
  readonly capacity: Readonly<{ default: TableCapacity } & Record<TableId, TableCapacity>>;
  readonly circuits: Readonly<Record<string, CircuitConfig>>;
  /** EventBridge schedule expression of the inventory refresh. */
  readonly inventoryRefreshSchedule: string;
  /** Where alarm notifications are mailed. @default - no subscription */
  readonly alarmEmail?: string;
  /** Retention of every log group (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
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
  pitr: { recoveryPeriodInDays: 35 },
  encryption: 'AWS_MANAGED' as EncryptionMode,
  capacity: { default: { mode: 'ON_DEMAND' } as TableCapacity },
  inventoryRefreshSchedule: 'rate(15 minutes)',
  logRetentionDays: 30,
};

/** The CloudWatch Logs retention values (days) that a log group accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** DynamoDB's default per-table throughput quota; capacities beyond it would fail at deploy. */
const MAX_CAPACITY_UNITS = 40_000;
const CONFIG_KEYS = [
  'stage',
  'pitr',
  'encryption',
  'capacity',
  'circuits',
  'inventoryRefreshSchedule',
  'alarmEmail',
  'logRetentionDays',
] as const;

/**
 * Builds the config from a flat context map (`app.node.getAllContext()`). Unrelated context keys
 * (CDK feature flags) are ignored; unknown fields inside our objects are rejected to catch typos.
 */
export function parseConfig(context: Readonly<Record<string, unknown>>): OpsConfig {
  const raw = applyDottedOverrides(context);
  const stage = parseStage(raw.stage);
  const pitrRaw = objectAt('pitr', raw.pitr ?? {});
  knownKeys('pitr', pitrRaw, ['recoveryPeriodInDays']);
  const alarmEmail = raw.alarmEmail === undefined || raw.alarmEmail === '' ? undefined : parseEmail(raw.alarmEmail);

  return {
    stage,
    pitr: {
      recoveryPeriodInDays: intIn(
        'pitr.recoveryPeriodInDays',
        pitrRaw.recoveryPeriodInDays ?? DEFAULTS.pitr.recoveryPeriodInDays,
        1,
        35,
      ),
    },
    encryption: oneOf('encryption', raw.encryption ?? DEFAULTS.encryption, ['AWS_MANAGED', 'CUSTOMER_MANAGED']),
    capacity: parseCapacity(raw.capacity ?? {}),
    circuits: parseCircuits(raw.circuits ?? {}),
    inventoryRefreshSchedule: parseSchedule(
      'inventoryRefreshSchedule',
      raw.inventoryRefreshSchedule ?? DEFAULTS.inventoryRefreshSchedule,
    ),
    ...(alarmEmail ? { alarmEmail } : {}),
    logRetentionDays: oneOf('logRetentionDays', toNumber(raw.logRetentionDays ?? DEFAULTS.logRetentionDays), [
      ...LOG_RETENTION_DAYS,
    ]),
  };
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
export function stackName(stage: string, part: 'Data' | 'Workflows' | 'Monitoring'): string {
  return `RdsOps-${stageLabel(stage)}-${part}`;
}

function applyDottedOverrides(context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    if (context[key] !== undefined) raw[key] = context[key];
  }
  const dotted = Object.keys(context)
    .filter((key) => key.includes('.') && (CONFIG_KEYS as readonly string[]).includes(key.split('.')[0]!))
    .sort((a, b) => a.split('.').length - b.split('.').length);
  for (const key of dotted) {
    const path = key.split('.');
    let target = raw;
    let at = '';
    for (const segment of path.slice(0, -1)) {
      at = at ? `${at}.${segment}` : segment;
      const next = target[segment] === undefined ? {} : objectAt(at, target[segment]);
      target[segment] = { ...next };
      target = target[segment] as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = context[key];
  }
  return raw;
}

function parseStage(value: unknown): string {
  const stage = value ?? DEFAULTS.stage;
  if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage) || stage.endsWith('-')) {
    throw new InvalidConfigError(
      'stage',
      'a lower-case name of 1..20 characters (a-z, 0-9, "-"), starting with a letter',
      value,
    );
  }
  return stage;
}

function parseEmail(value: unknown): string {
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw new InvalidConfigError('alarmEmail', 'an e-mail address such as ops@example.com', value);
  }
  return value;
}

/** EventBridge accepts `rate(1 minute)` and `rate(5 minutes)` but not `rate(1 minutes)`; catch that here. */
function parseSchedule(key: string, value: unknown): string {
  const allowed = 'an EventBridge schedule: rate(<n> minute|minutes|hour|hours|day|days) or cron(...)';
  if (typeof value !== 'string') throw new InvalidConfigError(key, allowed, value);
  if (/^cron\(\S+( \S+){5}\)$/.test(value)) return value;
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(value);
  if (!rate) throw new InvalidConfigError(key, allowed, value);
  const amount = Number(rate[1]);
  if (amount < 1 || (amount === 1) !== (rate[3] === '')) {
    throw new InvalidConfigError(key, `${allowed}, singular unit only for 1 (rate(1 hour), rate(2 hours))`, value);
  }
  return value;
}

function parseCapacity(value: unknown): OpsConfig['capacity'] {
  const raw = objectAt('capacity', value);
  knownKeys('capacity', raw, ['default', ...TABLE_IDS]);
  const fallback =
    raw.default === undefined ? DEFAULTS.capacity.default : parseTableCapacity('capacity.default', raw.default);
  const resolved: Record<string, TableCapacity> = { default: fallback };
  for (const id of TABLE_IDS) {
    // An override replaces the default as a whole: mixing modes field by field would be ambiguous.
    resolved[id] = raw[id] === undefined ? fallback : parseTableCapacity(`capacity.${id}`, raw[id]);
  }
  return resolved as OpsConfig['capacity'];
}

function parseTableCapacity(key: string, value: unknown): TableCapacity {
  const raw = objectAt(key, value);
  const mode = oneOf(`${key}.mode`, raw.mode, ['ON_DEMAND', 'PROVISIONED']);
  if (mode === 'ON_DEMAND') {
    knownKeys(key, raw, ['mode', 'maxReadRequestUnits', 'maxWriteRequestUnits']);
    return {
      mode,
      ...optionalInt(`${key}.maxReadRequestUnits`, raw.maxReadRequestUnits, 'maxReadRequestUnits'),
      ...optionalInt(`${key}.maxWriteRequestUnits`, raw.maxWriteRequestUnits, 'maxWriteRequestUnits'),
    };
  }
  knownKeys(key, raw, ['mode', 'read', 'write', 'targetUtilizationPercent']);
  return {
    mode,
    read: parseRange(`${key}.read`, raw.read),
    write: parseRange(`${key}.write`, raw.write),
    targetUtilizationPercent: intIn(
      `${key}.targetUtilizationPercent`,
      raw.targetUtilizationPercent ?? DEFAULT_TARGET_UTILIZATION_PERCENT,
      20,
      90,
    ),
  };
}

function optionalInt(key: string, value: unknown, field: string): Record<string, number> {
  return value === undefined ? {} : { [field]: intIn(key, value, 1, MAX_CAPACITY_UNITS) };
}

function parseRange(key: string, value: unknown): CapacityRange {
  const raw = objectAt(key, value);
  knownKeys(key, raw, ['min', 'max']);
  const min = intIn(`${key}.min`, raw.min, 1, MAX_CAPACITY_UNITS);
  const max = intIn(`${key}.max`, raw.max, min, MAX_CAPACITY_UNITS);
  return { min, max };
}

function parseCircuits(value: unknown): Record<string, CircuitConfig> {
  const raw = objectAt('circuits', value);
  const names = [...new Set([...DEFAULT_CIRCUIT_NAMES, ...Object.keys(raw)])];
  const circuits: Record<string, CircuitConfig> = {};
  for (const name of names) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) {
      throw new InvalidConfigError(`circuits.${name}`, 'a kebab-case circuit name such as "rds-api"', name);
    }
    circuits[name] = parseCircuit(`circuits.${name}`, raw[name] ?? {});
  }
  return circuits;
}

function parseCircuit(key: string, value: unknown): CircuitConfig {
  const raw = objectAt(key, value);
  knownKeys(key, raw, Object.keys(DEFAULT_CIRCUIT));
  const field = <K extends keyof CircuitConfig>(name: K): unknown => raw[name] ?? DEFAULT_CIRCUIT[name];
  const openTimeoutSeconds = intIn(`${key}.openTimeoutSeconds`, field('openTimeoutSeconds'), 1, 86_400);
  return {
    failureThreshold: intIn(`${key}.failureThreshold`, field('failureThreshold'), 1, 1000),
    successThreshold: intIn(`${key}.successThreshold`, field('successThreshold'), 1, 100),
    openTimeoutSeconds,
    openTimeoutGrowth: numberIn(`${key}.openTimeoutGrowth`, field('openTimeoutGrowth'), 1, 10),
    maxOpenTimeoutSeconds: intIn(
      `${key}.maxOpenTimeoutSeconds`,
      field('maxOpenTimeoutSeconds'),
      openTimeoutSeconds,
      86_400,
    ),
    failureWindowSeconds: intIn(`${key}.failureWindowSeconds`, field('failureWindowSeconds'), 1, 86_400),
    probeLeaseSeconds: intIn(`${key}.probeLeaseSeconds`, field('probeLeaseSeconds'), 1, 3600),
    tableFailPolicy: oneOf(`${key}.tableFailPolicy`, field('tableFailPolicy'), ['FAIL_OPEN', 'FAIL_CLOSED']),
  };
}

/** Objects may arrive as JSON strings from `-c key='{"a":1}'`. */
function objectAt(key: string, value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new InvalidConfigError(key, 'a JSON object', value, { cause: error });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidConfigError(key, 'an object', value);
  }
  return parsed as Record<string, unknown>;
}

function knownKeys(key: string, raw: Record<string, unknown>, allowed: readonly string[]): void {
  for (const field of Object.keys(raw)) {
    if (!allowed.includes(field)) {
      throw new InvalidConfigError(`${key}.${field}`, `one of the fields ${allowed.join(', ')}`, field);
    }
  }
}

/** Context values from `-c` are strings; accept "7" where 7 is meant. */
function toNumber(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

function numberIn(key: string, value: unknown, min: number, max: number): number {
  const n = toNumber(value);
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    throw new InvalidConfigError(key, `a number from ${min} to ${max}`, value);
  }
  return n;
}

function intIn(key: string, value: unknown, min: number, max: number): number {
  const n = toNumber(value);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InvalidConfigError(key, `an integer from ${min} to ${max}`, value);
  }
  return n;
}

function oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidConfigError(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
  }
  return value as T;
}
