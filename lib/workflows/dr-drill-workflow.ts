/**
 * The disaster-recovery drill: the `dr-drill` state machine on a schedule (weekly by default) and by hand. It
 * restores each protected table into a scratch table `drill-<table>-<timestamp>`, validates and measures it with
 * the restore-table handlers, publishes DrillRecoveryTimeSeconds and DrillFailed per table, and deletes the scratch
 * table. IAM lets it create, read and delete `drill-*` tables and nothing else: the live tables are only read.
 */
import { join } from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import { DISASTER_RECOVERY_METRIC_NAMESPACE } from '../observability/metric-names';
import { allowNestedExecution } from './nested-execution';
import { grantOnPattern, protectedTables, tableCatalogJson } from './recovery-tables';
import {
  KMS_RESTORE_ACTIONS,
  type RestoreTableStackContext,
  type RestoreTableWorkflow,
} from './restore-table-workflow';
import { WaitForTableActiveMachine } from './wait-for-table-active-machine';

export const DR_DRILL = 'dr-drill';
export const WAIT_FOR_DRILL_TABLE = 'wait-for-drill-table';

const DRILL_JUSTIFICATION =
  'Scratch tables get a timestamp in their name at run time; the pattern admits only tables named drill-*, ' +
  'which no table of the app matches, so the drill can create, read and delete its scratch tables and nothing else.';

/** `arn:...:table/drill-*`: the only tables a drill may create, read item by item, and delete. */
export function drillTablesArn(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: 'drill-*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

export interface DrDrillWorkflowProps {
  readonly stack: RestoreTableStackContext;
  /** The point-in-time restore workflow, whose validation and measurement handlers the drill reuses. */
  readonly restore: RestoreTableWorkflow;
}

export class DrDrillWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly waitForTableActive: WaitForTableActiveMachine;
  readonly planDrill: HandlerFunction;
  readonly recordReport: HandlerFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: DrDrillWorkflowProps) {
    super(scope, id);
    const { config, tables, defaults } = props.stack;
    const drillTables = drillTablesArn(this);
    const sources = protectedTables(tables);

    this.waitForTableActive = new WaitForTableActiveMachine(this, 'WaitForDrillTable', {
      workflowName: WAIT_FOR_DRILL_TABLE,
      tables: [drillTables],
      tablesJustification: DRILL_JUSTIFICATION,
      maxWaitSeconds: config.restore.maxWaitSeconds,
      defaults,
    });

    this.planDrill = new HandlerFunction(this, 'PlanDrill', {
      entry: 'recovery/plan-drill.ts',
      serviceName: DR_DRILL,
      logRetention: defaults.logRetention,
      timeout: Duration.seconds(60),
      environment: {
        DRILL_SETTINGS: JSON.stringify({
          rtoTargetSeconds: config.restore.recoveryTimeObjectiveSeconds,
          maxConcurrency: config.drill.maxConcurrency,
          leftoverMaxAgeSeconds: config.drill.leftoverMaxAgeHours * 3600,
          validationSampleSize: config.restore.validationSampleSize,
          maxWaitSeconds: config.restore.maxWaitSeconds,
          firstPollSeconds: config.restore.firstPollSeconds,
          maxPollSeconds: config.restore.maxPollSeconds,
        }),
      },
    });
    this.planDrill.function.addEnvironment('TABLE_CATALOG', tableCatalogJson(this, tables));
    grantOnPattern(
      this.planDrill,
      'ListTables',
      this.planDrill.role,
      ['dynamodb:ListTables'],
      ['*'],
      'DynamoDB ListTables supports no resource-level permissions; the handler keeps only drill-* names from it.',
    );
    grantOnPattern(
      this.planDrill,
      'DescribeScratchTables',
      this.planDrill.role,
      ['dynamodb:DescribeTable'],
      [drillTables],
      DRILL_JUSTIFICATION,
    );

    this.recordReport = new HandlerFunction(this, 'RecordDrillReport', {
      entry: 'recovery/record-drill-report.ts',
      serviceName: DR_DRILL,
      logRetention: defaults.logRetention,
      environment: { AUDIT_TABLE_NAME: tables.auditLog.tableName },
    });
    for (const statement of tableStatements(tables.auditLog, ['dynamodb:PutItem'])) {
      this.recordReport.role.addToPrincipalPolicy(statement);
    }

    // The restore-table validation handler reads the scratch tables too (DescribeTable and Scan, no writes).
    const { validate, measure } = props.restore.handlers;
    grantOnPattern(
      validate,
      'ReadDrillTables',
      validate.role,
      ['dynamodb:DescribeTable', 'dynamodb:Scan'],
      [drillTables],
      DRILL_JUSTIFICATION,
    );

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: DR_DRILL,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${DR_DRILL}.asl.json`),
      substitutions: {
        PlanDrillFunctionArn: this.planDrill.function.functionArn,
        ValidateRestoredTableFunctionArn: validate.function.functionArn,
        MeasureRecoveryFunctionArn: measure.function.functionArn,
        RecordDrillReportFunctionArn: this.recordReport.function.functionArn,
        WaitForTableActiveStateMachineArn: this.waitForTableActive.machine.stateMachine.stateMachineArn,
        NotificationTopicArn: props.stack.notificationTopic.topicArn,
      },
      // Five restores, two at a time, each bounded by the wait maximum.
      timeout: Duration.seconds(3 * config.restore.maxWaitSeconds + 3600),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    for (const fn of [this.planDrill, validate, measure, this.recordReport]) {
      this.machine.allowFunctionInvoke(fn.function);
    }
    allowNestedExecution(this.machine, this.waitForTableActive.machine);
    this.machine.allowServiceActions(['sns:Publish'], [props.stack.notificationTopic.topicArn]);
    // The restore reads the live table (source side of RestoreTableToPointInTime) and nothing else of it.
    this.machine.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:RestoreTableToPointInTime'],
        resources: sources.map((table) => table.tableArn),
      }),
    );
    // Target side: create, fill (DynamoDB needs item access on the new table) and delete scratch tables only.
    this.machine.allowServiceActions(
      [
        'dynamodb:DeleteTable',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      [drillTables],
      DRILL_JUSTIFICATION,
    );
    const key = tables.rdsInventory.encryptionKey;
    if (key) {
      this.machine.allowServiceActions([...KMS_RESTORE_ACTIONS], [key.keyArn]);
    }
    allowDisasterRecoveryMetrics(this, this.machine);

    this.schedule = new Rule(this, 'Schedule', {
      description: `Starts ${DR_DRILL} (${config.drill.schedule})`,
      schedule: Schedule.expression(config.drill.schedule),
    });
    this.schedule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject({ requestedBy: 'schedule', reason: 'scheduled disaster-recovery drill' }),
        deadLetterQueue: props.stack.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    );
  }
}

/** PutMetricData has no resource-level permissions; the namespace condition keeps it to the DR metrics. */
export function allowDisasterRecoveryMetrics(scope: Construct, machine: AslStateMachine): void {
  const policy = new Policy(scope, 'DisasterRecoveryMetrics', {
    statements: [
      new PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': DISASTER_RECOVERY_METRIC_NAMESPACE } },
      }),
    ],
  });
  policy.attachToRole(machine.role);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'CloudWatch PutMetricData supports no resource-level permissions; the statement is limited to the ' +
      `${DISASTER_RECOVERY_METRIC_NAMESPACE} namespace by the cloudwatch:namespace condition key.`,
  });
}
