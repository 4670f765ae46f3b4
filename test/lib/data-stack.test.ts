import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';
import { synthApp } from '../helpers/cdk';

/** Tables found by their partition (and optional sort) key, never by logical id. */
function tablesKeyedBy(template: Template, partitionKey: string, sortKey?: string): Record<string, unknown>[] {
  const keySchema = [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
  ];
  return Object.values(
    template.findResources('AWS::DynamoDB::Table', { Properties: { KeySchema: Match.exact(keySchema) } }),
  );
}

/** Asserts the one table with these keys has the properties (deep objectLike, arrays exact). */
function expectTable(template: Template, keys: [string, string?], properties: Record<string, unknown>): void {
  const [partitionKey, sortKey] = keys;
  expect(tablesKeyedBy(template, partitionKey, sortKey)).toHaveLength(1);
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: Match.exact([
      { AttributeName: partitionKey, KeyType: 'HASH' },
      ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
    ]),
    ...properties,
  });
}

describe('DataStack with default config', () => {
  const { data, dataStack } = synthApp();

  it('has the eight tables and no physical table names', () => {
    // Assess
    data.resourceCountIs('AWS::DynamoDB::Table', 8);
    data.allResourcesProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
    expect(Object.keys(dataStack.tables).sort()).toEqual([
      'auditLog',
      'circuitBreakers',
      'coordination',
      'costSnapshots',
      'healthAlerts',
      'metricsCache',
      'rdsApprovals',
      'rdsInventory',
    ]);
  });

  it('tags every table with its id, since its name is generated', () => {
    expectTable(data, ['circuit'], { Tags: Match.arrayWith([{ Key: 'rds-ops:table', Value: 'circuitBreakers' }]) });
    expectTable(data, ['subject', 'at'], { Tags: Match.arrayWith([{ Key: 'rds-ops:table', Value: 'auditLog' }]) });
  });

  it('enables PITR with a 35-day period on exactly the five critical tables', () => {
    // Assess
    const pitrOn = { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 } };
    data.resourcePropertiesCountIs('AWS::DynamoDB::Table', pitrOn, 5);
    const critical: [string, string?][] = [
      ['instanceId'],
      ['alertId'],
      ['subject', 'at'],
      ['instanceId', 'date'],
      ['requestId'],
    ];
    for (const keys of critical) expectTable(data, keys, pitrOn);
  });

  it('leaves PITR off on metrics-cache, circuit-breakers and coordination, which expire items by TTL instead', () => {
    // Assess
    for (const pk of ['cacheKey', 'circuit', 'key']) {
      expectTable(data, [pk], {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    }
    data.resourcePropertiesCountIs('AWS::DynamoDB::Table', { TimeToLiveSpecification: Match.anyValue() }, 3);
  });

  it('keys every table and index as the access patterns need', () => {
    // Assess
    const gsi = (name: string, pk: string, sk: string) =>
      Match.objectLike({
        IndexName: name,
        KeySchema: [
          { AttributeName: pk, KeyType: 'HASH' },
          { AttributeName: sk, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    expectTable(data, ['instanceId'], { GlobalSecondaryIndexes: [gsi('byEngine', 'engine', 'instanceId')] });
    expectTable(data, ['alertId'], { GlobalSecondaryIndexes: [gsi('byInstance', 'instanceId', 'raisedAt')] });
    expectTable(data, ['subject', 'at'], { GlobalSecondaryIndexes: [gsi('byActor', 'actor', 'at')] });
    expectTable(data, ['requestId'], { GlobalSecondaryIndexes: [gsi('byStatus', 'status', 'requestedAt')] });
    expectTable(data, ['instanceId', 'date'], { GlobalSecondaryIndexes: Match.absent() });
  });

  it('protects every table: deletion protection, retained on delete and replace, AWS managed encryption', () => {
    // Assess
    data.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      }),
    });
    data.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('exports every table name and ARN', () => {
    // Assess
    for (const name of [
      'RdsInventory',
      'HealthAlerts',
      'AuditLog',
      'CostSnapshots',
      'RdsApprovals',
      'MetricsCache',
      'CircuitBreakers',
    ]) {
      data.hasOutput(`${name}TableName`, { Export: { Name: `RdsOps-Dev-Data-${name}TableName` } });
      data.hasOutput(`${name}TableArn`, { Export: { Name: `RdsOps-Dev-Data-${name}TableArn` } });
    }
  });

  it('alarms on throttling of each table', () => {
    // Assess
    data.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      Match.objectLike({
        Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(reads, 0) + FILL(writes, 0)' })]),
      }),
      8,
    );
  });
});

describe('DataStack with configured protection and capacity', () => {
  it('uses the configured PITR recovery period', () => {
    // Act
    const { data } = synthApp({ 'pitr.recoveryPeriodInDays': '7' });

    // Assess
    data.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } },
      5,
    );
  });

  it('encrypts every table with one retained, rotated customer-managed key when asked', () => {
    // Act
    const { data } = synthApp({ encryption: 'CUSTOMER_MANAGED' });

    // Assess
    data.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    data.allResourcesProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      },
    });
  });

  it('turns provisioned config into scalable targets and target-tracking policies for table and indexes', () => {
    // Act
    const { data } = synthApp({
      capacity: {
        auditLog: {
          mode: 'PROVISIONED',
          read: { min: 5, max: 50 },
          write: { min: 2, max: 20 },
          targetUtilizationPercent: 60,
        },
      },
    });

    // Assess: table + one GSI, each with a read and a write target
    expectTable(data, ['subject', 'at'], {
      BillingMode: Match.absent(), // CloudFormation's default is PROVISIONED
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: [
        Match.objectLike({ ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 } }),
      ],
    });
    data.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalableTarget',
      {
        ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
        MinCapacity: 5,
        MaxCapacity: 50,
        ServiceNamespace: 'dynamodb',
      },
      1,
    );
    data.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalableTarget',
      { ScalableDimension: 'dynamodb:index:WriteCapacityUnits', MinCapacity: 2, MaxCapacity: 20 },
      1,
    );
    data.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 4);
    data.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalingPolicy',
      {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' },
        },
      },
      2,
    );
    data.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 4);
    // the other tables stay on-demand
    data.resourcePropertiesCountIs('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' }, 7);
  });

  it('caps on-demand throughput of table and indexes with the configured maxima', () => {
    // Act
    const { data } = synthApp({
      capacity: { default: { mode: 'ON_DEMAND', maxReadRequestUnits: 200, maxWriteRequestUnits: 50 } },
    });

    // Assess
    const cap = { MaxReadRequestUnits: 200, MaxWriteRequestUnits: 50 };
    data.allResourcesProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST', OnDemandThroughput: cap });
    expectTable(data, ['requestId'], { GlobalSecondaryIndexes: [Match.objectLike({ OnDemandThroughput: cap })] });
    data.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  it('fails synth on invalid config with a message naming key, range and value', () => {
    // Act / Assess
    expect(() => createApp({ context: { 'pitr.recoveryPeriodInDays': '90' }, skipBundling: true, nag: false })).toThrow(
      'Invalid config "pitr.recoveryPeriodInDays": expected an integer from 1 to 35, got "90".',
    );
  });
});

describe('stack names', () => {
  it('prefixes the stacks with the PascalCase stage', () => {
    // Act
    const { dataStack, workflowsStack, monitoringStack } = synthApp({ stage: 'prod-eu' });

    // Assess
    expect([dataStack.stackName, workflowsStack.stackName, monitoringStack.stackName]).toEqual([
      'RdsOps-ProdEu-Data',
      'RdsOps-ProdEu-Workflows',
      'RdsOps-ProdEu-Monitoring',
    ]);
  });
});
