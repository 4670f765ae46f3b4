import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_METRICS_NAMESPACE } from '../../handlers/shared/powertools';
import { HANDLER_METRICS_NAMESPACE, HandlerFunction } from '../../lib/constructs/handler-function';
import { nagFindings, scratchStack } from '../helpers/cdk';

const ENTRY = join(__dirname, 'fixtures', 'echo-handler.ts');

function build() {
  const stack = scratchStack();
  const handler = new HandlerFunction(stack, 'RefreshInventory', {
    entry: ENTRY,
    serviceName: 'inventory',
    logRetention: RetentionDays.TWO_WEEKS,
  });
  return { stack, handler };
}

describe('HandlerFunction', () => {
  it('runs Node.js 22 on arm64 with X-Ray, source maps, Powertools settings and its own log group', () => {
    // Act
    const { stack } = build();

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'inventory',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_METRICS_NAMESPACE: 'RdsOps/Handlers',
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
          POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
        },
      },
      LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  it('lets the Tracer put segments, and needs no PutMetricData for its EMF metrics', () => {
    // Act
    const { stack } = build();

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }),
        ]),
      },
    });
    const actions = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(actions).not.toContain('cloudwatch:PutMetricData');
    expect(HANDLER_METRICS_NAMESPACE).toBe(DEFAULT_METRICS_NAMESPACE);
  });

  it('binds a table: grants the access level on table and named index, and sets the variable', () => {
    // Prepare
    const { stack, handler } = build();
    const table = new Table(stack, 'Inventory', { partitionKey: { name: 'instanceId', type: AttributeType.STRING } });

    // Act
    handler.bindTable({ table, envVar: 'INVENTORY_TABLE_NAME', access: 'read', indexes: ['byEngine'] });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ INVENTORY_TABLE_NAME: { Ref: Match.anyValue() } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: [
              'dynamodb:GetItem',
              'dynamodb:BatchGetItem',
              'dynamodb:Query',
              'dynamodb:Scan',
              'dynamodb:ConditionCheckItem',
              'dynamodb:DescribeTable',
            ],
            Resource: [
              { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/index/byEngine']] },
            ],
          },
        ]),
      },
    });
    expect(() => handler.bindTable({ table, envVar: 'inventoryTable', access: 'write' })).toThrow(/UPPER_SNAKE_CASE/);
  });

  it('passes cdk-nag with only the X-Ray wildcard and the pinned runtime acknowledged', () => {
    // Act
    const { handler } = build();

    // Assess
    expect(nagFindings(handler)).toEqual([]);
  });

  it('refuses an entry that does not exist', () => {
    expect(() => new HandlerFunction(scratchStack(), 'Missing', { entry: 'nowhere/missing.ts' })).toThrow(
      /handlers\/nowhere\/missing\.ts does not exist/,
    );
  });

  it('bundles with the local esbuild, never Docker', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Bundled');
    new HandlerFunction(stack, 'Echo', { entry: ENTRY });

    // Act
    const assembly = app.synth();

    // Assess
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    expect(existsSync(join(assembly.directory, assets[0]!, 'index.js'))).toBe(true);
    expect(existsSync(join(assembly.directory, assets[0]!, 'index.js.map'))).toBe(true);
  });
});
