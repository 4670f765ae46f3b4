/**
 * A dead-letter queue with the project's defaults: SQS-managed encryption, TLS only, 14 days of retention, and
 * an alarm as soon as it holds a message, registered with the stage's observability registry.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { watchDeadLetterQueue } from '../observability/queue-observability';

export interface DeadLetterQueueProps {
  /** Kebab-case name in the alarm name and the dashboard (`rule-targets`). */
  readonly name: string;
  /** What lands here and what to do with it; the cdk-nag acknowledgement that it needs no DLQ of its own. */
  readonly purpose: string;
  /** @default - the app's alarm topic (the observability registry's action) */
  readonly alarmAction?: IAlarmAction;
}

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  /** Fires when the queue holds a message. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue: ${props.purpose}`,
    });
    this.alarm = watchDeadLetterQueue(this, { name: props.name, queue: this.queue }, props.alarmAction).notEmpty;
  }
}
