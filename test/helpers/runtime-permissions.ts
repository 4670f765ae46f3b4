/**
 * The IAM scope the recovery workflows' run-time targets may have, written down per Task state: which tables a
 * restore may read (the protected ones, by ARN), which it may create and change (only `<data stack>-*-restored-*`),
 * which child machines it runs with `.sync:2`, which rules a cutover pauses. The IAM-vs-ASL checks compare the
 * roles with these (both ways), so widening a role without widening this list, or the other way, fails a test.
 */
import { PROTECTED_TABLE_IDS } from '../../lib/stacks/data-stack';
import type { AppModel, StateMachineModel } from '../../local/template/app-model';
import type { DeclaredPermissions, Permission, TableKeys } from './asl-permissions';

/** Items a restore needs on the new table it fills (the DynamoDB backup-and-restore IAM guide). */
const RESTORE_TARGET_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const KMS_RESTORE_ACTIONS = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

export interface RecoveryResources {
  /** `arn:...:table/<data stack>-*-restored-*` */
  readonly restoredTables: string;
  readonly restoredTableNames: string;
  readonly protectedTables: readonly string[];
  /** `arn:...:table/<data stack>-*\/backup/*` */
  readonly dataStackBackups: string;
  /** `RdsOps-Dev-Data-`: every table name of the data stack starts with it. */
  readonly dataStackPrefix: string;
  readonly tableKey?: string;
}

export function recoveryResources(model: AppModel, tableKeys: TableKeys = new Map()): RecoveryResources {
  const { region, account } = model.env;
  const protectedTables = model.tables.filter((table) => PROTECTED_TABLE_IDS.includes(table.tableId as never));
  const dataStack = protectedTables[0]?.stackName ?? 'unknown';
  return {
    restoredTables: `arn:aws:dynamodb:${region}:${account}:table/${dataStack}-*-restored-*`,
    restoredTableNames: `${dataStack}-*-restored-*`,
    protectedTables: protectedTables.map((table) => table.arn),
    dataStackBackups: `arn:aws:dynamodb:${region}:${account}:table/${dataStack}-*/backup/*`,
    dataStackPrefix: `${dataStack}-`,
    ...(tableKeys.size > 0 && { tableKey: [...tableKeys.values()][0] }),
  };
}

/** The declared permissions of the machine's run-time-targeted Tasks; empty for machines that have none. */
export function runtimePermissions(
  model: AppModel,
  machine: StateMachineModel,
  tableKeys: TableKeys,
): DeclaredPermissions {
  const resources = recoveryResources(model, tableKeys);
  const { region, account } = model.env;
  const on = (actions: readonly string[], targets: readonly string[]): Permission[] =>
    actions.flatMap((action) => targets.map((resource) => ({ action, resource })));
  const restored = [resources.restoredTables];
  const child = (workflow: string): Permission[] => {
    const target = model.stateMachines.find((candidate) => candidate.workflow === workflow);
    if (!target) throw new Error(`no ${workflow} machine in the model`);
    return [
      { action: 'states:StartExecution', resource: target.arn },
      ...on(
        ['states:DescribeExecution', 'states:StopExecution'],
        [`arn:aws:states:${region}:${account}:execution:${target.name}:*`],
      ),
      ...on(
        ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        [`arn:aws:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`],
      ),
    ];
  };

  const drill = [`arn:aws:dynamodb:${region}:${account}:table/drill-*`];
  const kms = resources.tableKey ? on(KMS_RESTORE_ACTIONS, [resources.tableKey]) : [];
  const settings = (tables: readonly string[], alarmNames: string): DeclaredPermissions => {
    const alarms = [`arn:aws:cloudwatch:${region}:${account}:alarm:TargetTracking-table/${alarmNames}*`];
    return {
      'Turn on point-in-time recovery': on(['dynamodb:UpdateContinuousBackups'], tables),
      'Turn on deletion protection': on(['dynamodb:UpdateTable'], tables),
      'Turn on time to live': on(['dynamodb:UpdateTimeToLive'], tables),
      'Tag the table': on(['dynamodb:TagResource'], tables),
      'Register the scalable target': [
        { action: 'application-autoscaling:RegisterScalableTarget', resource: '*' },
        ...on(['dynamodb:DescribeTable'], tables),
      ],
      'Attach the target-tracking policy': [
        { action: 'application-autoscaling:PutScalingPolicy', resource: '*' },
        ...on(['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'], alarms),
      ],
    };
  };

  switch (machine.workflow) {
    case 'wait-for-recovered-table':
      return { 'Check whether the table is ACTIVE': on(['dynamodb:DescribeTable'], resources.protectedTables) };
    case 'wait-for-drill-table':
      return { 'Check whether the table is ACTIVE': on(['dynamodb:DescribeTable'], drill) };
    case 'reapply-recovered-table-settings':
      return settings(resources.protectedTables, `${resources.dataStackPrefix}*`);
    case 'recover-deleted-table':
      return {
        'Restore the table from its system backup under its original name': [
          ...on(['dynamodb:RestoreTableFromBackup'], [resources.dataStackBackups, ...resources.protectedTables]),
          ...on(RESTORE_TARGET_ACTIONS, resources.protectedTables),
          ...kms,
        ],
        'Wait for the recovered table to become ACTIVE': child('wait-for-recovered-table'),
        'Re-apply the settings the backup does not carry': child('reapply-recovered-table-settings'),
      };
    case 'dr-drill': {
      const deleteScratch = on(['dynamodb:DeleteTable'], drill);
      return {
        'Restore the latest data into a scratch table': [
          ...on(['dynamodb:RestoreTableToPointInTime'], resources.protectedTables),
          ...on(RESTORE_TARGET_ACTIONS, drill),
          ...kms,
        ],
        'Wait for the scratch table to become ACTIVE': child('wait-for-drill-table'),
        'Delete the scratch table': deleteScratch,
        'Delete the scratch table after the failed drill': deleteScratch,
        'Delete the leftover scratch table': deleteScratch,
      };
    }
    case 'pitr-compliance':
      return {
        "Describe the table's continuous backups": on(
          ['dynamodb:DescribeContinuousBackups'],
          resources.protectedTables,
        ),
        // Unreachable with pitr.autoRemediate off, and then not granted either.
        'Turn PITR back on':
          machine.substitutions.PitrAutoRemediate === 'false'
            ? []
            : on(['dynamodb:UpdateContinuousBackups'], resources.protectedTables),
      };
    case 'wait-for-table-active':
      return { 'Check whether the table is ACTIVE': on(['dynamodb:DescribeTable'], restored) };
    case 'reapply-table-settings': {
      const alarms = [
        `arn:aws:cloudwatch:${region}:${account}:alarm:TargetTracking-table/${resources.restoredTableNames}*`,
      ];
      return {
        'Turn on point-in-time recovery': on(['dynamodb:UpdateContinuousBackups'], restored),
        'Turn on deletion protection': on(['dynamodb:UpdateTable'], restored),
        'Turn on time to live': on(['dynamodb:UpdateTimeToLive'], restored),
        'Tag the table': on(['dynamodb:TagResource'], restored),
        'Register the scalable target': [
          { action: 'application-autoscaling:RegisterScalableTarget', resource: '*' },
          ...on(['dynamodb:DescribeTable'], restored),
        ],
        'Attach the target-tracking policy': [
          { action: 'application-autoscaling:PutScalingPolicy', resource: '*' },
          ...on(['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'], alarms),
        ],
      };
    }
    case 'restore-table': {
      const restore = [
        ...on(['dynamodb:RestoreTableToPointInTime'], resources.protectedTables),
        ...on(RESTORE_TARGET_ACTIONS, restored),
        ...(resources.tableKey ? on(KMS_RESTORE_ACTIONS, [resources.tableKey]) : []),
      ];
      return {
        'Restore the table to the requested point in time': restore,
        'Restore the table to the latest restorable time': restore,
        'Look at the table that has the target name': on(['dynamodb:DescribeTable'], restored),
        'Wait for the restored table to become ACTIVE': child('wait-for-table-active'),
        'Re-apply the settings a restore does not carry': child('reapply-table-settings'),
      };
    }
    case 'cutover-table': {
      const rules = writerRuleArns(model);
      return {
        "Read the rule's state": on(['events:DescribeRule'], rules),
        'Disable the rule': on(['events:DisableRule'], rules),
        'Enable the rule': on(['events:EnableRule'], rules),
        'Enable the rule again': on(['events:EnableRule'], rules),
        'Back up the live table': on(['dynamodb:CreateBackup'], resources.protectedTables),
        'Check whether the backup is available': on(['dynamodb:DescribeBackup'], [resources.dataStackBackups]),
      };
    }
    default:
      return {};
  }
}

/** The rules a cutover may pause: those the cutover's check handler is told about (WRITER_RULES). */
export function writerRuleArns(model: AppModel): string[] {
  const check = model.functions.find((fn) => fn.environment.WRITER_RULES !== undefined);
  if (!check) throw new Error('no function with WRITER_RULES in the model');
  const byTable = JSON.parse(check.environment.WRITER_RULES!) as Record<string, string[]>;
  const names = [...new Set(Object.values(byTable).flat())];
  return names.map((name) => `arn:aws:events:${model.env.region}:${model.env.account}:rule/${name}`);
}
