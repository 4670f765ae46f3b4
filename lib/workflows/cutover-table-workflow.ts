/**
 * The cutover workflow: the `cutover-table` state machine (always approved) that copies a restored table's items
 * back into the live table it was restored from, with the live table's writers paused, its handlers, and the
 * permissions it uses. IAM cannot name "the one live table in the input" (it is known only at run time): the
 * copy handlers may write the five protected tables and nothing else, and the workflow itself refuses a restored
 * table whose RestoreSummary names another source. docs/workflows/cutover-table.md explains the trade-off.
 */
import { join } from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import {
  grantOnPattern,
  protectedTables,
  restoredTablePrefix,
  restoredTablesArn,
  tableCatalogJson,
} from './recovery-tables';

export const CUTOVER_TABLE = 'cutover-table';

export interface CutoverTableStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  readonly notificationTopic: ITopic;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface CutoverTableWorkflowProps {
  readonly stack: CutoverTableStackContext;
  /** The EventBridge rules whose workflows write each table: paused while that table is cut over. */
  readonly writers: ReadonlyMap<TableId, readonly IRule[]>;
}

const RESTORED_JUSTIFICATION =
  'Restored tables get generated names at run time; the pattern admits only <data stack>-*-restored-*, the tables a ' +
  'cutover copies from (read only).';

export class CutoverTableWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly handlers: {
    readonly checkRequest: HandlerFunction;
    readonly requestApproval: HandlerFunction;
    readonly copyItems: HandlerFunction;
    readonly findNewerItems: HandlerFunction;
  };

  constructor(scope: Construct, id: string, props: CutoverTableWorkflowProps) {
    super(scope, id);
    const { config, tables, defaults, notificationTopic } = props.stack;
    const restored = restoredTablesArn(this, tables);
    const live = protectedTables(tables);
    const timeout = Duration.seconds(config.restore.approvalTimeoutSeconds).plus(Duration.hours(12));

    const handler = (handlerId: string, entry: string, handlerTimeout = Duration.seconds(30), name?: string) =>
      new HandlerFunction(this, handlerId, {
        entry,
        ...(name && { name }),
        serviceName: CUTOVER_TABLE,
        logRetention: defaults.logRetention,
        timeout: handlerTimeout,
      });
    const checkRequest = handler('CheckCutoverRequest', 'cutover/check-cutover-request.ts');
    checkRequest.function.addEnvironment('TABLE_CATALOG', tableCatalogJson(this, tables));
    checkRequest.function.addEnvironment(
      'CUTOVER_SETTINGS',
      JSON.stringify({
        approvalTimeoutSeconds: config.restore.approvalTimeoutSeconds,
        copySegments: config.restore.copySegments,
        lockSeconds: timeout.toSeconds(),
      }),
    );
    checkRequest.function.addEnvironment('WRITER_RULES', this.writerRulesJson(props.writers));
    grantOnPattern(
      checkRequest,
      'DescribeRestored',
      checkRequest.role,
      ['dynamodb:DescribeTable'],
      [restored],
      RESTORED_JUSTIFICATION,
    );

    // The restore's handler code with the cutover's grants: its own name in alarms and widgets.
    const requestApproval = handler(
      'RequestApproval',
      'restore/request-approval.ts',
      Duration.seconds(30),
      'cutover-request-approval',
    );
    for (const statement of [
      ...tableStatements(tables.rdsApprovals, ['dynamodb:PutItem']),
      ...tableStatements(tables.auditLog, ['dynamodb:PutItem']),
    ]) {
      requestApproval.role.addToPrincipalPolicy(statement);
    }
    requestApproval.function.addEnvironment('APPROVALS_TABLE_NAME', tables.rdsApprovals.tableName);
    requestApproval.function.addEnvironment('AUDIT_TABLE_NAME', tables.auditLog.tableName);

    const copyItems = handler('CopyRestoredItems', 'cutover/copy-restored-items.ts', Duration.minutes(15));
    const findNewerItems = handler('FindNewerItems', 'cutover/find-newer-items.ts', Duration.minutes(15));
    const key = tables.rdsInventory.encryptionKey;
    this.readRestored(copyItems, restored, ['dynamodb:Scan'], key?.keyArn);
    this.readRestored(findNewerItems, restored, ['dynamodb:BatchGetItem'], key?.keyArn);
    for (const table of live) {
      for (const statement of tableStatements(table, ['dynamodb:BatchWriteItem'])) {
        copyItems.role.addToPrincipalPolicy(statement);
      }
      for (const statement of tableStatements(table, ['dynamodb:Scan', 'dynamodb:BatchWriteItem'])) {
        findNewerItems.role.addToPrincipalPolicy(statement);
      }
    }
    this.handlers = { checkRequest, requestApproval, copyItems, findNewerItems };

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: CUTOVER_TABLE,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${CUTOVER_TABLE}.asl.json`),
      substitutions: {
        CheckCutoverRequestFunctionArn: checkRequest.function.functionArn,
        RequestApprovalFunctionArn: requestApproval.function.functionArn,
        CopyRestoredItemsFunctionArn: copyItems.function.functionArn,
        FindNewerItemsFunctionArn: findNewerItems.function.functionArn,
        AuditLogTableName: tables.auditLog.tableName,
        CoordinationTableName: tables.coordination.tableName,
        ApprovalsTableName: tables.rdsApprovals.tableName,
        NotificationTopicArn: notificationTopic.topicArn,
      },
      timeout,
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    for (const fn of Object.values(this.handlers)) this.machine.allowFunctionInvoke(fn.function);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowTableActions(tables.coordination, [
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      'dynamodb:DeleteItem',
    ]);
    this.machine.allowTableActions(tables.rdsApprovals, ['dynamodb:UpdateItem']);
    this.machine.allowServiceActions(['sns:Publish'], [notificationTopic.topicArn]);
    this.machine.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:CreateBackup'], resources: live.map((table) => table.tableArn) }),
    );
    this.machine.allowServiceActions(
      ['dynamodb:DescribeBackup'],
      [
        Stack.of(this).formatArn({
          service: 'dynamodb',
          resource: 'table',
          resourceName: `${restoredTablePrefix(tables)}*/backup/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      'Backup ARNs end in a generated id; DescribeBackup only reads a backup, and the grant covers only backups of ' +
        "the data stack's tables.",
    );
    const rules = [...new Set([...props.writers.values()].flat())];
    if (rules.length > 0) {
      this.machine.allowServiceActions(
        ['events:DescribeRule', 'events:DisableRule', 'events:EnableRule'],
        rules.map((rule) => rule.ruleArn),
      );
    }
  }

  /** Scan or BatchGetItem of restored tables, and the table key's read actions when encryption is customer-managed. */
  private readRestored(fn: HandlerFunction, restored: string, actions: string[], keyArn: string | undefined): void {
    grantOnPattern(fn, 'ReadRestored', fn.role, actions, [restored], RESTORED_JUSTIFICATION);
    // A restored table is encrypted with its source's key.
    if (keyArn)
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [keyArn] }),
      );
  }

  private writerRulesJson(writers: ReadonlyMap<TableId, readonly IRule[]>): string {
    return Stack.of(this).toJsonString(
      Object.fromEntries(
        [...writers.entries()].map(([tableId, rules]) => [tableId, rules.map((rule) => rule.ruleName)]),
      ),
    );
  }
}
