/**
 * The point-in-time restore workflow: the `restore-table` state machine, its two reusable child machines
 * (`wait-for-table-active`, `reapply-table-settings`), its handlers, the rule that starts it when a data-integrity
 * alarm goes to ALARM, and exactly the permissions it uses. It creates and changes only tables named
 * `<data stack>-*-restored-*`; the source tables are read, never written, updated or deleted.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventField, type IEventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import { allowNestedExecution } from './nested-execution';
import { ReapplyTableSettingsMachine } from './reapply-table-settings-machine';
import {
  declaredCapacityJson,
  grantOnPattern,
  protectedTables,
  restoredTablePrefix,
  restoredTablesArn,
  tableCatalogJson,
} from './recovery-tables';
import { WaitForTableActiveMachine } from './wait-for-table-active-machine';

export const RESTORE_TABLE = 'restore-table';

/** What the workflow needs from the workflows stack (`{ stack: this }` there). */
export interface RestoreTableStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  readonly eventBus: IEventBus;
  readonly deadLetterQueue: IQueue;
  readonly notificationTopic: ITopic;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface RestoreTableWorkflowProps {
  readonly stack: RestoreTableStackContext;
  /** Data-integrity alarms by table id; each one's ALARM starts a restore of its table. @default none */
  readonly integrityAlarms?: Readonly<Partial<Record<TableId, Alarm>>>;
}

const RESTORED_JUSTIFICATION =
  'Restored tables are created at run time with generated names; the pattern admits only <data stack>-*-restored-*, ' +
  'never a source table, which is the least a restore to a new table can be given.';

export class RestoreTableWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly waitForTableActive: WaitForTableActiveMachine;
  readonly reapplyTableSettings: ReapplyTableSettingsMachine;
  readonly handlers: {
    readonly checkRequest: HandlerFunction;
    readonly readSettings: HandlerFunction;
    readonly requestApproval: HandlerFunction;
    readonly validate: HandlerFunction;
    readonly measure: HandlerFunction;
  };
  /** Starts restore-table when a data-integrity alarm goes to ALARM (absent without alarms). */
  readonly alarmRule?: Rule;

  constructor(scope: Construct, id: string, props: RestoreTableWorkflowProps) {
    super(scope, id);
    const { config, tables, defaults } = props.stack;
    const restored = restoredTablesArn(this, tables);
    const sources = protectedTables(tables);
    const restoredNames = `${restoredTablePrefix(tables)}*-restored-*`;

    this.waitForTableActive = new WaitForTableActiveMachine(this, 'WaitForTableActive', {
      tables: [restored],
      tablesJustification: RESTORED_JUSTIFICATION,
      maxWaitSeconds: config.restore.maxWaitSeconds,
      defaults,
    });
    this.reapplyTableSettings = new ReapplyTableSettingsMachine(this, 'ReapplyTableSettings', {
      tables: [restored],
      tableNames: [restoredNames],
      tablesJustification: RESTORED_JUSTIFICATION,
      defaults,
    });

    this.handlers = this.createHandlers(props.stack, restored, sources);
    const machineTimeout = Duration.seconds(
      config.restore.approvalTimeoutSeconds + config.restore.maxWaitSeconds + 3600,
    );
    this.handlers.checkRequest.function.addEnvironment(
      'RESTORE_SETTINGS',
      JSON.stringify({
        approvalTimeoutSeconds: config.restore.approvalTimeoutSeconds,
        allowApprovalSkip: config.restore.allowApprovalSkip,
        maxWaitSeconds: config.restore.maxWaitSeconds,
        firstPollSeconds: config.restore.firstPollSeconds,
        maxPollSeconds: config.restore.maxPollSeconds,
        validationSampleSize: config.restore.validationSampleSize,
        // The lock outlives the execution by nothing: when the execution has timed out, the lock has expired.
        lockSeconds: machineTimeout.toSeconds(),
      }),
    );

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: RESTORE_TABLE,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${RESTORE_TABLE}.asl.json`),
      substitutions: {
        CheckRestoreRequestFunctionArn: this.handlers.checkRequest.function.functionArn,
        ReadTableSettingsFunctionArn: this.handlers.readSettings.function.functionArn,
        RequestApprovalFunctionArn: this.handlers.requestApproval.function.functionArn,
        ValidateRestoredTableFunctionArn: this.handlers.validate.function.functionArn,
        MeasureRecoveryFunctionArn: this.handlers.measure.function.functionArn,
        WaitForTableActiveStateMachineArn: this.waitForTableActive.machine.stateMachine.stateMachineArn,
        ReapplyTableSettingsStateMachineArn: this.reapplyTableSettings.machine.stateMachine.stateMachineArn,
        AuditLogTableName: tables.auditLog.tableName,
        CoordinationTableName: tables.coordination.tableName,
        ApprovalsTableName: tables.rdsApprovals.tableName,
        NotificationTopicArn: props.stack.notificationTopic.topicArn,
      },
      timeout: machineTimeout,
      // Trigger to validated table is the restore's recovery time: its duration is alarmed against the objective.
      recoveryTimeObjective: Duration.seconds(config.restore.recoveryTimeObjectiveSeconds),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    for (const handler of Object.values(this.handlers)) this.machine.allowFunctionInvoke(handler.function);
    allowNestedExecution(this.machine, this.waitForTableActive.machine);
    allowNestedExecution(this.machine, this.reapplyTableSettings.machine);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowTableActions(tables.coordination, [
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:DeleteItem',
    ]);
    this.machine.allowTableActions(tables.rdsApprovals, ['dynamodb:UpdateItem']);
    this.machine.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:RestoreTableToPointInTime'],
        resources: sources.map((table) => table.tableArn),
      }),
    );
    // DynamoDB authorizes a restore against the source and needs item access on the new table it fills.
    this.machine.allowServiceActions(
      [
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
      ],
      [restored],
      RESTORED_JUSTIFICATION,
    );
    this.machine.allowServiceActions(['sns:Publish'], [props.stack.notificationTopic.topicArn]);
    // A restored table is encrypted with the source's key: restoring into it uses the key on the caller's behalf.
    const key = tables.rdsInventory.encryptionKey;
    if (key) {
      this.machine.allowServiceActions([...KMS_RESTORE_ACTIONS], [key.keyArn]);
    }

    if (props.integrityAlarms && Object.keys(props.integrityAlarms).length > 0) {
      this.alarmRule = this.createAlarmRule(props.stack, props.integrityAlarms);
    }
  }

  private createHandlers(stack: RestoreTableStackContext, restored: string, sources: readonly ITable[]) {
    const { tables, defaults, config } = stack;
    const handler = (id: string, entry: string, timeout = Duration.seconds(30)) =>
      new HandlerFunction(this, id, {
        entry: `restore/${entry}.ts`,
        serviceName: RESTORE_TABLE,
        logRetention: defaults.logRetention,
        timeout,
      });
    const catalog = tableCatalogJson(this, tables);
    const onSources = (fn: HandlerFunction, actions: string[]) => {
      for (const table of sources) {
        for (const statement of tableStatements(table, actions)) fn.role.addToPrincipalPolicy(statement);
      }
    };
    const onRestored = (fn: HandlerFunction, actions: string[]) => {
      grantOnPattern(fn, 'OnRestoredTables', fn.role, actions, [restored], RESTORED_JUSTIFICATION);
      const key = tables.rdsInventory.encryptionKey;
      const reads = actions.some((action) => action === 'dynamodb:Scan' || action === 'dynamodb:GetItem');
      if (key && reads) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [key.keyArn] }),
        );
      }
    };

    const checkRequest = handler('CheckRestoreRequest', 'check-restore-request');
    checkRequest.function.addEnvironment('TABLE_CATALOG', catalog);
    onSources(checkRequest, ['dynamodb:DescribeContinuousBackups']);
    onRestored(checkRequest, ['dynamodb:DescribeTable']);

    const readSettings = handler('ReadTableSettings', 'read-table-settings');
    readSettings.function.addEnvironment('DECLARED_CAPACITY', declaredCapacityJson(config.capacity));
    onSources(readSettings, [
      'dynamodb:DescribeTable',
      'dynamodb:DescribeContinuousBackups',
      'dynamodb:DescribeTimeToLive',
      'dynamodb:ListTagsOfResource',
    ]);

    const requestApproval = handler('RequestApproval', 'request-approval');
    for (const statement of tableStatements(tables.rdsApprovals, ['dynamodb:PutItem'])) {
      requestApproval.role.addToPrincipalPolicy(statement);
    }
    for (const statement of tableStatements(tables.auditLog, ['dynamodb:PutItem'])) {
      requestApproval.role.addToPrincipalPolicy(statement);
    }
    requestApproval.function.addEnvironment('APPROVALS_TABLE_NAME', tables.rdsApprovals.tableName);
    requestApproval.function.addEnvironment('AUDIT_TABLE_NAME', tables.auditLog.tableName);

    // Scans the whole restored table and samples the source: minutes for a large table.
    const validate = handler('ValidateRestoredTable', 'validate-restored-table', Duration.minutes(15));
    onSources(validate, ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Scan']);
    onRestored(validate, ['dynamodb:DescribeTable', 'dynamodb:Scan']);

    const measure = handler('MeasureRecovery', 'measure-recovery');
    return { checkRequest, readSettings, requestApproval, validate, measure };
  }

  /**
   * One rule for every integrity alarm: its ALARM starts a restore of the alarm's table (the TableName dimension)
   * to `alarmMarginSeconds` before the moment the alarm left OK, always with approval.
   */
  private createAlarmRule(stack: RestoreTableStackContext, alarms: Readonly<Partial<Record<TableId, Alarm>>>): Rule {
    const rule = new Rule(this, 'IntegrityAlarmRule', {
      description: `Starts ${RESTORE_TABLE} when a data-integrity alarm goes to ALARM`,
      eventBus: stack.eventBus,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: Object.values(alarms).map((alarm) => alarm!.alarmArn),
        detail: { state: { value: ['ALARM'] } },
      },
    });
    const alarmName = EventField.fromPath('$.detail.alarmName');
    rule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject({
          tableName: EventField.fromPath('$.detail.configuration.metrics[0].metricStat.metric.dimensions.TableName'),
          // When the alarm left OK; the restore goes back the configured margin from there.
          restoreTo: {
            before: EventField.fromPath('$.detail.state.timestamp'),
            marginSeconds: stack.config.restore.alarmMarginSeconds,
          },
          reason: `Data-integrity alarm ${alarmName} went to ALARM`,
          requestedBy: `alarm:${alarmName}`,
          approval: 'required',
        }),
        deadLetterQueue: stack.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    );
    return rule;
  }
}

/** What restoring a table encrypted with a customer-managed key asks of that key (DynamoDB calls KMS for the caller). */
export const KMS_RESTORE_ACTIONS = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];
