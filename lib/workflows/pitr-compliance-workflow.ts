/**
 * PITR compliance: the `pitr-compliance` Express state machine on a schedule (hourly by default). It describes the
 * continuous backups of each protected table, publishes PitrEnabled (1/0) and PitrRecoveryPeriodDays per table (the
 * PITR-disabled alarms watch the first), and with `pitr.autoRemediate` turns PITR back on with the configured
 * recovery period and writes the audit log.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { allowDisasterRecoveryMetrics } from './dr-drill-workflow';
import { protectedTables } from './recovery-tables';
import type { RestoreTableStackContext } from './restore-table-workflow';

export const PITR_COMPLIANCE = 'pitr-compliance';

export interface PitrComplianceWorkflowProps {
  readonly stack: RestoreTableStackContext;
}

export class PitrComplianceWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: PitrComplianceWorkflowProps) {
    super(scope, id);
    const { config, tables, defaults } = props.stack;
    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: PITR_COMPLIANCE,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${PITR_COMPLIANCE}.asl.json`),
      substitutions: {
        RdsInventoryTableName: tables.rdsInventory.tableName,
        HealthAlertsTableName: tables.healthAlerts.tableName,
        AuditLogTableName: tables.auditLog.tableName,
        CostSnapshotsTableName: tables.costSnapshots.tableName,
        RdsApprovalsTableName: tables.rdsApprovals.tableName,
        PitrRecoveryPeriodInDays: String(config.pitr.recoveryPeriodInDays),
        PitrAutoRemediate: String(config.pitr.autoRemediate),
      },
      stateMachineType: StateMachineType.EXPRESS,
      timeout: Duration.minutes(5),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    const sources = protectedTables(tables);
    const actions = config.pitr.autoRemediate
      ? ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups']
      : ['dynamodb:DescribeContinuousBackups'];
    for (const table of sources) this.machine.allowTableActions(table, actions);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    allowDisasterRecoveryMetrics(this, this.machine);

    this.schedule = new Rule(this, 'Schedule', {
      description: `Starts ${PITR_COMPLIANCE} (${config.pitr.complianceSchedule})`,
      schedule: Schedule.expression(config.pitr.complianceSchedule),
    });
    this.schedule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject({ trigger: 'schedule' }),
        deadLetterQueue: props.stack.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.minutes(30),
      }),
    );
  }
}
