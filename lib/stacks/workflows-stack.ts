/**
 * The workflows: state machines, their handlers and the EventBridge rules that start them. Each workflow
 * is one construct from `lib/workflows/`, added below as `new XxxWorkflow(this, 'Xxx', { ... })`.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus, type IRule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { CircuitBreakerWorkflow } from '../workflows/circuit-breaker-workflow';
import { CostSnapshotWorkflow } from '../workflows/cost-snapshot-workflow';
import { CutoverTableWorkflow } from '../workflows/cutover-table-workflow';
import { DrDrillWorkflow } from '../workflows/dr-drill-workflow';
import { HealthAlertIngestionWorkflow } from '../workflows/health-alert-ingestion-workflow';
import { InventoryRefreshWorkflow } from '../workflows/inventory-refresh-workflow';
import { PitrComplianceWorkflow } from '../workflows/pitr-compliance-workflow';
import { RecoverDeletedTableWorkflow } from '../workflows/recover-deleted-table-workflow';
import { RestoreTableWorkflow } from '../workflows/restore-table-workflow';
import { TableIntegrityCheck } from '../workflows/table-integrity-check';

export interface WorkflowsStackProps extends StackProps {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  /** Where workflow alarms notify. @default - no action */
  readonly alarmAction?: IAlarmAction;
  /** Where workflows notify operators (approval requests, restore outcomes). */
  readonly notificationTopic: ITopic;
}

/** Settings every workflow construct passes on to `AslStateMachine` and `HandlerFunction`. */
export interface WorkflowDefaults {
  readonly logRetention: RetentionDays;
  readonly alarmAction?: IAlarmAction;
}

export class WorkflowsStack extends Stack {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  /** The default bus: CloudTrail API calls and CloudWatch alarm state changes arrive here. */
  readonly eventBus: IEventBus;
  /** Dead-letter queue for EventBridge rule targets: events that could not start a workflow land here. */
  readonly deadLetterQueue: Queue;
  /** Spread into `AslStateMachine` / `HandlerFunction` props: `{ ...stack.defaults, name, ... }`. */
  readonly defaults: WorkflowDefaults;
  /** The one breaker machine every protected call runs (`callerSubstitutions`, `allowCallsFrom`). */
  readonly circuitBreaker: CircuitBreakerWorkflow;
  readonly inventoryRefresh: InventoryRefreshWorkflow;
  readonly healthAlertIngestion: HealthAlertIngestionWorkflow;
  readonly costSnapshot: CostSnapshotWorkflow;
  readonly restoreTable: RestoreTableWorkflow;
  readonly cutoverTable: CutoverTableWorkflow;
  readonly recoverDeletedTable: RecoverDeletedTableWorkflow;
  readonly drDrill: DrDrillWorkflow;
  readonly pitrCompliance: PitrComplianceWorkflow;
  /** Where workflows notify operators: the monitoring stack's topic. */
  readonly notificationTopic: ITopic;
  /** The rules whose workflows write each table: a cutover pauses them while it copies into that table. */
  readonly tableWriters = new Map<TableId, IRule[]>();

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    // Fourteen state machines with their definitions inline: unindented JSON keeps the template well under 1 MB.
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    this.config = props.config;
    this.tables = props.tables;
    this.defaults = {
      logRetention: props.config.logRetentionDays as RetentionDays,
      ...(props.alarmAction ? { alarmAction: props.alarmAction } : {}),
    };
    this.notificationTopic = props.notificationTopic;
    this.eventBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.deadLetterQueue = new DeadLetterQueue(this, 'EventDeadLetterQueue', {
      name: 'rule-targets',
      purpose: 'events EventBridge rules could not deliver to their workflow; inspect and redrive them.',
      ...(props.alarmAction ? { alarmAction: props.alarmAction } : {}),
    }).queue;

    this.circuitBreaker = new CircuitBreakerWorkflow(this, 'CircuitBreaker', {
      config: this.config,
      circuitTable: this.tables.circuitBreakers,
      eventBus: this.eventBus,
      ...this.defaults,
    });

    // Workflows from lib/workflows/, one line each.
    this.inventoryRefresh = new InventoryRefreshWorkflow(this, 'InventoryRefresh', { stack: this });
    this.healthAlertIngestion = new HealthAlertIngestionWorkflow(this, 'HealthAlertIngestion', { stack: this });
    this.costSnapshot = new CostSnapshotWorkflow(this, 'CostSnapshot', { stack: this });
    const integrity = new TableIntegrityCheck(this, 'TableIntegrity', { stack: this });
    this.restoreTable = new RestoreTableWorkflow(this, 'RestoreTable', {
      stack: this,
      integrityAlarms: integrity.alarms,
    });

    // Every rule that starts a workflow writing a protected table (save-inventory-page runs inside the refresh).
    this.registerWriters(this.inventoryRefresh.schedule, ['rdsInventory', 'auditLog']);
    this.registerWriters(this.healthAlertIngestion.alarmRule, ['healthAlerts', 'auditLog']);
    this.registerWriters(this.healthAlertIngestion.rdsEventRule, ['healthAlerts', 'auditLog']);
    this.registerWriters(this.costSnapshot.schedule, ['costSnapshots', 'auditLog']);
    if (this.restoreTable.alarmRule) this.registerWriters(this.restoreTable.alarmRule, ['auditLog', 'rdsApprovals']);
    this.recoverDeletedTable = new RecoverDeletedTableWorkflow(this, 'RecoverDeletedTable', {
      stack: this,
      restore: this.restoreTable,
    });
    // Not registered as a writer: a cutover of audit-log must never hold back the recovery of a deleted table (its
    // audit entries written meanwhile show up as newer items of the cutover).
    this.drDrill = new DrDrillWorkflow(this, 'DrDrill', { stack: this, restore: this.restoreTable });
    this.registerWriters(this.drDrill.schedule, ['auditLog']);
    this.pitrCompliance = new PitrComplianceWorkflow(this, 'PitrCompliance', { stack: this });
    this.registerWriters(this.pitrCompliance.schedule, ['auditLog']);
    // Last: the cutover pauses the rules registered above.
    this.cutoverTable = new CutoverTableWorkflow(this, 'CutoverTable', { stack: this, writers: this.tableWriters });
  }

  /** Records that the workflow `rule` starts writes `tables`, so a cutover of one of them pauses the rule. */
  registerWriters(rule: IRule, tables: readonly TableId[]): void {
    for (const tableId of tables) this.tableWriters.set(tableId, [...(this.tableWriters.get(tableId) ?? []), rule]);
  }
}
