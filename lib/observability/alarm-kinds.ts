/**
 * Every kind of alarm the platform raises, with its policy (threshold, period, missing data) and meaning, in
 * one table: the factories bring only the metric, `docs/operations.md` has one section per kind (headed by its
 * title) and the alarm reference table there is generated from this list.
 */
import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { TABLE_RTO_TARGET_SECONDS } from './metric-names';

/** The document every alarm description links to: one section per alarm kind. */
export const OPERATIONS_DOC = 'docs/operations.md';
/** The disaster-recovery runbook (written by the DR work); sections of operations.md link into it. */
export const RUNBOOK_DOC = 'docs/disaster-recovery-runbook.md';

export type AlarmSubjectKind = 'workflow' | 'handler' | 'table' | 'queue' | 'circuit' | 'api' | 'platform';

export interface AlarmKind {
  /** The heading of its section in docs/operations.md, which alarm descriptions link to. */
  readonly title: string;
  /** What the alarm watches. */
  readonly subjectKind: AlarmSubjectKind;
  /** Last part of the alarm name: `RdsOps-<Stage>-<subject>-<signal>`. */
  readonly signal: string;
  /** What it means when it fires (first sentence of the alarm description). */
  readonly meaning: string;
  /** The metric or expression, as docs/operations.md shows it. */
  readonly metric: string;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  /** Part of the composite "platform degraded" alarm: the on-call person is paged for it. */
  readonly critical: boolean;
  /** The seed's recommended alarm this implements ("Recommended Alarms" in the reliability summary). */
  readonly seed?: string;
  /** Section of the disaster-recovery runbook to open next, when the alarm can mean lost data or a lost stack. */
  readonly runbook?: string;
}

const GTE = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const GT = ComparisonOperator.GREATER_THAN_THRESHOLD;
const LT = ComparisonOperator.LESS_THAN_THRESHOLD;
const QUIET = TreatMissingData.NOT_BREACHING;
const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

const occurrence = {
  threshold: 1,
  comparison: GTE,
  period: FIVE_MINUTES,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  treatMissingData: QUIET,
} as const;

export const ALARM_KINDS = {
  'workflow-executions-failed': {
    title: 'Workflow executions failed',
    subjectKind: 'workflow',
    signal: 'ExecutionsFailed',
    meaning: 'an execution of the workflow failed.',
    metric: 'AWS/States ExecutionsFailed (Sum)',
    ...occurrence,
    critical: true,
    runbook: 'handler-failure',
  },
  'workflow-executions-timed-out': {
    title: 'Workflow executions timed out',
    subjectKind: 'workflow',
    signal: 'ExecutionsTimedOut',
    meaning: 'an execution of the workflow ran into its timeout.',
    metric: 'AWS/States ExecutionsTimedOut (Sum)',
    ...occurrence,
    critical: true,
  },
  'workflow-executions-throttled': {
    title: 'Workflow executions throttled',
    subjectKind: 'workflow',
    signal: 'ExecutionThrottled',
    meaning: 'Step Functions throttled state transitions of the workflow.',
    metric: 'AWS/States ExecutionThrottled (Sum)',
    ...occurrence,
    critical: false,
  },
  'workflow-executions-aborted': {
    title: 'Workflow executions aborted',
    subjectKind: 'workflow',
    signal: 'ExecutionsAborted',
    meaning: 'an execution of the workflow was stopped before it finished.',
    metric: 'AWS/States ExecutionsAborted (Sum)',
    ...occurrence,
    critical: false,
  },
  'workflow-error-rate': {
    title: 'Workflow error rate',
    subjectKind: 'workflow',
    signal: 'ErrorRate',
    meaning: 'more than 5% of the executions of the last hour failed, timed out or were aborted.',
    metric: '100 * (ExecutionsFailed + ExecutionsTimedOut + ExecutionsAborted) / ExecutionsStarted, per hour',
    threshold: 5,
    comparison: GT,
    period: ONE_HOUR,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: true,
    seed: 'Error rate > 5%',
  },
  'workflow-retry-rate': {
    title: 'Workflow retry rate',
    subjectKind: 'workflow',
    signal: 'RetryRate',
    meaning: 'more than 10% of the task calls of the last hour were retries: a dependency is struggling.',
    metric: '100 * (TaskAttempts - TaskStateEntries) / TaskAttempts in RdsOps/Workflows/<workflow>, per hour',
    threshold: 10,
    comparison: GT,
    period: ONE_HOUR,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: false,
    seed: 'High retry rates (> 10% of requests)',
  },
  'workflow-duration-above-rto': {
    title: 'Recovery slower than its RTO',
    subjectKind: 'workflow',
    signal: 'DurationAboveRto',
    meaning: 'a recovery workflow took longer than its recovery time objective.',
    metric: 'AWS/States ExecutionTime (Maximum, milliseconds) against the workflow’s recovery time objective',
    // Replaced per workflow by its own objective; this is the seed's figure for a table.
    threshold: TABLE_RTO_TARGET_SECONDS * 1000,
    comparison: GT,
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: true,
    runbook: 'data-corruption',
  },
  'handler-errors': {
    title: 'Handler error rate',
    subjectKind: 'handler',
    signal: 'ErrorRate',
    meaning: 'more than 5% of the invocations of the last 5 minutes ended with an error.',
    metric: '100 * AWS/Lambda Errors / Invocations, per 5 minutes',
    threshold: 5,
    comparison: GT,
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: true,
    seed: 'Error rate > 5%',
    runbook: 'handler-failure',
  },
  'handler-throttles': {
    title: 'Handler throttled',
    subjectKind: 'handler',
    signal: 'Throttles',
    meaning: 'Lambda refused invocations of the handler (concurrency limit).',
    metric: 'AWS/Lambda Throttles (Sum)',
    ...occurrence,
    critical: false,
    runbook: 'handler-failure',
  },
  'table-throttles': {
    title: 'Table throttled',
    subjectKind: 'table',
    signal: 'Throttles',
    meaning: 'reads or writes of the table were throttled in 2 of the last 3 five-minute periods.',
    metric: 'AWS/DynamoDB ReadThrottleEvents + WriteThrottleEvents (Sum)',
    ...occurrence,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    critical: true,
    seed: 'DynamoDB throttling events',
  },
  'table-system-errors': {
    title: 'Table system errors',
    subjectKind: 'table',
    signal: 'SystemErrors',
    meaning: 'DynamoDB answered requests to the table with HTTP 500 (a service-side error).',
    metric: 'AWS/DynamoDB SystemErrors (Sum over the operations the platform uses)',
    ...occurrence,
    critical: true,
  },
  'table-pitr-disabled': {
    title: 'PITR not enabled',
    subjectKind: 'table',
    signal: 'PitrDisabled',
    meaning: 'point-in-time recovery is off on a protected table: it cannot be restored to a point in time.',
    metric: 'RdsOps/DisasterRecovery PitrEnabled (Minimum, dimension TableName)',
    threshold: 1,
    comparison: LT,
    period: ONE_HOUR,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // No datapoint means the compliance check did not run: its own failed-execution alarm says so.
    treatMissingData: TreatMissingData.MISSING,
    critical: true,
    seed: 'PITR backup failures',
    runbook: 'table-deleted',
  },
  'table-integrity': {
    title: 'Table integrity violated',
    subjectKind: 'table',
    signal: 'IntegrityViolated',
    meaning:
      'the data-integrity check found items breaking the table rules, or many items vanished since the last check.',
    metric: 'RdsOps/DataIntegrity IntegrityViolations (Maximum, dimension TableName)',
    ...occurrence,
    critical: true,
    runbook: 'data-corruption',
  },
  'table-drill-rto-exceeded': {
    title: 'Drill slower than the RTO',
    subjectKind: 'table',
    signal: 'DrillRtoExceeded',
    meaning:
      'the last restore drill of the table took longer than the recovery time objective (restore.recoveryTimeObjectiveSeconds, 2 hours by default).',
    metric: 'RdsOps/DisasterRecovery DrillRecoveryTimeSeconds (Maximum, dimension TableName)',
    threshold: TABLE_RTO_TARGET_SECONDS,
    comparison: GT,
    period: ONE_HOUR,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: TreatMissingData.MISSING,
    critical: false,
    runbook: 'data-corruption',
  },
  'table-drill-failed': {
    title: 'Drill failed',
    subjectKind: 'table',
    signal: 'DrillFailed',
    meaning: 'the last restore drill could not restore or validate the table: recovery is not proven.',
    metric: 'RdsOps/DisasterRecovery DrillFailed (Maximum, dimension TableName)',
    threshold: 1,
    comparison: GTE,
    period: ONE_HOUR,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: true,
    seed: 'PITR backup failures',
    runbook: 'data-corruption',
  },
  'dead-letter-queue-not-empty': {
    title: 'Dead-letter queue not empty',
    subjectKind: 'queue',
    signal: 'MessagesVisible',
    meaning: 'an event could not be delivered to its target and was parked in the dead-letter queue.',
    metric: 'AWS/SQS ApproximateNumberOfMessagesVisible (Maximum)',
    ...occurrence,
    critical: true,
  },
  'circuit-open': {
    title: 'Circuit open',
    subjectKind: 'circuit',
    signal: 'Open',
    meaning: 'the circuit opened (or re-opened after a failed probe) in the last 15 minutes: calls fail fast.',
    metric: 'RdsOps/CircuitBreaker CircuitStateChanged (Sum, dimensions Circuit and ToState=OPEN)',
    ...occurrence,
    evaluationPeriods: 3,
    datapointsToAlarm: 1,
    critical: true,
    seed: 'Circuit breaker OPEN state',
  },
  'circuit-table-unreachable': {
    title: 'Circuit breaker blind',
    subjectKind: 'circuit',
    signal: 'BreakerBlind',
    meaning: 'the circuit table could not be read and the breaker let calls through unprotected (fail open).',
    metric: 'RdsOps/CircuitBreaker CircuitTableUnreachable (Sum, dimension Circuit)',
    ...occurrence,
    critical: true,
  },
  'api-error-rate': {
    title: 'API error rate',
    subjectKind: 'api',
    signal: 'ServerErrorRate',
    meaning: 'more than 5% of the API requests of the last 5 minutes were answered with a 5xx.',
    metric: '100 * AWS/ApiGateway 5XXError (Average)',
    threshold: 5,
    comparison: GT,
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: true,
    seed: 'Error rate > 5%',
  },
  'platform-degraded': {
    title: 'Platform degraded',
    subjectKind: 'platform',
    signal: 'PlatformDegraded',
    meaning: 'at least one critical alarm is firing: open the dashboard, then the section of that alarm.',
    metric: 'composite: ALARM of any critical alarm',
    threshold: 1,
    comparison: GTE,
    period: FIVE_MINUTES,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: QUIET,
    critical: false,
  },
} as const satisfies Record<string, AlarmKind>;

export type AlarmKindId = keyof typeof ALARM_KINDS;

export const ALARM_KIND_IDS = Object.keys(ALARM_KINDS) as AlarmKindId[];

export function alarmKind(id: AlarmKindId): AlarmKind {
  return ALARM_KINDS[id];
}

/** Where an alarm of this kind sends the reader: its section of docs/operations.md. */
export function operationsLink(id: AlarmKindId): string {
  return `${OPERATIONS_DOC}#${headingAnchor(ALARM_KINDS[id].title)}`;
}

/** The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
