/** The one alarm shape this app uses: "it happened at least once", quiet when there is no data. */
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

export interface OccurrenceAlarmProps {
  /** What happened and what to do about it. */
  readonly description: string;
  /** Its statistic and period are the metric's own. */
  readonly metric: IMetric;
  readonly action?: IAlarmAction;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

export function occurrenceAlarm(scope: Construct, id: string, props: OccurrenceAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    ...(props.datapointsToAlarm !== undefined && { datapointsToAlarm: props.datapointsToAlarm }),
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (props.action) alarm.addAlarmAction(props.action);
  return alarm;
}
