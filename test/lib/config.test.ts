import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CIRCUIT,
  InvalidConfigError,
  type OpsConfig,
  parseConfig,
  stackName,
  stageLabel,
  TABLE_IDS,
} from '../../lib/config';

function configError(context: Record<string, unknown>): InvalidConfigError {
  try {
    parseConfig(context);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error(`expected InvalidConfigError for ${JSON.stringify(context)}`);
}

describe('parseConfig defaults', () => {
  it('gives a complete config from empty context', () => {
    // Act
    const config = parseConfig({});

    // Assess
    expect(config).toMatchObject<Partial<OpsConfig>>({
      stage: 'dev',
      pitr: { recoveryPeriodInDays: 35, autoRemediate: true, complianceSchedule: 'rate(1 hour)' },
      encryption: 'AWS_MANAGED',
      inventoryRefreshSchedule: 'rate(15 minutes)',
      costSnapshotSchedule: 'cron(30 6 * * ? *)',
      costCacheTtlHours: 26,
      logRetentionDays: 30,
    });
    expect(config.alarmEmail).toBeUndefined();
    for (const id of TABLE_IDS) expect(config.capacity[id]).toEqual({ mode: 'ON_DEMAND' });
    expect(config.circuits['rds-api']).toEqual(DEFAULT_CIRCUIT);
    expect(config.circuits['cost-explorer']).toEqual(DEFAULT_CIRCUIT);
  });

  it('matches the defaults written in cdk.json, so the two cannot drift apart', () => {
    // Prepare
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));

    // Act / Assess
    expect(parseConfig(cdkJson.context)).toEqual(parseConfig({}));
  });
});

describe('parseConfig overrides', () => {
  it('accepts objects as JSON strings and numbers as strings, as `-c` delivers them', () => {
    // Act
    const config = parseConfig({
      stage: 'prod-eu',
      pitr: '{"recoveryPeriodInDays": "7"}',
      encryption: 'CUSTOMER_MANAGED',
      logRetentionDays: '90',
      alarmEmail: 'ops@example.com',
    });

    // Assess
    expect(config.stage).toBe('prod-eu');
    expect(config.pitr.recoveryPeriodInDays).toBe(7);
    expect(config.encryption).toBe('CUSTOMER_MANAGED');
    expect(config.logRetentionDays).toBe(90);
    expect(config.alarmEmail).toBe('ops@example.com');
  });

  it('applies dotted keys on top of the objects they belong to', () => {
    // Act
    const config = parseConfig({
      pitr: { recoveryPeriodInDays: 35 },
      'pitr.recoveryPeriodInDays': '14',
      'circuits.rds-api.failureThreshold': '3',
    });

    // Assess
    expect(config.pitr.recoveryPeriodInDays).toBe(14);
    expect(config.circuits['rds-api']).toEqual({ ...DEFAULT_CIRCUIT, failureThreshold: 3 });
  });

  it('uses the default capacity for every table without an override', () => {
    // Act
    const config = parseConfig({
      capacity: {
        default: { mode: 'ON_DEMAND', maxReadRequestUnits: 100 },
        auditLog: { mode: 'PROVISIONED', read: { min: 5, max: 50 }, write: { min: 2, max: 20 } },
      },
    });

    // Assess
    expect(config.capacity.auditLog).toEqual({
      mode: 'PROVISIONED',
      read: { min: 5, max: 50 },
      write: { min: 2, max: 20 },
      targetUtilizationPercent: 70,
    });
    expect(config.capacity.rdsInventory).toEqual({ mode: 'ON_DEMAND', maxReadRequestUnits: 100 });
  });

  it('merges circuit settings with the defaults and keeps the default circuits', () => {
    // Act
    const config = parseConfig({
      circuits: { 'cost-explorer': { openTimeoutGrowth: 2, tableFailPolicy: 'FAIL_CLOSED' }, 'sns-publish': {} },
    });

    // Assess
    expect(Object.keys(config.circuits).sort()).toEqual(['cost-explorer', 'rds-api', 'sns-publish']);
    expect(config.circuits['cost-explorer']).toEqual({
      ...DEFAULT_CIRCUIT,
      openTimeoutGrowth: 2,
      tableFailPolicy: 'FAIL_CLOSED',
    });
  });

  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(2 hours)', 'cron(0 6 * * ? *)'])('accepts schedule %s', (s) => {
    expect(parseConfig({ inventoryRefreshSchedule: s }).inventoryRefreshSchedule).toBe(s);
  });

  it('accepts the cron forms EventBridge documents (L, W, #, names, ranges, steps)', () => {
    for (const schedule of ['cron(0 18 ? * MON-FRI *)', 'cron(15 10 L * ? *)', 'cron(0 8 ? * 6#3 2026-2030)']) {
      expect(parseConfig({ inventoryRefreshSchedule: schedule }).inventoryRefreshSchedule).toBe(schedule);
    }
  });

  it('treats an empty alarmEmail as none, as `-c alarmEmail=` gives it', () => {
    expect(parseConfig({ alarmEmail: '' })).not.toHaveProperty('alarmEmail');
  });

  it('reads the API settings: limits, usage plan and resource policy, one field at a time or as JSON', () => {
    // Act
    const config = parseConfig({
      'api.throttling.rateLimit': '100',
      'api.usagePlan.requireApiKey': 'true',
      'api.usagePlan.quota': '{"limit": 10000, "period": "DAY"}',
      api: {
        resourcePolicy: {
          allowedPrincipals: ['arn:aws:iam::123456789012:role/dashboard', '210987654321'],
          sourceVpcEndpoints: ['vpce-0123456789abcdef0'],
        },
      },
    });

    // Assess
    expect(config.api).toEqual({
      throttling: { rateLimit: 100, burstLimit: 40 },
      writeThrottling: { rateLimit: 2, burstLimit: 5 },
      usagePlan: { requireApiKey: true, quota: { limit: 10000, period: 'DAY' } },
      resourcePolicy: {
        allowedPrincipals: ['arn:aws:iam::123456789012:role/dashboard', '210987654321'],
        sourceVpcEndpoints: ['vpce-0123456789abcdef0'],
      },
      accountLoggingRole: true,
    });
  });

  it('has no API resource policy unless one is configured', () => {
    expect(parseConfig({}).api.resourcePolicy).toBeUndefined();
    expect(parseConfig({}).api.usagePlan).toEqual({ requireApiKey: false });
  });

  it('labels stacks with the stage in PascalCase', () => {
    expect(stageLabel('prod-eu')).toBe('ProdEu');
    expect(stackName('dev', 'Data')).toBe('RdsOps-Dev-Data');
  });
});

describe('parseConfig rejects bad config with the key, the allowed range and the value', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'PITR period too long',
      { pitr: { recoveryPeriodInDays: 36 } },
      'pitr.recoveryPeriodInDays',
      /integer from 1 to 35, got 36/,
    ],
    ['PITR period zero', { 'pitr.recoveryPeriodInDays': '0' }, 'pitr.recoveryPeriodInDays', /from 1 to 35, got "0"/],
    ['unknown PITR field', { pitr: { recoveryPeriod: 7 } }, 'pitr.recoveryPeriod', /recoveryPeriodInDays/],
    ['unknown encryption', { encryption: 'KMS' }, 'encryption', /"AWS_MANAGED", "CUSTOMER_MANAGED", got "KMS"/],
    [
      'target utilization above 90',
      {
        capacity: {
          default: {
            mode: 'PROVISIONED',
            read: { min: 1, max: 5 },
            write: { min: 1, max: 5 },
            targetUtilizationPercent: 95,
          },
        },
      },
      'capacity.default.targetUtilizationPercent',
      /from 20 to 90, got 95/,
    ],
    [
      'max below min',
      { capacity: { auditLog: { mode: 'PROVISIONED', read: { min: 10, max: 5 }, write: { min: 1, max: 5 } } } },
      'capacity.auditLog.read.max',
      /from 10 to 40000, got 5/,
    ],
    ['unknown table', { capacity: { inventory: { mode: 'ON_DEMAND' } } }, 'capacity.inventory', /rdsInventory/],
    [
      'unknown capacity mode',
      { capacity: { default: { mode: 'AUTO' } } },
      'capacity.default.mode',
      /"ON_DEMAND", "PROVISIONED"/,
    ],
    [
      'on-demand field on provisioned',
      { capacity: { default: { mode: 'PROVISIONED', maxReadRequestUnits: 5 } } },
      'capacity.default.maxReadRequestUnits',
      /read, write, targetUtilizationPercent/,
    ],
    ['capacity not JSON', { capacity: '{mode: ON_DEMAND}' }, 'capacity', /a JSON object/],
    [
      'zero failure threshold',
      { circuits: { 'rds-api': { failureThreshold: 0 } } },
      'circuits.rds-api.failureThreshold',
      /from 1 to 1000/,
    ],
    [
      'growth below 1',
      { circuits: { 'rds-api': { openTimeoutGrowth: 0.5 } } },
      'circuits.rds-api.openTimeoutGrowth',
      /number from 1 to 10/,
    ],
    [
      'max open timeout below open timeout',
      { circuits: { 'rds-api': { openTimeoutSeconds: 600, maxOpenTimeoutSeconds: 60 } } },
      'circuits.rds-api.maxOpenTimeoutSeconds',
      /from 600 to 86400/,
    ],
    [
      'bad fail policy',
      { circuits: { 'rds-api': { tableFailPolicy: 'OPEN' } } },
      'circuits.rds-api.tableFailPolicy',
      /FAIL_OPEN/,
    ],
    ['circuit name not kebab-case', { circuits: { RdsApi: {} } }, 'circuits.RdsApi', /kebab-case/],
    ['plural unit for 1', { inventoryRefreshSchedule: 'rate(1 minutes)' }, 'inventoryRefreshSchedule', /singular unit/],
    [
      'cron minute and hour out of range',
      { inventoryRefreshSchedule: 'cron(99 99 * * ? *)' },
      'inventoryRefreshSchedule',
      /EventBridge schedule expression \(minutes value "99" is not in 0-59; .*\), got "cron\(99 99 \* \* \? \*\)"/,
    ],
    [
      'cron with both day fields',
      { inventoryRefreshSchedule: 'cron(0 6 * * MON *)' },
      'inventoryRefreshSchedule',
      /day-of-month and day-of-week are both set/,
    ],
    ['cron with five fields', { inventoryRefreshSchedule: 'cron(0 6 * * ?)' }, 'inventoryRefreshSchedule', /6 fields/],
    [
      'cost schedule out of range',
      { costSnapshotSchedule: 'cron(30 25 * * ? *)' },
      'costSnapshotSchedule',
      /hours value "25" is not in 0-23/,
    ],
    [
      'cost cache TTL beyond a week',
      { costCacheTtlHours: 200 },
      'costCacheTtlHours',
      /an integer from 1 to 168, got 200/,
    ],
    ['cost cache TTL not whole', { costCacheTtlHours: 1.5 }, 'costCacheTtlHours', /an integer from 1 to 168, got 1.5/],
    [
      'schedule not text',
      { inventoryRefreshSchedule: 42 },
      'inventoryRefreshSchedule',
      /such as rate\(15 minutes\), got 42/,
    ],
    [
      'misspelt field next to a missing one',
      { capacity: { default: { mode: 'PROVISIONED', reads: { min: 1, max: 5 }, write: { min: 1, max: 5 } } } },
      'capacity.default.reads',
      /one of the fields mode, read, write, targetUtilizationPercent, got "reads"/,
    ],
    [
      'provisioned without ranges',
      { 'capacity.default.mode': 'PROVISIONED' },
      'capacity.default.read',
      /expected an object, got nothing/,
    ],
    [
      'value inside JSON text',
      { circuits: '{"rds-api": {"failureThreshold": "many"}}' },
      'circuits.rds-api.failureThreshold',
      /from 1 to 1000, got "many"/,
    ],
    [
      'fraction where an integer is needed',
      { 'pitr.recoveryPeriodInDays': '3.5' },
      'pitr.recoveryPeriodInDays',
      /got "3.5"/,
    ],
    ['stage ending in a dash', { stage: 'prod-' }, 'stage', /lower-case name/],
    ['not a schedule', { inventoryRefreshSchedule: 'every 15 minutes' }, 'inventoryRefreshSchedule', /rate\(/],
    ['retention CloudWatch does not offer', { logRetentionDays: 31 }, 'logRetentionDays', /30, 60/],
    ['stage with capitals', { stage: 'Prod' }, 'stage', /lower-case/],
    ['bad e-mail', { alarmEmail: 'ops-at-example' }, 'alarmEmail', /e-mail address/],
    ['API rate limit zero', { 'api.throttling.rateLimit': '0' }, 'api.throttling.rateLimit', /from 1 to 10000/],
    ['API burst above the account', { api: { throttling: { burstLimit: 9000 } } }, 'api.throttling.burstLimit', /5000/],
    [
      'quota period API Gateway does not offer',
      { api: { usagePlan: { quota: { limit: 1000, period: 'HOUR' } } } },
      'api.usagePlan.quota.period',
      /"DAY", "WEEK", "MONTH", got "HOUR"/,
    ],
    [
      'principal that is no IAM ARN',
      { api: { resourcePolicy: { allowedPrincipals: ['dashboard'] } } },
      'api.resourcePolicy.allowedPrincipals.0',
      /IAM role or user ARN .*, got "dashboard"/,
    ],
    [
      'principal of a group (IAM cannot name groups as principals)',
      { 'api.resourcePolicy': '{"allowedPrincipals": ["arn:aws:iam::123456789012:group/ops"]}' },
      'api.resourcePolicy.allowedPrincipals.0',
      /IAM role or user ARN/,
    ],
    [
      'VPC endpoint id malformed',
      { api: { resourcePolicy: { sourceVpcEndpoints: ['vpc-0123456789abcdef0'] } } },
      'api.resourcePolicy.sourceVpcEndpoints.0',
      /vpce-0123456789abcdef0, got "vpc-0123456789abcdef0"/,
    ],
    [
      'empty resource policy',
      { api: { resourcePolicy: {} } },
      'api.resourcePolicy.allowedPrincipals',
      /at least one principal or VPC endpoint/,
    ],
    [
      'API key flag not a boolean',
      { 'api.usagePlan.requireApiKey': 'yes' },
      'api.usagePlan.requireApiKey',
      /true or false/,
    ],
    ['unknown API field', { api: { throttle: { rateLimit: 5 } } }, 'api.throttle', /throttling, writeThrottling/],
  ])('%s', (_name, context, key, message) => {
    // Act
    const error = configError(context);

    // Assess
    expect(error.name).toBe('InvalidConfigError');
    expect(error.key).toBe(key);
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toMatch(message);
  });
});
