import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { synthApp } from '../helpers/cdk';

describe('WorkflowsStack foundation', () => {
  const { workflows, workflowsStack, monitoringStack } = synthApp({ logRetentionDays: 90 });

  it('offers an encrypted, TLS-only dead-letter queue for rule targets, with an alarm', () => {
    // Assess
    workflows.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    workflows.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    workflows.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [Match.objectLike({ 'Fn::ImportValue': Match.anyValue() })],
    });
  });

  it('hands workflows the configured log retention and the alarm action', () => {
    // Assess
    expect(workflowsStack.defaults.logRetention).toBe(RetentionDays.THREE_MONTHS);
    expect(workflowsStack.defaults.alarmAction).toBe(monitoringStack.alarmAction);
    expect(Object.keys(workflowsStack.tables)).toHaveLength(8);
  });
});

describe('MonitoringStack', () => {
  it('has a TLS-only alarm topic without subscriptions by default', () => {
    // Act
    const { monitoring } = synthApp();

    // Assess: the one topic's policy refuses every publish that does not come over TLS
    const topicIds = Object.keys(monitoring.findResources('AWS::SNS::Topic'));
    expect(topicIds).toHaveLength(1);
    const topic = { Ref: topicIds[0] };
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: Match.anyValue(),
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topic,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
    });
    monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('mails alarms to alarmEmail when configured', () => {
    // Act
    const { monitoring } = synthApp({ alarmEmail: 'ops@example.com' });

    // Assess
    monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});
