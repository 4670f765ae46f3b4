/**
 * The widgets of the stage's dashboard, generated from the observability registry (the same lists the alarms
 * come from) and the configured circuits: no widget is listed by hand, so a new workflow, handler, table, queue
 * or API gets its row by existing. Every widget title starts with its subject's name, which is what the
 * dashboard test looks for.
 */
import {
  AlarmStatusWidget,
  Color,
  GraphWidget,
  type HorizontalAnnotation,
  type IAlarm,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { TableCapacity } from '../config';
import { ALARM_KINDS, OPERATIONS_DOC } from './alarm-kinds';
import { apiMetrics } from './api-observability';
import { CIRCUIT_STATES, circuitMetrics } from './circuit-observability';
import { handlerMetrics } from './handler-observability';
import { TABLE_RTO_TARGET_SECONDS } from './metric-names';
import { queueMetrics } from './queue-observability';
import type { ApiEntry, HandlerEntry, ObservabilitySnapshot, TableEntry, WorkflowEntry } from './registry';
import { tableMetrics } from './table-observability';
import { workflowMetrics } from './workflow-observability';

const FULL = 24;
const THIRD = 8;
const HALF = 12;
const HEIGHT = 6;

export interface DashboardInput {
  readonly snapshot: ObservabilitySnapshot;
  /** Circuit names (config.circuits). */
  readonly circuits: readonly string[];
  /** The critical alarms, looked up by name, for the status widget. */
  readonly criticalAlarms: readonly IAlarm[];
  readonly stage: string;
}

/** Rows of widgets, top to bottom. */
export function dashboardRows(input: DashboardInput): IWidget[][] {
  const { snapshot } = input;
  return [
    headerRow(input),
    circuitRow(input.circuits),
    ...snapshot.workflows.map(workflowRow),
    ...recoveryRows(snapshot),
    ...snapshot.tables.map(tableRow),
    ...snapshot.handlers.map(handlerRow),
    ...(snapshot.queues.length > 0 ? [queueRow(snapshot)] : []),
    ...snapshot.apis.map(apiRow),
  ];
}

function headerRow(input: DashboardInput): IWidget[] {
  return [
    new TextWidget({
      markdown: [
        `# RDS ops (${input.stage})`,
        'Circuits, workflows, recovery, tables, handlers and dead letters, one row each, generated from the same',
        `registry the alarms come from. Every alarm links to its section of \`${OPERATIONS_DOC}\`; a firing alarm`,
        `on the right is part of **${ALARM_KINDS['platform-degraded'].title}**.`,
      ].join('\n'),
      width: HALF,
      height: HEIGHT,
    }),
    new AlarmStatusWidget({
      title: 'Critical alarms',
      alarms: [...input.criticalAlarms],
      width: HALF,
      height: HEIGHT,
    }),
  ];
}

function circuitRow(circuits: readonly string[]): IWidget[] {
  const stateColor = { OPEN: Color.RED, HALF_OPEN: Color.ORANGE, CLOSED: Color.GREEN } as const;
  return [
    new GraphWidget({
      title: 'Circuits: state changes',
      left: circuits.flatMap((circuit) =>
        CIRCUIT_STATES.map((state) =>
          circuitMetrics(circuit)
            .transitionsTo(state)
            .with({ label: `${circuit} -> ${state}`, ...(circuits.length === 1 && { color: stateColor[state] }) }),
        ),
      ),
      leftYAxis: { min: 0, label: 'transitions', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: 'Circuits: breaker blind (table unreachable)',
      left: circuits.map((circuit) => circuitMetrics(circuit).tableUnreachable.with({ label: circuit })),
      leftYAxis: { min: 0, label: 'checks that failed open', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
  ];
}

function workflowRow(entry: WorkflowEntry): IWidget[] {
  const metrics = workflowMetrics(entry);
  const rtoMs = entry.recoveryTimeObjectiveSeconds && entry.recoveryTimeObjectiveSeconds * 1000;
  return [
    new GraphWidget({
      title: `${entry.name}: executions by status (${entry.type.toLowerCase()})`,
      left: [metrics.started, metrics.succeeded, metrics.failed, metrics.timedOut, metrics.aborted, metrics.throttled],
      leftYAxis: { min: 0, showUnits: false },
      width: THIRD,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${entry.name}: error and retry rate (%)`,
      left: [metrics.errorRate, metrics.retryRate],
      leftAnnotations: [
        limit(ALARM_KINDS['workflow-error-rate'].threshold, 'error rate alarm', Color.RED),
        limit(ALARM_KINDS['workflow-retry-rate'].threshold, 'retry rate alarm', Color.ORANGE),
      ],
      leftYAxis: { min: 0, max: 100, showUnits: false },
      width: THIRD,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${entry.name}: duration${rtoMs ? ' against its RTO' : ''}`,
      left: [metrics.durationP50, metrics.durationP99, ...(rtoMs ? [metrics.durationMax] : [])],
      ...(rtoMs && { leftAnnotations: [limit(rtoMs, 'recovery time objective', Color.RED)] }),
      leftYAxis: { min: 0, label: 'ms', showUnits: false },
      width: THIRD,
      height: HEIGHT,
    }),
  ];
}

/** Drill recovery times against the RTO, and PITR compliance, of every protected table. */
function recoveryRows(snapshot: ObservabilitySnapshot): IWidget[][] {
  const protectedTables = snapshot.tables.filter((table) => table.protected);
  if (protectedTables.length === 0) return [];
  return [
    [
      new GraphWidget({
        title: 'Protected tables: drill recovery time against the RTO',
        left: protectedTables.map((table) => tableMetrics(table).drillRecoveryTime.with({ label: table.name })),
        leftAnnotations: [limit(TABLE_RTO_TARGET_SECONDS, 'RTO (2 h)', Color.RED)],
        leftYAxis: { min: 0, label: 'seconds', showUnits: false },
        width: HALF,
        height: HEIGHT,
      }),
      new GraphWidget({
        title: 'Protected tables: PITR enabled (1) and failed drills',
        left: protectedTables.map((table) => tableMetrics(table).pitrEnabled.with({ label: `${table.name} PITR` })),
        right: protectedTables.map((table) =>
          tableMetrics(table).drillFailed.with({ label: `${table.name} drill failed` }),
        ),
        leftYAxis: { min: 0, max: 1, showUnits: false },
        rightYAxis: { min: 0, max: 1, showUnits: false },
        width: HALF,
        height: HEIGHT,
      }),
    ],
  ];
}

function tableRow(entry: TableEntry): IWidget[] {
  const metrics = tableMetrics(entry);
  return [
    new GraphWidget({
      title: `${entry.name}: consumed capacity against ${capacityLabel(entry.capacity)}`,
      left: [
        metrics.consumedReadPerSecond,
        metrics.consumedWritePerSecond,
        ...(entry.capacity.mode === 'PROVISIONED' ? [metrics.provisionedRead, metrics.provisionedWrite] : []),
      ],
      leftAnnotations: capacityAnnotations(entry.capacity),
      leftYAxis: { min: 0, label: 'units per second', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${entry.name}: throttles and system errors`,
      left: [metrics.readThrottles, metrics.writeThrottles, metrics.systemErrors],
      leftYAxis: { min: 0, showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
  ];
}

function handlerRow(entry: HandlerEntry): IWidget[] {
  const metrics = handlerMetrics(entry);
  return [
    new GraphWidget({
      title: `${entry.name}: invocations, errors and throttles`,
      left: [metrics.invocations, metrics.errors, metrics.throttles],
      right: [metrics.errorRate],
      rightAnnotations: [limit(ALARM_KINDS['handler-errors'].threshold, 'error rate alarm (%)', Color.RED)],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${entry.name}: duration`,
      left: [metrics.durationP50, metrics.durationP99],
      leftYAxis: { min: 0, label: 'ms', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
  ];
}

function queueRow(snapshot: ObservabilitySnapshot): IWidget[] {
  return snapshot.queues.map(
    (entry) =>
      new GraphWidget({
        title: `${entry.name}: dead letters waiting`,
        left: [queueMetrics(entry).visible],
        right: [queueMetrics(entry).oldestAge],
        leftYAxis: { min: 0, showUnits: false },
        width: Math.max(THIRD, Math.floor(FULL / snapshot.queues.length)),
        height: HEIGHT,
      }),
  );
}

function apiRow(entry: ApiEntry): IWidget[] {
  const metrics = apiMetrics(entry);
  return [
    new GraphWidget({
      title: `${entry.name}: latency p50 and p99`,
      left: [metrics.latencyP50, metrics.latencyP99],
      leftYAxis: { min: 0, label: 'ms', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
    new GraphWidget({
      title: `${entry.name}: requests, 4xx and 5xx`,
      left: [metrics.requests, metrics.clientErrors, metrics.serverErrorCount],
      right: [metrics.serverErrorRate],
      rightAnnotations: [limit(ALARM_KINDS['api-error-rate'].threshold, '5xx rate alarm (%)', Color.RED)],
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      width: HALF,
      height: HEIGHT,
    }),
  ];
}

function capacityLabel(capacity: TableCapacity): string {
  if (capacity.mode === 'PROVISIONED') return 'provisioned capacity';
  return capacity.maxReadRequestUnits || capacity.maxWriteRequestUnits ? 'the on-demand maximum' : 'on-demand';
}

/** Where consumption would be throttled or scaled: the on-demand caps, or the auto-scaling range. */
function capacityAnnotations(capacity: TableCapacity): HorizontalAnnotation[] {
  if (capacity.mode === 'PROVISIONED') {
    return [
      limit(capacity.read.max, 'read auto-scaling max', Color.BLUE),
      limit(capacity.write.max, 'write auto-scaling max', Color.ORANGE),
    ];
  }
  return [
    ...(capacity.maxReadRequestUnits ? [limit(capacity.maxReadRequestUnits, 'on-demand read max', Color.BLUE)] : []),
    ...(capacity.maxWriteRequestUnits
      ? [limit(capacity.maxWriteRequestUnits, 'on-demand write max', Color.ORANGE)]
      : []),
  ];
}

function limit(value: number, label: string, color: string): HorizontalAnnotation {
  return { value, label, color };
}
