/**
 * Reads alarms and dashboards off synthesized templates, independently of the registry that created them: what
 * each alarm measures and which resource its dimensions point at, and which resources have no alarm.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation property bag as the assertions library hands it out (untyped JSON). */
// biome-ignore lint/suspicious/noExplicitAny: template JSON is read field by field, as the tests assert it
type Json = any;

export interface TemplateAlarm {
  readonly stack: string;
  readonly logicalId: string;
  readonly properties: Record<string, Json>;
  /** Every (metric name, dimensions) the alarm reads, math expressions included. */
  readonly metrics: readonly { readonly metricName: string; readonly namespace: string; readonly dimensions: Json[] }[];
}

export function alarmsOf(stack: string, template: Template): TemplateAlarm[] {
  return Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([logicalId, resource]) => {
    const properties = resource.Properties as Record<string, Json>;
    const metrics = properties.MetricName
      ? [
          {
            metricName: properties.MetricName,
            namespace: properties.Namespace,
            dimensions: properties.Dimensions ?? [],
          },
        ]
      : (properties.Metrics as Json[])
          .filter((query) => query.MetricStat)
          .map((query) => ({
            metricName: query.MetricStat.Metric.MetricName,
            namespace: query.MetricStat.Metric.Namespace,
            dimensions: query.MetricStat.Metric.Dimensions ?? [],
          }));
    return { stack, logicalId, properties, metrics };
  });
}

/** The period an alarm evaluates: its own, or its metrics' (metric math). */
export function periodOf(alarm: TemplateAlarm): number {
  if (alarm.properties.Period) return alarm.properties.Period;
  const periods = new Set(
    (alarm.properties.Metrics as Json[]).filter((q) => q.MetricStat).map((q) => q.MetricStat.Period),
  );
  if (periods.size !== 1) throw new Error(`${alarm.logicalId} mixes periods ${[...periods].join(', ')}`);
  return [...periods][0];
}

function pointsAt(dimensions: readonly Json[], logicalId: string): boolean {
  return dimensions.some((dimension) => {
    const value = JSON.stringify(dimension.Value);
    return value.includes(`{"Ref":"${logicalId}"}`) || value.includes(`"Fn::GetAtt":["${logicalId}",`);
  });
}

/** What every resource type must be alarmed on: metric names, each on an alarm whose dimensions point at it. */
export const REQUIRED_ALARM_METRICS: Readonly<Record<string, readonly string[]>> = {
  'AWS::StepFunctions::StateMachine': [
    'ExecutionsFailed',
    'ExecutionsTimedOut',
    'ExecutionThrottled',
    'ExecutionsAborted',
    'ExecutionsStarted',
  ],
  'AWS::Lambda::Function': ['Errors', 'Throttles'],
  'AWS::DynamoDB::Table': ['ReadThrottleEvents', 'WriteThrottleEvents', 'SystemErrors'],
  'AWS::SQS::Queue': ['ApproximateNumberOfMessagesVisible'],
};

/** `<stack>/<logicalId> (<type>): no alarm on <metric>` for every watched resource type missing an alarm. */
export function unwatchedResources(stacks: Readonly<Record<string, Template>>): string[] {
  const problems: string[] = [];
  for (const [stack, template] of Object.entries(stacks)) {
    const alarms = alarmsOf(stack, template);
    for (const [type, metricNames] of Object.entries(REQUIRED_ALARM_METRICS)) {
      for (const logicalId of Object.keys(template.findResources(type))) {
        for (const metricName of metricNames) {
          const watched = alarms.some((alarm) =>
            alarm.metrics.some((metric) => metric.metricName === metricName && pointsAt(metric.dimensions, logicalId)),
          );
          if (!watched) problems.push(`${stack}/${logicalId} (${type}): no alarm on ${metricName}`);
        }
      }
    }
  }
  return problems;
}

/** The dashboard's body as text: the literal parts of its Fn::Join, with imports written as `{{import}}`. */
export function dashboardText(template: Template): string {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body = dashboards[0]!.Properties.DashboardBody;
  const parts: unknown[] = body['Fn::Join'] ? body['Fn::Join'][1] : [body];
  return parts.map((part) => (typeof part === 'string' ? part : `{{${JSON.stringify(part)}}}`)).join('');
}
