/**
 * Creates one alarm of a kind from `alarm-kinds.ts`: named `RdsOps-<Stage>-<subject>-<signal>`, described by
 * what it means and the section of docs/operations.md to open, with the kind's threshold, period and
 * missing-data treatment, notifying the alarm topic, and registered so the composite alarm and the dashboard
 * include it.
 */
import type { Duration } from 'aws-cdk-lib';
import { Alarm, type IAlarmAction, type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { type AlarmKindId, alarmKind, operationsLink, RUNBOOK_DOC } from './alarm-kinds';
import { ObservabilityRegistry } from './registry';

export interface OpsAlarmProps {
  readonly kind: AlarmKindId;
  /** What it watches (`inventory-refresh`, `rds-inventory`, `rds-api`); absent for platform-wide alarms. */
  readonly subject?: string;
  /** Statistic from here; the period is the kind's. */
  readonly metric: IMetric;
  /** @default the registry's alarm action (the alarm topic) */
  readonly action?: IAlarmAction;
  /** Replaces the kind's threshold (a workflow's own recovery time objective). @default the kind's */
  readonly threshold?: number;
}

/** `RdsOps-Dev` + `inventory-refresh` + `ExecutionsFailed`. */
export function opsAlarmName(prefix: string, kind: AlarmKindId, subject?: string): string {
  return [prefix, subject, alarmKind(kind).signal].filter(Boolean).join('-');
}

/** What it means, which section to read, and where the runbook continues. At most 1,024 characters. */
export function opsAlarmDescription(kind: AlarmKindId, subject?: string): string {
  const spec = alarmKind(kind);
  const runbook = 'runbook' in spec && spec.runbook ? `, then ${RUNBOOK_DOC}#${spec.runbook}` : '';
  return `${subject ? `${subject}: ` : ''}${capitalize(spec.meaning)} What to do: ${operationsLink(kind)}${runbook}.`;
}

export function opsAlarm(scope: Construct, id: string, props: OpsAlarmProps): Alarm {
  const spec = alarmKind(props.kind);
  const registry = ObservabilityRegistry.of(scope);
  const alarmName = opsAlarmName(registry.alarmNamePrefix(scope), props.kind, props.subject);
  const alarm = new Alarm(scope, id, {
    alarmName,
    alarmDescription: opsAlarmDescription(props.kind, props.subject),
    metric: withPeriod(props.metric, spec.period),
    threshold: props.threshold ?? spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
  });
  const action = props.action ?? registry.defaultAlarmAction;
  if (action) alarm.addAlarmAction(action);
  registry.registerAlarm({
    kind: props.kind,
    ...(props.subject !== undefined && { subject: props.subject }),
    alarmName,
    alarm,
    critical: spec.critical,
  });
  return alarm;
}

function withPeriod(metric: IMetric, period: Duration): IMetric {
  if (metric instanceof Metric || metric instanceof MathExpression) return metric.with({ period });
  return metric;
}

function capitalize(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
