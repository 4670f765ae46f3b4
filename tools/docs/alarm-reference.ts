/** The alarm reference table of docs/operations.md, generated from the alarm catalog. */
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_KIND_IDS, ALARM_KINDS, type AlarmKind, headingAnchor } from '../../lib/observability/alarm-kinds';

const COMPARISON: Readonly<Record<string, string>> = {
  [ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD]: '≥',
  [ComparisonOperator.GREATER_THAN_THRESHOLD]: '>',
  [ComparisonOperator.LESS_THAN_THRESHOLD]: '<',
  [ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD]: '≤',
};

const MISSING: Readonly<Record<string, string>> = {
  [TreatMissingData.NOT_BREACHING]: 'not breaching',
  [TreatMissingData.BREACHING]: 'breaching',
  [TreatMissingData.MISSING]: 'missing',
  [TreatMissingData.IGNORE]: 'ignore',
};

export const ALARM_REFERENCE_SECTION = 'alarm-reference';

export function alarmReferenceTable(): string {
  const rows = ALARM_KIND_IDS.map((id) => {
    const kind: AlarmKind = ALARM_KINDS[id];
    const composite = id === 'platform-degraded';
    return [
      `[${kind.title}](#${headingAnchor(kind.title)})`,
      kind.subjectKind === 'platform' ? `\`${kind.signal}\`` : `\`<${kind.subjectKind}>-${kind.signal}\``,
      kind.metric,
      composite ? '-' : `${COMPARISON[kind.comparison]} ${formatNumber(kind.threshold)}`,
      composite ? '-' : `${kind.period.toHumanString()}, ${kind.datapointsToAlarm} of ${kind.evaluationPeriods}`,
      composite ? '-' : MISSING[kind.treatMissingData],
      kind.critical ? 'yes' : '',
      'seed' in kind && kind.seed ? kind.seed : '',
    ];
  });
  return [
    'One alarm per subject (workflow, handler, table, queue, circuit, API) and kind, named',
    '`RdsOps-<Stage>-<subject>-<signal>`; "critical" alarms make up [Platform degraded](#platform-degraded).',
    '',
    '| alarm | name | metric | threshold | period, datapoints | missing data | critical | seed alarm |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}
