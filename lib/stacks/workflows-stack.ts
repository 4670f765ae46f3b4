/**
 * The workflows: state machines, their handlers and the EventBridge rules that start them. Each workflow
 * is one construct from `lib/workflows/`, added below as `new XxxWorkflow(this, 'Xxx', { ... })`.
 */
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus, type IRule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { occurrenceAlarm } from '../constructs/occurrence-alarm';
import { CircuitBreakerWorkflow } from '../workflows/circuit-breaker-workflow';
import { CutoverTableWorkflow } from '../workflows/cutover-table-workflow';
import { DrDrillWorkflow } from '../workflows/dr-drill-workflow';
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
  /** Where workflows notify operators: the monitoring stack's topic. */
  readonly notificationTopic: ITopic;
  /** The rules whose workflows write each table: a cutover pauses them while it copies into that table. */
  readonly tableWriters = new Map<TableId, IRule[]>();

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);
    this.config = props.config;
    this.tables = props.tables;
    this.defaults = {
      logRetention: props.config.logRetentionDays as RetentionDays,
      ...(props.alarmAction ? { alarmAction: props.alarmAction } : {}),
    };
    this.notificationTopic = props.notificationTopic;
    this.eventBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.deadLetterQueue = this.createDeadLetterQueue(props.alarmAction);

    this.circuitBreaker = new CircuitBreakerWorkflow(this, 'CircuitBreaker', {
      config: this.config,
      circuitTable: this.tables.circuitBreakers,
      eventBus: this.eventBus,
      ...this.defaults,
    });

    // Workflows from lib/workflows/, one line each.
    const inventoryRefresh = new InventoryRefreshWorkflow(this, 'InventoryRefresh', { stack: this });
    this.registerWriters(inventoryRefresh.schedule, ['rdsInventory', 'auditLog']);
    const integrity = new TableIntegrityCheck(this, 'TableIntegrity', { stack: this });
    const restore = new RestoreTableWorkflow(this, 'RestoreTable', { stack: this, integrityAlarms: integrity.alarms });
    if (restore.alarmRule) this.registerWriters(restore.alarmRule, ['auditLog', 'rdsApprovals']);
    const recovery = new RecoverDeletedTableWorkflow(this, 'RecoverDeletedTable', { stack: this, restore });
    this.registerWriters(recovery.deletionRule, ['auditLog']);
    const drill = new DrDrillWorkflow(this, 'DrDrill', { stack: this, restore });
    this.registerWriters(drill.schedule, ['auditLog']);
    const compliance = new PitrComplianceWorkflow(this, 'PitrCompliance', { stack: this });
    this.registerWriters(compliance.schedule, ['auditLog']);
    // Last: the cutover pauses the rules registered above.
    new CutoverTableWorkflow(this, 'CutoverTable', { stack: this, writers: this.tableWriters });
  }

  /** Records that the workflow `rule` starts writes `tables`, so a cutover of one of them pauses the rule. */
  registerWriters(rule: IRule, tables: readonly TableId[]): void {
    for (const tableId of tables) this.tableWriters.set(tableId, [...(this.tableWriters.get(tableId) ?? []), rule]);
  }

  private createDeadLetterQueue(alarmAction: IAlarmAction | undefined): Queue {
    const queue = new Queue(this, 'EventDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge rule targets.',
    });
    occurrenceAlarm(this, 'EventDeadLetterAlarm', {
      description:
        'An event could not start its workflow and was parked in the dead-letter queue; inspect and redrive it.',
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      action: alarmAction,
    });
    return queue;
  }
}
