/**
 * How a circuit state change is announced, whoever makes it: the EventBridge event and the CloudWatch
 * datapoint. The breaker machine's announce states and the manual `rds-ops circuits` commands use these
 * names (a test keeps the machine's in step), so dashboards and rules see one shape.
 */
import type { CircuitState } from './model';

export const CIRCUIT_EVENT_SOURCE = 'rds-ops.circuit-breaker';
export const CIRCUIT_EVENT_DETAIL_TYPE = 'Circuit State Changed';
export const CIRCUIT_METRIC_NAMESPACE = 'RdsOps/CircuitBreaker';
export const CIRCUIT_STATE_METRIC = 'CircuitStateChanged';

export interface CircuitStateChange {
  readonly circuit: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly version: number;
  /** ISO-8601 time of the change. */
  readonly at: string;
  /** `cli:<actor>` for manual changes; workflow changes carry `executionId` instead. */
  readonly changedBy: string;
  readonly reason?: string;
}

/** A PutEvents entry, in the API's own field names (the SDK, the aws-sdk integration and the stand-in take it). */
export function circuitStateChangedEntry(change: CircuitStateChange, eventBusName = 'default') {
  return {
    Source: CIRCUIT_EVENT_SOURCE,
    DetailType: CIRCUIT_EVENT_DETAIL_TYPE,
    EventBusName: eventBusName,
    Detail: JSON.stringify(change),
  };
}

/** PutMetricData input counting the change by circuit and target state. */
export function circuitStateMetric(change: Pick<CircuitStateChange, 'circuit' | 'to'>) {
  return {
    Namespace: CIRCUIT_METRIC_NAMESPACE,
    MetricData: [
      {
        MetricName: CIRCUIT_STATE_METRIC,
        Dimensions: [
          { Name: 'Circuit', Value: change.circuit },
          { Name: 'ToState', Value: change.to },
        ],
        Value: 1,
        Unit: 'Count' as const,
      },
    ],
  };
}
