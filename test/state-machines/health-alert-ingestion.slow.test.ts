import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { findProtectedCalls, protectedCallStateNames, protectedCallSubstitutions } from '../../lib/circuit-breaker';
import { DEFAULT_CIRCUIT } from '../../lib/config';
import { findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { RDS_ALARM_PATTERN, RDS_EVENT_PATTERN } from '../../lib/workflows/health-alert-ingestion-workflow';
import { matchesEventPattern, parseEventPattern } from '../../local/events/event-pattern';
import { alarmEvent, rdsEvent } from '../../local/scenarios/health-events';
import { danglingTargets, unreachableStates } from '../helpers/asl-graph';
import { synthApp } from '../helpers/cdk';
import { BREAKER_ARN, STATE_MACHINES, substitutedDefinition, validateAsl } from './asl-fixtures';

type AslStates = Record<string, Record<string, unknown>>;
const text = readFileSync(join(STATE_MACHINES, 'health-alert-ingestion.asl.json'), 'utf8');
const GATE = protectedCallStateNames('RDS API');

function substitutions(tableFailPolicy: 'FAIL_OPEN' | 'FAIL_CLOSED' = 'FAIL_OPEN'): Record<string, string> {
  const [call] = findProtectedCalls(JSON.parse(text), 'health-alert-ingestion');
  return {
    DescribeHealthEventFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:describe-health-event',
    RecordHealthAlertFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:record-health-alert',
    InventoryTableName: 'rds-inventory',
    AuditLogTableName: 'audit-log',
    CircuitBreakerArn: BREAKER_ARN,
    ...protectedCallSubstitutions(call!, { ...DEFAULT_CIRCUIT, tableFailPolicy }),
  };
}

describe('health-alert-ingestion.asl.json', () => {
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

  it('protects only the RDS description with the rds-api circuit, and records the alert whatever the circuit says', () => {
    const calls = findProtectedCalls(JSON.parse(text), 'health-alert-ingestion');

    expect(calls.map((call) => [call.circuit, call.protectedState])).toEqual([
      ['rds-api', 'Describe the RDS instance'],
    ]);
    for (const state of [GATE.refused, GATE.success, GATE.failure]) {
      expect(definition.States[state]!.Next).toBe('Record the health alert');
    }
  });

  it('never retries the event reader on its own errors: a malformed event is not transient', () => {
    const retriers = definition.States['Read the health event']!.Retry as { ErrorEquals: string[] }[];

    expect(retriers.flatMap((retrier) => retrier.ErrorEquals)).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ]);
  });
});

describe('the ingestion rules match the events the workflow reads', () => {
  const alarms = parseEventPattern(JSON.parse(JSON.stringify(RDS_ALARM_PATTERN).replace('detailType', 'detail-type')));
  const rds = parseEventPattern(JSON.parse(JSON.stringify(RDS_EVENT_PATTERN).replace('detailType', 'detail-type')));

  it('matches alarms on an AWS/RDS metric, a metric-math one too, and no EC2 or composite alarm', () => {
    const mathAlarm = alarmEvent({
      metrics: [
        { id: 'e1', expression: 'm1 + m2' },
        { id: 'm1', metricStat: { metric: { namespace: 'AWS/EC2', name: 'CPUUtilization' } } },
        { id: 'm2', metricStat: { metric: { namespace: 'AWS/RDS', name: 'CPUUtilization' } } },
      ],
    });

    expect(matchesEventPattern(alarms, alarmEvent())).toBe(true);
    expect(matchesEventPattern(alarms, mathAlarm)).toBe(true);
    expect(matchesEventPattern(alarms, alarmEvent({ namespace: 'AWS/EC2' }))).toBe(false);
    expect(matchesEventPattern(alarms, alarmEvent({ metrics: [] }))).toBe(false);
  });

  it('matches instance and cluster events of the health categories only', () => {
    expect(matchesEventPattern(rds, rdsEvent({ categories: ['low storage'] }))).toBe(true);
    expect(matchesEventPattern(rds, rdsEvent({ cluster: true, categories: ['failover'] }))).toBe(true);
    expect(matchesEventPattern(rds, rdsEvent({ categories: ['backup'] }))).toBe(false);
    expect(matchesEventPattern(rds, rdsEvent({ categories: ['notification'] }))).toBe(false);
  });
});

describe('HealthAlertIngestionWorkflow template', () => {
  const { workflows } = synthApp();

  it('deploys a Standard machine with a 10-minute execution timeout', () => {
    workflows.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      DefinitionString: Match.stringLikeRegexp('"TimeoutSeconds": 600,\\s*"Comment": "Health alert ingestion'),
    });
  });

  it('starts it from two rules, each with the dead-letter queue and retries', () => {
    for (const pattern of [
      { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] },
      { source: ['aws.rds'], 'detail-type': ['RDS DB Instance Event', 'RDS DB Cluster Event'] },
    ]) {
      workflows.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike(pattern),
        Targets: [
          Match.objectLike({
            Arn: { Ref: Match.stringLikeRegexp('^HealthAlertIngestionStateMachine') },
            DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 },
          }),
        ],
      });
    }
  });

  it('lets the record handler read and put alerts and put audit entries, nothing else', () => {
    workflows.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^HealthAlertIngestionRecordHealthAlertRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
            Resource: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('HealthAlerts') }),
          }),
          Match.objectLike({
            Action: 'dynamodb:PutItem',
            Resource: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('AuditLog') }),
          }),
        ]),
      },
    });
  });

  it('grants DescribeDBInstances on the db ARNs of the account and region only', () => {
    workflows.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^HealthAlertIngestionStateMachineRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'rds:DescribeDBInstances',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':rds:'), ':db:*'])] },
          }),
        ],
      },
    });
  });
});
