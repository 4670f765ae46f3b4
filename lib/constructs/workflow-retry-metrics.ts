/**
 * A workflow's retry rate on AWS: Step Functions has no retry metric, but its vended logs (level ALL) hold
 * every execution history event. Each Task attempt is one `TaskScheduled` (or `LambdaFunctionScheduled` /
 * `ActivityScheduled` for the older resource forms) and each entry into a Task state one `TaskStateEntered`,
 * so retries = attempts - entries. Two metric filters on the state machine's log group count them; the rate is
 * metric math over the two (the observability work alarms on it above 10 %).
 */
import { Duration } from 'aws-cdk-lib';
import { MathExpression, type Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, type IFilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Execution history event types that start one Task attempt. */
export const TASK_ATTEMPT_EVENTS = ['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled'] as const;
/** The history event type of entering a Task state (once per entry, whatever the retries). */
export const TASK_ENTRY_EVENT = 'TaskStateEntered';
export const TASK_ATTEMPTS_METRIC = 'TaskAttempts';
export const TASK_ENTRIES_METRIC = 'TaskStateEntries';

/** Where a workflow's retry metrics go: one namespace per workflow, because a metric filter cannot set a fixed dimension. */
export function workflowMetricsNamespace(workflow: string): string {
  return `RdsOps/Workflows/${workflow}`;
}

export interface WorkflowRetryMetricsProps {
  /** Kebab-case workflow name. */
  readonly workflow: string;
  /** The state machine's log group; its logging level must be ALL (AslStateMachine sets it). */
  readonly logGroup: ILogGroup;
}

export class WorkflowRetryMetrics extends Construct {
  readonly taskAttempts: Metric;
  readonly taskStateEntries: Metric;
  /** Retries as a percentage of task attempts over 5 minutes (0 when nothing ran). */
  readonly retryRatePercent: MathExpression;

  constructor(scope: Construct, id: string, props: WorkflowRetryMetricsProps) {
    super(scope, id);
    const namespace = workflowMetricsNamespace(props.workflow);
    const count = (filterId: string, metricName: string, pattern: IFilterPattern) =>
      new MetricFilter(this, filterId, {
        logGroup: props.logGroup,
        filterPattern: pattern,
        metricNamespace: namespace,
        metricName,
        metricValue: '1',
      }).metric({ statistic: 'Sum', period: Duration.minutes(5) });

    this.taskAttempts = count(
      'TaskAttemptsFilter',
      TASK_ATTEMPTS_METRIC,
      FilterPattern.any(...TASK_ATTEMPT_EVENTS.map((type) => FilterPattern.stringValue('$.type', '=', type))),
    );
    this.taskStateEntries = count(
      'TaskStateEntriesFilter',
      TASK_ENTRIES_METRIC,
      FilterPattern.stringValue('$.type', '=', TASK_ENTRY_EVENT),
    );
    this.retryRatePercent = new MathExpression({
      expression: 'IF(attempts > 0, 100 * (attempts - entries) / attempts, 0)',
      usingMetrics: { attempts: this.taskAttempts, entries: this.taskStateEntries },
      label: `${props.workflow} retry rate (%)`,
      period: Duration.minutes(5),
    });
  }
}
