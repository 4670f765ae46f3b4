/**
 * Least privilege of the recovery workflows on the synthesized template: every role of restore-table (its machine,
 * its two child machines, its handlers) and of cutover-table may read the protected tables but never delete,
 * update or write items in them, apart from the bookkeeping tables they append to and the cutover's copy into the
 * live table; they may create and change only `<data stack>-*-restored-*` tables. Also the alarm rule's delivery
 * (retries, dead-letter queue with its alarm) and one integrity alarm per protected table.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role } from 'aws-cdk-lib/aws-iam';
import { createApp } from '../../lib/app';
import { PROTECTED_TABLE_IDS } from '../../lib/stacks/data-stack';
import { readAppModel } from '../../local/template/app-model';
import type { CfnResource, CfnTemplate } from '../../local/template/cfn-template';
import { PROJECT_ROOT } from '../../local/template/synthesize';
import { allowedPermissions, iamMatches, type Permission } from '../helpers/asl-permissions';
import { recoveryResources } from '../helpers/runtime-permissions';

const { app, workflowsStack } = createApp({ skipBundling: true, nag: false });
const assembly = app.synth();
const model = readAppModel(
  assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as CfnTemplate })),
  { projectRoot: PROJECT_ROOT },
);
const workflows = Template.fromStack(workflowsStack);
const resources = recoveryResources(model);
const tableArn = (tableId: string) => model.tables.find((table) => table.tableId === tableId)!.arn;

/** The grants of every role under a construct path of the workflows stack (`RestoreTable`, `CutoverTable`; '' for all). */
function grantsUnder(scopeId: string): (Permission & { role: string })[] {
  const stack = workflowsStack;
  const roles = stack.node
    .findAll()
    .filter(
      (construct): construct is Role =>
        construct instanceof Role && (scopeId === '' || construct.node.path.includes(`/${scopeId}/`)),
    );
  const template = model.names.templateOf(stack.stackName);
  return roles.flatMap((role) => {
    const roleId = stack.getLogicalId(role.node.defaultChild as never);
    const policies = Object.entries(template.Resources ?? {}).filter(
      ([, resource]) =>
        resource.Type === 'AWS::IAM::Policy' &&
        (((resource as CfnResource).Properties?.Roles ?? []) as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    );
    return policies.flatMap(([id, policy]) => {
      const document = model.names.resolve(stack.stackName, policy.Properties?.PolicyDocument, id) as { Statement: [] };
      return allowedPermissions(document.Statement).map((grant) => ({ ...grant, role: role.node.path }));
    });
  });
}

const recoveryGrants = [...grantsUnder('RestoreTable'), ...grantsUnder('CutoverTable')];
const DESTRUCTIVE = ['dynamodb:DeleteTable', 'dynamodb:UpdateTable'];
const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

function onTable(grant: Permission, arn: string): boolean {
  return iamMatches(grant.resource, arn) || iamMatches(grant.resource, `${arn}/index/any`);
}

describe('recovery workflows: least privilege on the source tables', () => {
  it('has roles to check: machines, children and handlers of restore and cutover', () => {
    const roles = new Set(
      recoveryGrants.map((grant) => grant.role.replace(/^.*?\/(RestoreTable|CutoverTable)\//, '$1/')),
    );
    expect([...roles].sort()).toEqual(
      expect.arrayContaining([
        'RestoreTable/StateMachine/Role',
        'RestoreTable/WaitForTableActive/StateMachine/Role',
        'RestoreTable/ReapplyTableSettings/StateMachine/Role',
        'RestoreTable/CheckRestoreRequest/Role',
        'RestoreTable/ValidateRestoredTable/Role',
        'CutoverTable/StateMachine/Role',
        'CutoverTable/CopyRestoredItems/Role',
      ]),
    );
  });

  it('never deletes or updates any table but the restored ones, and grants DeleteTable nowhere', () => {
    const destructive = recoveryGrants.filter((grant) =>
      DESTRUCTIVE.some((action) => iamMatches(grant.action, action)),
    );
    expect(destructive.length).toBeGreaterThan(0);
    expect(destructive.map((grant) => grant.action)).not.toContain('dynamodb:DeleteTable');
    for (const grant of destructive) expect(grant.resource).toBe(resources.restoredTables);
  });

  it('writes items of a protected table only for bookkeeping (audit, approvals) and the cutover copy into the live table', () => {
    const writes = recoveryGrants.filter(
      (grant) =>
        ITEM_WRITES.some((action) => iamMatches(grant.action, action)) &&
        resources.protectedTables.some((arn) => onTable(grant, arn)),
    );
    const summary = new Set(
      writes.map((grant) => {
        const table = model.tables.find((candidate) => onTable(grant, candidate.arn))!.tableId;
        return `${grant.role.replace(/^.*?\/(RestoreTable|CutoverTable)\//, '$1/').replace(/\/Role$/, '')} ${grant.action} ${table}`;
      }),
    );
    const liveCopies = PROTECTED_TABLE_IDS.flatMap((tableId) => [
      `CutoverTable/CopyRestoredItems dynamodb:BatchWriteItem ${tableId}`,
      `CutoverTable/FindNewerItems dynamodb:BatchWriteItem ${tableId}`,
    ]);
    expect([...summary].sort()).toEqual(
      [
        'RestoreTable/StateMachine dynamodb:PutItem auditLog',
        'RestoreTable/StateMachine dynamodb:UpdateItem rdsApprovals',
        'RestoreTable/RequestApproval dynamodb:PutItem auditLog',
        'RestoreTable/RequestApproval dynamodb:PutItem rdsApprovals',
        'CutoverTable/StateMachine dynamodb:PutItem auditLog',
        'CutoverTable/StateMachine dynamodb:UpdateItem rdsApprovals',
        'CutoverTable/RequestApproval dynamodb:PutItem auditLog',
        'CutoverTable/RequestApproval dynamodb:PutItem rdsApprovals',
        ...liveCopies,
      ].sort(),
    );
  });

  it('restores only from the protected tables and only into <data stack>-*-restored-* tables', () => {
    const restores = recoveryGrants.filter((grant) => grant.action === 'dynamodb:RestoreTableToPointInTime');
    expect(restores.map((grant) => grant.resource).sort()).toEqual([...resources.protectedTables].sort());
    expect(resources.restoredTables).toMatch(/:table\/RdsOps-Dev-Data-\*-restored-\*$/);
    const configures = recoveryGrants.filter((grant) =>
      ['dynamodb:UpdateContinuousBackups', 'dynamodb:UpdateTimeToLive', 'dynamodb:TagResource'].includes(grant.action),
    );
    expect(configures.length).toBe(3);
    for (const grant of configures) expect(grant.resource).toBe(resources.restoredTables);
    for (const tableId of PROTECTED_TABLE_IDS)
      expect(iamMatches(resources.restoredTables, tableArn(tableId))).toBe(false);
  });

  it('lets no Lambda of the restore write items of any table (the restore itself fills the new table)', () => {
    const handlerWrites = grantsUnder('RestoreTable').filter(
      (grant) =>
        !grant.role.includes('StateMachine') &&
        !grant.role.includes('RequestApproval') &&
        ITEM_WRITES.some((action) => iamMatches(grant.action, action)),
    );
    expect(handlerWrites).toEqual([]);
  });
});

describe('triggers of the restore', () => {
  it('starts restore-table from an integrity alarm with retries and the dead-letter queue, which alarms', () => {
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] } },
      }),
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: Match.anyValue() },
          InputTransformer: Match.objectLike({
            InputTemplate: Match.stringLikeRegexp('"approval":"required"'),
          }),
        }),
      ],
    });
    workflows.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('has one data-integrity alarm per protected table, on its IntegrityViolations', () => {
    const alarms = model.alarms.filter((alarm) =>
      alarm.queries.some((query) => query.metricStat?.metricName === 'IntegrityViolations'),
    );
    expect(alarms.map((alarm) => alarm.queries[0].metricStat!.dimensions[0].Value).sort()).toEqual([
      'audit-log',
      'cost-snapshots',
      'health-alerts',
      'rds-approvals',
      'rds-inventory',
    ]);
    for (const alarm of alarms) {
      expect(alarm).toEqual(
        expect.objectContaining({
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
        }),
      );
    }
    // The restore's rule names the integrity alarms; health-alert-ingestion's matches every AWS/RDS alarm instead.
    const rule = model.rules.find(
      (candidate) =>
        JSON.stringify(candidate.eventPattern ?? '').includes('aws.cloudwatch') &&
        Array.isArray((candidate.eventPattern as { resources?: unknown }).resources),
    );
    expect((rule!.eventPattern as { resources: string[] }).resources.sort()).toEqual(
      alarms.map((alarm) => alarm.arn).sort(),
    );
  });
});

describe('disaster recovery part 2: least privilege and triggers', () => {
  const allGrants = grantsUnder('');
  const drillTables = `arn:aws:dynamodb:${model.env.region}:${model.env.account}:table/drill-*`;

  it('allows dynamodb:DeleteTable only on table/drill-*, and only to the drill', () => {
    const deletes = allGrants.filter((grant) => iamMatches(grant.action, 'dynamodb:DeleteTable'));
    expect(deletes.length).toBeGreaterThan(0);
    for (const grant of deletes) {
      expect(grant).toMatchObject({ action: 'dynamodb:DeleteTable', resource: drillTables });
      expect(grant.role).toContain('/DrDrill/');
    }
    for (const tableId of [...PROTECTED_TABLE_IDS, 'metricsCache', 'circuitBreakers', 'coordination']) {
      expect(deletes.filter((grant) => onTable(grant, tableArn(tableId)))).toEqual([]);
    }
  });

  it('lets the drill write items only into drill-* scratch tables and restore only from the protected tables', () => {
    const drill = grantsUnder('DrDrill');
    const writes = drill.filter((grant) => ITEM_WRITES.includes(grant.action));
    expect(writes.length).toBeGreaterThan(0);
    const auditLog = tableArn('auditLog');
    for (const grant of writes) expect([drillTables, auditLog]).toContain(grant.resource);
    expect(writes.filter((grant) => grant.resource === auditLog).map((grant) => grant.role)).toEqual([
      expect.stringContaining('/RecordDrillReport/'),
    ]);
    const restores = drill.filter((grant) => grant.action === 'dynamodb:RestoreTableToPointInTime');
    expect(restores.map((grant) => grant.resource).sort()).toEqual([...resources.protectedTables].sort());
  });

  it('restores a deleted table only from backups of the data stack, under a protected name', () => {
    const recovery = grantsUnder('RecoverDeletedTable');
    const restores = recovery.filter((grant) => grant.action === 'dynamodb:RestoreTableFromBackup');
    expect(restores.map((grant) => grant.resource).sort()).toEqual(
      [resources.dataStackBackups, ...resources.protectedTables].sort(),
    );
    expect(
      recovery.filter((grant) => DESTRUCTIVE.includes(grant.action) && grant.action === 'dynamodb:DeleteTable'),
    ).toEqual([]);
  });

  it('starts recover-deleted-table on the CloudTrail DeleteTable of a protected table, successful calls only', () => {
    const rule = model.rules.find((candidate) => candidate.name.includes('TableDeletedRule'));
    expect(rule?.eventPattern).toEqual({
      source: ['aws.dynamodb'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['dynamodb.amazonaws.com'],
        eventName: ['DeleteTable'],
        requestParameters: {
          tableName: expect.arrayContaining(
            model.tables.filter((t) => PROTECTED_TABLE_IDS.includes(t.tableId as never)).map((t) => t.tableName),
          ),
        },
        errorCode: [{ exists: false }],
      },
    });
    const target = rule!.targets[0]!;
    expect(target.arn).toBe(model.stateMachines.find((machine) => machine.workflow === 'recover-deleted-table')!.arn);
    expect(target.deadLetterArn).toBeTruthy();
    expect(target.InputTransformer?.InputPathsMap).toMatchObject({
      'detail-requestParameters-tableName': '$.detail.requestParameters.tableName',
      'detail-eventID': '$.detail.eventID',
    });
  });

  it('schedules the drill weekly and the PITR compliance check hourly, and creates no trail unless asked', () => {
    const schedules = model.rules.flatMap((rule) => (rule.scheduleExpression ? [rule.scheduleExpression] : []));
    expect(schedules).toEqual(expect.arrayContaining(['rate(7 days)', 'rate(1 hour)']));
    workflows.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  it('adds a trail logging write management events with cloudTrail.createTrail', () => {
    const { workflowsStack: withTrail } = createApp({
      context: { 'cloudTrail.createTrail': 'true' },
      skipBundling: true,
      nag: false,
    });
    Template.fromStack(withTrail).hasResourceProperties(
      'AWS::CloudTrail::Trail',
      Match.objectLike({
        IsLogging: true,
        EnableLogFileValidation: true,
        EventSelectors: [Match.objectLike({ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' })],
      }),
    );
  });
});
