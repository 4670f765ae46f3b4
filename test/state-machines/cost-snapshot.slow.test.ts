import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { findProtectedCalls, protectedCallSubstitutions } from '../../lib/circuit-breaker';
import { DEFAULT_CIRCUIT } from '../../lib/config';
import { findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { danglingTargets, unreachableStates } from '../helpers/asl-graph';
import { synthApp } from '../helpers/cdk';
import { BREAKER_ARN, STATE_MACHINES, substitutedDefinition, validateAsl } from './asl-fixtures';

type AslStates = Record<string, Record<string, unknown>>;
const text = readFileSync(join(STATE_MACHINES, 'cost-snapshot.asl.json'), 'utf8');

function substitutions(tableFailPolicy: 'FAIL_OPEN' | 'FAIL_CLOSED' = 'FAIL_OPEN'): Record<string, string> {
  const [call] = findProtectedCalls(JSON.parse(text), 'cost-snapshot');
  return {
    PlanCostSnapshotFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:plan-cost-snapshot',
    SaveCostPageFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:save-cost-page',
    MetricsCacheTableName: 'metrics-cache',
    AuditLogTableName: 'audit-log',
    CircuitBreakerArn: BREAKER_ARN,
    ...protectedCallSubstitutions(call!, { ...DEFAULT_CIRCUIT, tableFailPolicy }),
  };
}

describe('cost-snapshot.asl.json', () => {
  const definition = substitutedDefinition(text, substitutions()) as { StartAt: string; States: AslStates };

  it('validates with asl-validator, JSONPath only', () => {
    expect(validateAsl(definition, { checkArn: true, checkPaths: true }).errorsText()).toBe('');
    expect(findUnsupportedFeatures(definition)).toEqual([]);
  });

  it.each(['FAIL_OPEN', 'FAIL_CLOSED'] as const)('has no dangling or unreachable states under %s', (policy) => {
    const filled = substitutedDefinition(text, substitutions(policy)) as { StartAt: string; States: AslStates };

    expect(danglingTargets(filled)).toEqual([]);
    expect(unreachableStates(filled)).toEqual([]);
  });

  it('asks the cost-explorer circuit before every page of GetCostAndUsageWithResources', () => {
    const calls = findProtectedCalls(JSON.parse(text), 'cost-snapshot');

    expect(calls.map((call) => [call.circuit, call.protectedState])).toEqual([
      ['cost-explorer', 'Get a page of RDS costs per instance'],
    ]);
    expect(definition.States['Get a page of RDS costs per instance']!.Resource).toBe(
      'arn:aws:states:::aws-sdk:costexplorer:getCostAndUsageWithResources',
    );
    expect(definition.States['Ask for the next page of RDS costs']!.Next).toBe('Check the Cost Explorer circuit');
  });

  it('queries one day of the RDS service per resource, and the next page asks for the same query', () => {
    const plan = definition.States['Plan the cost snapshot']!.ResultSelector as { request: Record<string, unknown> };
    const next = definition.States['Ask for the next page of RDS costs']!.Parameters as Record<string, string>;

    expect(plan.request).toEqual({
      TimePeriod: { 'Start.$': '$.Payload.date', 'End.$': '$.Payload.end' },
      Granularity: 'DAILY',
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Relational Database Service'] } },
      GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
      Metrics: ['UnblendedCost', 'AmortizedCost'],
    });
    expect(Object.keys(next).sort()).toEqual(
      [...Object.keys(plan.request).map((key) => `${key}.$`), 'NextPageToken.$'].sort(),
    );
  });
});

describe('CostSnapshotWorkflow template', () => {
  const { workflows } = synthApp();

  it('starts daily on costSnapshotSchedule with a constant input and the dead-letter queue', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 6 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^CostSnapshotStateMachine') },
          Input: JSON.stringify({ trigger: 'schedule' }),
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      ],
    });
  });

  it('grants ce:GetCostAndUsageWithResources on * in a policy of its own, and the saver PutItem on cost-snapshots only', () => {
    workflows.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CostSnapshotStateMachineRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'ce:GetCostAndUsageWithResources', Resource: '*' })] },
    });
    workflows.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CostSnapshotSaveCostPageRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:PutItem',
            Resource: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('CostSnapshots') }),
          }),
        ]),
      },
    });
  });

  it('hands the plan handler the cache TTL from config', () => {
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COST_CACHE_TTL_HOURS: '26' }) },
    });
  });
});
