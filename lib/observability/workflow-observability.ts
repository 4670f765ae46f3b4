/** A workflow's metrics (AWS/States and the retry metrics) and its alarms, shared by the alarms and the dashboard. */
import { Duration } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { TASK_ATTEMPTS_METRIC, TASK_ENTRIES_METRIC, workflowMetricsNamespace } from './metric-names';
import { opsAlarm } from './ops-alarm';
import { ObservabilityRegistry, type WorkflowEntry } from './registry';

const SUM = { statistic: 'Sum' } as const;

export function workflowMetrics(entry: WorkflowEntry, period: Duration = Duration.minutes(5)) {
  const machine = entry.stateMachine;
  const options = { ...SUM, period };
  // No labels on single metrics: an alarm on a labelled metric renders as metric math in the template.
  // The retry metrics come from metric filters on the workflow's logs: one namespace per workflow, no dimensions.
  const retryMetric = (metricName: string) =>
    new Metric({ namespace: workflowMetricsNamespace(entry.name), metricName, ...options });
  const started = machine.metricStarted(options);
  const succeeded = machine.metricSucceeded(options);
  const failed = machine.metricFailed(options);
  const timedOut = machine.metricTimedOut(options);
  const aborted = machine.metricAborted(options);
  const throttled = machine.metricThrottled(options);
  const taskAttempts = retryMetric(TASK_ATTEMPTS_METRIC);
  const taskEntries = retryMetric(TASK_ENTRIES_METRIC);
  return {
    started,
    succeeded,
    failed,
    timedOut,
    aborted,
    throttled,
    taskAttempts,
    taskEntries,
    /**
     * Per cent of the executions of the period that failed, timed out or were aborted. Step Functions publishes
     * ExecutionsStarted only for periods with starts, so the division never meets a zero: a period without
     * starts has no datapoint (not breaching). No IF, so the local alarm evaluator can check it too.
     */
    errorRate: new MathExpression({
      expression: '100 * (FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)) / started',
      usingMetrics: { started, failed, timedOut, aborted },
      label: 'Error rate (%)',
      period,
    }),
    /** Per cent of the task calls of the period that were retries (attempts beyond the first of each entry). */
    retryRate: new MathExpression({
      expression: '100 * (attempts - FILL(entries, 0)) / attempts',
      usingMetrics: { attempts: taskAttempts, entries: taskEntries },
      label: 'Retry rate (%)',
      period,
    }),
    durationP50: machine.metricTime({ statistic: 'p50', period }),
    durationP99: machine.metricTime({ statistic: 'p99', period }),
    durationMax: machine.metricTime({ statistic: 'Maximum', period }),
  };
}

export interface WorkflowAlarms {
  readonly failed: Alarm;
  readonly timedOut: Alarm;
  readonly throttled: Alarm;
  readonly aborted: Alarm;
  readonly errorRate: Alarm;
  readonly retryRate: Alarm;
  /** Recovery workflows only. */
  readonly durationAboveRto?: Alarm;
}

/** Registers the workflow and creates the alarms every workflow gets in `scope` (the workflow's own construct). */
export function watchWorkflow(scope: Construct, entry: WorkflowEntry, action?: IAlarmAction): WorkflowAlarms {
  ObservabilityRegistry.of(scope).registerWorkflow(entry);
  const metrics = workflowMetrics(entry);
  const alarm = (id: string, kind: Parameters<typeof opsAlarm>[2]['kind'], metric: IMetric, threshold?: number) =>
    opsAlarm(scope, id, {
      ...(action && { action }),
      kind,
      subject: entry.name,
      metric,
      ...(threshold !== undefined && { threshold }),
    });
  const rto = entry.recoveryTimeObjectiveSeconds;
  return {
    failed: alarm('ExecutionsFailedAlarm', 'workflow-executions-failed', metrics.failed),
    timedOut: alarm('ExecutionsTimedOutAlarm', 'workflow-executions-timed-out', metrics.timedOut),
    throttled: alarm('ExecutionThrottledAlarm', 'workflow-executions-throttled', metrics.throttled),
    aborted: alarm('ExecutionsAbortedAlarm', 'workflow-executions-aborted', metrics.aborted),
    errorRate: alarm('ErrorRateAlarm', 'workflow-error-rate', metrics.errorRate),
    retryRate: alarm('RetryRateAlarm', 'workflow-retry-rate', metrics.retryRate),
    ...(rto !== undefined && {
      durationAboveRto: alarm('DurationAboveRtoAlarm', 'workflow-duration-above-rto', metrics.durationMax, rto * 1000),
    }),
  };
}
