/**
 * A synthesized `AWS::CloudWatch::Alarm` as the local evaluator needs it: one metric (namespace, name,
 * dimensions, statistic, period) or metric-math queries, threshold and comparison, M out of N periods, missing
 * data treatment and actions. Read from the template's properties with intrinsics already resolved.
 */
import { parseMetricExpression } from './metric-math';

export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type MissingDataTreatment = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export type AlarmStatistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';

export interface MetricDimension {
  readonly Name: string;
  readonly Value: string;
}

export interface MetricStat {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
  readonly statistic: AlarmStatistic;
  /** Seconds. */
  readonly period: number;
}

/** One query of the alarm: a metric, or an expression over other queries' ids. */
export interface MetricQuery {
  readonly id: string;
  readonly metricStat?: MetricStat;
  readonly expression?: string;
  readonly label?: string;
  readonly returnData: boolean;
}

export interface AlarmModel {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: MissingDataTreatment;
  /** The period of every metric the alarm reads, in seconds. */
  readonly period: number;
  /** A single-metric alarm has one query, `m1`, which returns data. */
  readonly queries: readonly MetricQuery[];
  /** Set when the alarm uses something the local evaluator does not implement; it then stays INSUFFICIENT_DATA. */
  readonly unsupported?: string;
}

const COMPARISONS = new Set<string>([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);
const STATISTICS = new Set<string>(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const TREATMENTS = new Set<string>(['missing', 'notBreaching', 'breaching', 'ignore']);

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read field by field.
type CfnProperties = Record<string, any>;

/** Builds the model from resolved `AWS::CloudWatch::Alarm` properties. */
export function alarmModelFrom(name: string, arn: string, props: CfnProperties): AlarmModel {
  const problems: string[] = [];
  const comparisonOperator = String(props.ComparisonOperator);
  if (!COMPARISONS.has(comparisonOperator)) problems.push(`comparison ${comparisonOperator} (anomaly bands)`);
  if (props.ThresholdMetricId !== undefined) problems.push('ThresholdMetricId (anomaly detection)');
  const treatMissingData = String(props.TreatMissingData ?? 'missing');
  if (!TREATMENTS.has(treatMissingData)) problems.push(`TreatMissingData ${treatMissingData}`);

  const queries = props.Metrics ? (props.Metrics as CfnProperties[]).map(queryFrom) : [singleQuery(props)];
  for (const query of queries) {
    if (query.metricStat && !STATISTICS.has(query.metricStat.statistic)) {
      problems.push(`statistic ${query.metricStat.statistic} (percentiles and other extended statistics)`);
    }
    if (query.expression !== undefined) {
      try {
        parseMetricExpression(query.expression);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  const periods = [...new Set(queries.flatMap((query) => (query.metricStat ? [query.metricStat.period] : [])))];
  if (periods.length !== 1) problems.push(`metrics with ${periods.length === 0 ? 'no' : 'different'} periods`);
  if (queries.filter((query) => query.returnData).length !== 1) problems.push('not exactly one query returns data');

  const evaluationPeriods = Number(props.EvaluationPeriods);
  return {
    name,
    arn,
    ...(props.AlarmDescription !== undefined && { description: String(props.AlarmDescription) }),
    actionsEnabled: props.ActionsEnabled === undefined ? true : props.ActionsEnabled === true,
    alarmActions: listOf(props.AlarmActions),
    okActions: listOf(props.OKActions),
    insufficientDataActions: listOf(props.InsufficientDataActions),
    comparisonOperator: comparisonOperator as ComparisonOperator,
    threshold: Number(props.Threshold ?? 0),
    evaluationPeriods,
    datapointsToAlarm: Number(props.DatapointsToAlarm ?? evaluationPeriods),
    treatMissingData: treatMissingData as MissingDataTreatment,
    period: periods[0] ?? 60,
    queries,
    ...(problems.length > 0 && { unsupported: problems.join('; ') }),
  };
}

function singleQuery(props: CfnProperties): MetricQuery {
  return {
    id: 'm1',
    returnData: true,
    metricStat: {
      namespace: String(props.Namespace),
      metricName: String(props.MetricName),
      dimensions: dimensionsOf(props.Dimensions),
      statistic: String(props.Statistic ?? props.ExtendedStatistic) as AlarmStatistic,
      period: Number(props.Period),
    },
  };
}

function queryFrom(query: CfnProperties): MetricQuery {
  const stat = query.MetricStat as CfnProperties | undefined;
  return {
    id: String(query.Id),
    returnData: query.ReturnData === undefined ? true : query.ReturnData === true,
    ...(query.Label !== undefined && { label: String(query.Label) }),
    ...(query.Expression !== undefined && { expression: String(query.Expression) }),
    ...(stat && {
      metricStat: {
        namespace: String(stat.Metric?.Namespace),
        metricName: String(stat.Metric?.MetricName),
        dimensions: dimensionsOf(stat.Metric?.Dimensions),
        statistic: String(stat.Stat) as AlarmStatistic,
        period: Number(stat.Period),
      },
    }),
  };
}

function dimensionsOf(value: unknown): MetricDimension[] {
  return ((value as CfnProperties[] | undefined) ?? []).map((dimension) => ({
    Name: String(dimension.Name),
    Value: String(dimension.Value),
  }));
}

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
