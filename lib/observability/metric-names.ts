/**
 * The custom metrics the platform publishes, in one place: producers (state machines, handlers, the CLI) and
 * consumers (alarms, the dashboard) import these names, and `test/lib/observability/metric-catalog.test.ts`
 * checks that every `putMetricData` in an ASL file publishes a metric listed here, with these dimensions.
 */
import { CIRCUIT_METRIC_NAMESPACE, CIRCUIT_STATE_METRIC } from '../circuit-breaker/announcement';

export { CIRCUIT_METRIC_NAMESPACE, CIRCUIT_STATE_METRIC };

/** A circuit-breaker check could not read or write the circuit table and failed open: the breaker is blind. */
export const CIRCUIT_TABLE_UNREACHABLE_METRIC = 'CircuitTableUnreachable';

/** Task attempts and retries of each workflow (the seed's "retry rate"). */
export const WORKFLOW_METRIC_NAMESPACE = 'RdsOps/Workflows';
/** Every call a Task state makes, first attempts and retries alike. */
export const TASK_ATTEMPTS_METRIC = 'TaskAttempts';
/** The calls that were retries (attempts minus state entries). */
export const TASK_RETRIES_METRIC = 'TaskRetries';

/** Disaster-recovery evidence: PITR compliance and the scheduled drills. */
export const DISASTER_RECOVERY_METRIC_NAMESPACE = 'RdsOps/DisasterRecovery';
/** 1 when the table has point-in-time recovery on, 0 when not; published per protected table by pitr-compliance. */
export const PITR_ENABLED_METRIC = 'PitrEnabled';
/** Seconds from the start of a drill's restore to the validated scratch table; per protected table, by dr-drill. */
export const DRILL_RECOVERY_TIME_METRIC = 'DrillRecoveryTimeSeconds';
/** 1 when a drill could not restore or validate a table (0 when it could); per protected table, by dr-drill. */
export const DRILL_FAILED_METRIC = 'DrillFailed';

/** Dimension names. */
export const DIMENSIONS = {
  circuit: 'Circuit',
  toState: 'ToState',
  workflow: 'Workflow',
  tableName: 'TableName',
} as const;

/** Who publishes a metric, and whether that code exists yet. */
export interface CustomMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension names, exactly as published (CloudWatch treats each combination as its own metric). */
  readonly dimensions: readonly string[];
  readonly producer: string;
  /**
   * `published`: code in this repository publishes it today (checked by the catalog test). `planned`: the alarm
   * and widgets are built against this documented name, waiting for the named producer to land.
   */
  readonly status: 'published' | 'planned';
}

export const CUSTOM_METRICS: readonly CustomMetric[] = [
  {
    namespace: CIRCUIT_METRIC_NAMESPACE,
    metricName: CIRCUIT_STATE_METRIC,
    dimensions: [DIMENSIONS.circuit, DIMENSIONS.toState],
    producer: 'the circuit breaker on every transition, and `rds-ops circuits open|close|reset`',
    status: 'published',
  },
  {
    namespace: CIRCUIT_METRIC_NAMESPACE,
    metricName: CIRCUIT_TABLE_UNREACHABLE_METRIC,
    dimensions: [DIMENSIONS.circuit],
    producer: 'the circuit breaker, when the circuit table cannot be read and the circuit fails open',
    status: 'published',
  },
  {
    namespace: WORKFLOW_METRIC_NAMESPACE,
    metricName: TASK_ATTEMPTS_METRIC,
    dimensions: [DIMENSIONS.workflow],
    producer: 'the retry metrics of the error-handling work (issue 11)',
    status: 'planned',
  },
  {
    namespace: WORKFLOW_METRIC_NAMESPACE,
    metricName: TASK_RETRIES_METRIC,
    dimensions: [DIMENSIONS.workflow],
    producer: 'the retry metrics of the error-handling work (issue 11)',
    status: 'planned',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: PITR_ENABLED_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the pitr-compliance workflow (issue 10)',
    status: 'planned',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: DRILL_RECOVERY_TIME_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the dr-drill workflow (issue 10)',
    status: 'planned',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: DRILL_FAILED_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the dr-drill workflow (issue 10)',
    status: 'planned',
  },
];

/** The seed's recovery time objective for a DynamoDB table (2 hours), what drills and restores are held to. */
export const TABLE_RTO_TARGET_SECONDS = 2 * 60 * 60;
