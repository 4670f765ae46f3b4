import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { parseConfig } from '../../lib/config';
import { CircuitBreakerWorkflow } from '../../lib/workflows/circuit-breaker-workflow';
import { InventoryRefreshWorkflow } from '../../lib/workflows/inventory-refresh-workflow';
import { scratchStack } from '../helpers/cdk';

function build(stack: Stack) {
  const table = (id: string, pk: string, sk?: string) =>
    new Table(stack, id, {
      partitionKey: { name: pk, type: AttributeType.STRING },
      ...(sk ? { sortKey: { name: sk, type: AttributeType.STRING } } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
    });
  const tables = { rdsInventory: table('Inventory', 'instanceId'), auditLog: table('Audit', 'subject', 'at') };
  const config = parseConfig({});
  const circuitBreaker = new CircuitBreakerWorkflow(stack, 'CircuitBreaker', {
    config,
    circuitTable: table('Circuits', 'circuit'),
    eventBus: EventBus.fromEventBusName(stack, 'Bus', 'default'),
    logRetention: RetentionDays.ONE_MONTH,
  });
  return new InventoryRefreshWorkflow(stack, 'InventoryRefresh', {
    stack: {
      config,
      tables,
      circuitBreaker,
      deadLetterQueue: new Queue(stack, 'Dlq'),
      defaults: { logRetention: RetentionDays.ONE_MONTH },
    },
  });
}

describe('InventoryRefreshWorkflow', () => {
  const stack = scratchStack();
  build(stack);
  const template = Template.fromStack(stack);
  const ref = (id: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${id}`), 'Arn'] });

  it('deploys the ASL file as a Standard state machine, logged and traced, handing the breaker its circuit settings', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      DefinitionSubstitutions: Match.objectLike({
        CircuitBreakerArn: { Ref: Match.stringLikeRegexp('^CircuitBreakerStateMachine') },
        RdsApiCircuitSettings: Match.stringLikeRegexp('failureThreshold\\\\":5,.*tableFailPolicy\\\\":\\\\"FAIL_OPEN'),
        RdsApiCircuitWhenBreakerUnavailable: 'List RDS instances',
      }),
    });
  });

  it("deploys the page saver as an Express machine with a timeout below the refresh call's 150 s", () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      DefinitionString: Match.stringLikeRegexp('"TimeoutSeconds": ?120'),
      DefinitionSubstitutions: { InventoryTableName: { Ref: Match.stringLikeRegexp('^Inventory') } },
    });
  });

  it('deploys the breaker as one Express machine, logged at level ALL with execution data and traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      DefinitionSubstitutions: {
        CircuitTableName: { Ref: Match.stringLikeRegexp('^Circuits') },
        EventBusName: 'default',
      },
    });
  });

  it('lets the workflow only start the breaker and its page saver synchronously, and the breaker only touch its table, bus and namespace', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'states:StartSyncExecution',
            Resource: { Ref: Match.stringLikeRegexp('^CircuitBreakerStateMachine') },
          }),
          Match.objectLike({
            Action: 'states:StartSyncExecution',
            Resource: { Ref: Match.stringLikeRegexp('^InventoryRefreshSavePageStateMachine') },
          }),
          Match.objectLike({ Action: 'dynamodb:PutItem', Resource: ref('Audit') }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'dynamodb:UpdateItem', Resource: ref('Inventory') })]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^InventoryRefreshSavePageRole') }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: ref('Circuits'),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'RdsOps/CircuitBreaker' } },
          }),
        ],
      },
    });
  });

  it('grants rds:DescribeDBInstances on * in a policy of its own (acknowledged with a reason)', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'rds:DescribeDBInstances', Resource: '*' })] },
    });
  });

  it('gives the reconcile handler Scan and UpdateItem on the inventory only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['dynamodb:Scan', 'dynamodb:UpdateItem'], Resource: ref('Inventory') }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ INVENTORY_TABLE_NAME: { Ref: Match.stringLikeRegexp('^Inventory') } }),
      },
    });
  });

  it('starts every 15 minutes with a constant input and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Input: JSON.stringify({ trigger: 'schedule' }),
          DeadLetterConfig: { Arn: ref('Dlq') },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        }),
      ],
    });
  });
});
