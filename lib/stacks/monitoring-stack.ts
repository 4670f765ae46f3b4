/** Where alarms notify: one SNS topic per stage, mailed to `alarmEmail` when configured. */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { OpsConfig } from '../config';

export interface MonitoringStackProps extends StackProps {
  readonly config: OpsConfig;
}

export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  /** Pass to alarms (tables, workflows) so they notify the topic. */
  readonly alarmAction: IAlarmAction;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `RDS ops ${props.config.stage} alarms`,
      enforceSSL: true,
    });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed aws/sns key, and the ' +
        'notifications carry only alarm names and states (no operational data); a dedicated KMS key is not worth it.',
    });
    if (props.config.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.config.alarmEmail));
    }
    this.alarmAction = new SnsAction(this.alarmTopic);
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Alarm notifications' });
  }
}
