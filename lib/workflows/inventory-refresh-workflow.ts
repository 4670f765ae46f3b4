/**
 * The inventory refresh workflow: the `inventory-refresh` state machine (gated by the `rds-api` circuit),
 * its reconcile handler, the schedule that starts it, and exactly the permissions it uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { circuitsOfMachine, loadCircuitGates } from '../circuit-breaker/declaration';
import { assertLeaseOutlastsProbe, type ProtectedTask } from '../circuit-breaker/probe-lease';
import { circuitSubstitutions } from '../circuit-breaker/substitutions';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import { InvalidConstructPropsError } from '../errors';

export const INVENTORY_REFRESH = 'inventory-refresh';
/** The input of scheduled runs; a run started by hand passes `{ "trigger": "manual" }`. */
export const SCHEDULED_INPUT = { trigger: 'schedule' };

/** What the workflow needs from the workflows stack (`{ stack: this }` there). */
export interface InventoryRefreshStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Pick<Record<TableId, ITable>, 'rdsInventory' | 'auditLog' | 'circuitBreakers'>>;
  readonly eventBus: IEventBus;
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
  readonly reconcile: HandlerFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: InventoryRefreshWorkflowProps) {
    super(scope, id);
    const { config, tables, eventBus, deadLetterQueue, defaults } = props.stack;

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

    const definitionFile = join(__dirname, '..', '..', 'state-machines', `${INVENTORY_REFRESH}.asl.json`);
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8')) as { States: Record<string, ProtectedTask> };
    const gates = loadCircuitGates();
    const circuitSettings: Record<string, string> = {};
    for (const circuit of circuitsOfMachine(gates, INVENTORY_REFRESH)) {
      const settings = config.circuits[circuit];
      if (!settings) {
        throw new InvalidConstructPropsError(
          `${this.node.path}: circuit "${circuit}" gates ${INVENTORY_REFRESH} but has no settings in config.circuits.`,
        );
      }
      for (const gate of gates.gates.filter((g) => g.machine === INVENTORY_REFRESH && g.circuit === circuit)) {
        assertLeaseOutlastsProbe(
          circuit,
          settings.probeLeaseSeconds,
          gate.protectedState,
          definition.States[gate.protectedState],
        );
      }
      Object.assign(circuitSettings, circuitSubstitutions(circuit, settings));
    }

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: INVENTORY_REFRESH,
      definitionFile,
      substitutions: {
        CircuitTableName: tables.circuitBreakers.tableName,
        InventoryTableName: tables.rdsInventory.tableName,
        AuditLogTableName: tables.auditLog.tableName,
        ReconcileInventoryFunctionArn: this.reconcile.function.functionArn,
        EventBusName: eventBus.eventBusName,
        ...circuitSettings,
      },
      // A refresh lists a few hundred instances; half an hour means something is stuck.
      timeout: Duration.minutes(30),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    // The gate reads the circuit, the first failure creates it, transitions update it: nothing else.
    this.machine.allowTableActions(tables.circuitBreakers, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    this.machine.allowTableActions(tables.rdsInventory, ['dynamodb:UpdateItem']);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowFunctionInvoke(this.reconcile.function);
    this.machine.allowPutEvents(eventBus);
    this.machine.allowServiceActions(
      ['rds:DescribeDBInstances'],
      ['*'],
      'The refresh lists every DB instance of the account and region; DescribeDBInstances without an identifier ' +
        'is authorized only against resource "*" (a per-instance ARN would only allow describing that instance).',
    );
    this.machine.allowServiceActions(
      ['cloudwatch:PutMetricData'],
      ['*'],
      'CloudWatch PutMetricData supports no resource-level permissions; the circuit gate only writes the ' +
        'RdsOps/CircuitBreaker namespace.',
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
