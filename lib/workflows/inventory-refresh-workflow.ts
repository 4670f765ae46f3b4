/**
 * The inventory refresh workflow: the `inventory-refresh` state machine (its RDS calls protected by the
 * `rds-api` circuit), the `save-inventory-page` Express machine it runs once per page, its reconcile handler,
 * the schedule that starts it, and exactly the permissions each uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import type { CircuitBreakerWorkflow } from './circuit-breaker-workflow';

export const INVENTORY_REFRESH = 'inventory-refresh';
export const SAVE_INVENTORY_PAGE = 'save-inventory-page';
/** The input of scheduled runs; a run started by hand passes `{ "trigger": "manual" }`. */
export const SCHEDULED_INPUT = { trigger: 'schedule' };

/** What the workflow needs from the workflows stack (`{ stack: this }` there). */
export interface InventoryRefreshStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Pick<Record<TableId, ITable>, 'rdsInventory' | 'auditLog'>>;
  readonly circuitBreaker: CircuitBreakerWorkflow;
  readonly deadLetterQueue: IQueue;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface InventoryRefreshWorkflowProps {
  readonly stack: InventoryRefreshStackContext;
  /** Turn the schedule off (the rule stays, disabled). @default true */
  readonly scheduleEnabled?: boolean;
}

export class InventoryRefreshWorkflow extends Construct {
  readonly machine: AslStateMachine;
  /** The Express child that saves one page of instances (its Map's events stay out of the refresh's history). */
  readonly pageSaver: AslStateMachine;
  readonly reconcile: HandlerFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: InventoryRefreshWorkflowProps) {
    super(scope, id);
    const { config, tables, circuitBreaker, deadLetterQueue, defaults } = props.stack;

    this.reconcile = new HandlerFunction(this, 'ReconcileInventory', {
      entry: 'inventory/reconcile-inventory.ts',
      serviceName: INVENTORY_REFRESH,
      logRetention: defaults.logRetention,
      timeout: Duration.minutes(2),
    });
    // Exactly Scan + UpdateItem: bindTable's access levels would also grant DeleteItem and BatchWriteItem.
    for (const statement of tableStatements(tables.rdsInventory, ['dynamodb:Scan', 'dynamodb:UpdateItem'])) {
      this.reconcile.role.addToPrincipalPolicy(statement);
    }
    this.reconcile.function.addEnvironment('INVENTORY_TABLE_NAME', tables.rdsInventory.tableName);

    this.pageSaver = new AslStateMachine(this, 'SavePage', {
      name: SAVE_INVENTORY_PAGE,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${SAVE_INVENTORY_PAGE}.asl.json`),
      substitutions: { InventoryTableName: tables.rdsInventory.tableName },
      // Express: a page is 20 conditional writes, a few seconds at worst. Its executions keep no history, which
      // is the point: the refresh's own history grows by one Task per page instead of 7 events per instance.
      stateMachineType: StateMachineType.EXPRESS,
      // Below the refresh's 150 s TimeoutSeconds on the call, so a stuck page ends as TIMED_OUT, which it reports.
      timeout: Duration.minutes(2),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    this.pageSaver.allowTableActions(tables.rdsInventory, ['dynamodb:UpdateItem']);

    const definitionFile = join(__dirname, '..', '..', 'state-machines', `${INVENTORY_REFRESH}.asl.json`);
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8')) as { States: Record<string, unknown> };
    const breaker = circuitBreaker.callerSubstitutions(definition, `${this.node.path} (${INVENTORY_REFRESH})`);

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: INVENTORY_REFRESH,
      definitionFile,
      substitutions: {
        AuditLogTableName: tables.auditLog.tableName,
        ReconcileInventoryFunctionArn: this.reconcile.function.functionArn,
        SaveInventoryPageArn: this.pageSaver.stateMachine.stateMachineArn,
        ...breaker.substitutions,
      },
      // A refresh lists a few hundred instances; half an hour means something is stuck.
      timeout: Duration.minutes(30),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    // The breaker machine holds the circuit's table, bus and metric permissions; a caller only runs it.
    circuitBreaker.allowCallsFrom(this.machine);
    this.machine.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartSyncExecution'],
        resources: [this.pageSaver.stateMachine.stateMachineArn],
      }),
    );
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowFunctionInvoke(this.reconcile.function);
    this.machine.allowServiceActions(
      ['rds:DescribeDBInstances'],
      ['*'],
      'The refresh lists every DB instance of the account and region; DescribeDBInstances without an identifier ' +
        'is authorized only against resource "*" (a per-instance ARN would only allow describing that instance).',
    );

    this.schedule = new Rule(this, 'Schedule', {
      description: `Starts ${INVENTORY_REFRESH} (${config.inventoryRefreshSchedule})`,
      schedule: Schedule.expression(config.inventoryRefreshSchedule),
      enabled: props.scheduleEnabled ?? true,
    });
    this.schedule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject(SCHEDULED_INPUT),
        deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.minutes(15),
      }),
    );
  }
}
