/** A dead-letter queue's depth, for its alarm and the dashboard. */
import { Duration } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { opsAlarm } from './ops-alarm';
import { ObservabilityRegistry, type QueueEntry } from './registry';

export function queueMetrics(entry: QueueEntry, period: Duration = Duration.minutes(5)) {
  return {
    visible: entry.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
    oldestAge: entry.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period }),
  };
}

/** Registers the dead-letter queue and creates its alarm in `scope`. */
export function watchDeadLetterQueue(
  scope: Construct,
  entry: QueueEntry,
  action?: IAlarmAction,
): { readonly notEmpty: Alarm } {
  ObservabilityRegistry.of(scope).registerQueue(entry);
  return {
    notEmpty: opsAlarm(scope, 'NotEmptyAlarm', {
      ...(action && { action }),
      kind: 'dead-letter-queue-not-empty',
      subject: entry.name,
      metric: queueMetrics(entry).visible,
    }),
  };
}
