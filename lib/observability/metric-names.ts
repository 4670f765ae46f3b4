/**
 * The custom metrics the platform publishes, in one place: producers (state machines, handlers, the CLI) and
 * consumers (alarms, the dashboard) import these names, and `test/lib/observability/metric-catalog.test.ts`
 * checks that every `putMetricData` in an ASL file publishes a metric listed here, with these dimensions.
 */
import { CIRCUIT_METRIC_NAMESPACE, CIRCUIT_STATE_METRIC } from '../circuit-breaker/announcement';
import {
  TASK_ATTEMPTS_METRIC,
  TASK_ENTRIES_METRIC,
  workflowMetricsNamespace,
} from '../constructs/workflow-retry-metrics';

export {
  CIRCUIT_METRIC_NAMESPACE,
  CIRCUIT_STATE_METRIC,
  TASK_ATTEMPTS_METRIC,
  TASK_ENTRIES_METRIC,
  workflowMetricsNamespace,
};

/** A circuit-breaker check could not read or write the circuit table and failed open: the breaker is blind. */
export const CIRCUIT_TABLE_UNREACHABLE_METRIC = 'CircuitTableUnreachable';

/** How a workflow's per-workflow namespace is written in the catalog (`RdsOps/Workflows/inventory-refresh`). */
export const WORKFLOW_NAMESPACE_PATTERN = workflowMetricsNamespace('<workflow>');

/** Disaster-recovery evidence: PITR compliance and the scheduled drills. */
export const DISASTER_RECOVERY_METRIC_NAMESPACE = 'RdsOps/DisasterRecovery';
/** 1 when the table has point-in-time recovery on, 0 when not; published per protected table by pitr-compliance. */
export const PITR_ENABLED_METRIC = 'PitrEnabled';
/** The PITR recovery period in days (the restorable window), per protected table with PITR on; by pitr-compliance. */
export const PITR_RECOVERY_PERIOD_METRIC = 'PitrRecoveryPeriodDays';
/** Seconds from the start of a drill's restore to the validated scratch table; per protected table, by dr-drill. */
export const DRILL_RECOVERY_TIME_METRIC = 'DrillRecoveryTimeSeconds';
/** 1 when a drill could not restore or validate a table (0 when it could); per protected table, by dr-drill. */
export const DRILL_FAILED_METRIC = 'DrillFailed';

/** What the data-integrity check publishes per protected table (the alarm that starts a restore). */
export const DATA_INTEGRITY_METRIC_NAMESPACE = 'RdsOps/DataIntegrity';
export const INTEGRITY_VIOLATIONS_METRIC = 'IntegrityViolations';
/** The item count the check saw, and how many items broke the table's item rules (the dashboard's context). */
export const INTEGRITY_ITEM_COUNT_METRIC = 'ItemCount';
export const INTEGRITY_INVALID_ITEMS_METRIC = 'InvalidItems';

/** Dimension names. */
export const DIMENSIONS = {
  circuit: 'Circuit',
  toState: 'ToState',
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

const INTEGRITY_PRODUCER =
  'the check-table-integrity workflow: its handler builds the data, its putMetricData Task publishes it';

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
    namespace: WORKFLOW_NAMESPACE_PATTERN,
    metricName: TASK_ATTEMPTS_METRIC,
    dimensions: [],
    producer: "a metric filter on each state machine's vended log group (lib/constructs/workflow-retry-metrics.ts)",
    status: 'published',
  },
  {
    namespace: WORKFLOW_NAMESPACE_PATTERN,
    metricName: TASK_ENTRIES_METRIC,
    dimensions: [],
    producer: "a metric filter on each state machine's vended log group (lib/constructs/workflow-retry-metrics.ts)",
    status: 'published',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: PITR_ENABLED_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the pitr-compliance workflow, hourly (the physical table name as TableName)',
    status: 'published',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: PITR_RECOVERY_PERIOD_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the pitr-compliance workflow, for each table with PITR on',
    status: 'published',
  },
  {
    namespace: DATA_INTEGRITY_METRIC_NAMESPACE,
    metricName: INTEGRITY_VIOLATIONS_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: `${INTEGRITY_PRODUCER}, alarmed per table by the table-integrity kind`,
    status: 'published',
  },
  {
    namespace: DATA_INTEGRITY_METRIC_NAMESPACE,
    metricName: INTEGRITY_ITEM_COUNT_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: INTEGRITY_PRODUCER,
    status: 'published',
  },
  {
    namespace: DATA_INTEGRITY_METRIC_NAMESPACE,
    metricName: INTEGRITY_INVALID_ITEMS_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: INTEGRITY_PRODUCER,
    status: 'published',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: DRILL_RECOVERY_TIME_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the dr-drill workflow, per drilled table',
    status: 'published',
  },
  {
    namespace: DISASTER_RECOVERY_METRIC_NAMESPACE,
    metricName: DRILL_FAILED_METRIC,
    dimensions: [DIMENSIONS.tableName],
    producer: 'the dr-drill workflow, per drilled table (1 on any failed step, 0 otherwise)',
    status: 'published',
  },
];

/** The seed's recovery time objective for a DynamoDB table (2 hours), what drills and restores are held to. */
export const TABLE_RTO_TARGET_SECONDS = 2 * 60 * 60;
