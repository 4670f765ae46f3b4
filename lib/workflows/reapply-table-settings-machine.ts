/**
 * `reapply-table-settings`: the reusable step that gives a restored or recovered table back what a restore does
 * not carry (PITR with its period, deletion protection, TTL, tags, auto scaling). Callers run it with
 * startExecution.sync:2 (`allowNestedExecution`); its role may change exactly the tables given in `tables`.
 */

import { join } from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AslStateMachine } from '../constructs/asl-state-machine';

export const REAPPLY_TABLE_SETTINGS = 'reapply-table-settings';

export interface ReapplyTableSettingsMachineProps {
  /** Table ARNs (patterns allowed) whose settings the machine may change. */
  readonly tables: readonly string[];
  /** Table names (patterns allowed) matching `tables`, for the auto scaling alarms CloudWatch names after them. */
  readonly tableNames: readonly string[];
  /** Why a pattern in `tables` is as wide as it is (the cdk-nag acknowledgement). */
  readonly tablesJustification: string;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
  /**
   * The workflow name (its `rds-ops:workflow` tag) of this instance, for a second instance of the same ASL with
   * another table scope (say, recovered tables under their original names). @default 'reapply-table-settings'
   */
  readonly workflowName?: string;
}

export class ReapplyTableSettingsMachine extends Construct {
  readonly machine: AslStateMachine;

  constructor(scope: Construct, id: string, props: ReapplyTableSettingsMachineProps) {
    super(scope, id);
    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: props.workflowName ?? REAPPLY_TABLE_SETTINGS,
      definitionName: REAPPLY_TABLE_SETTINGS,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${REAPPLY_TABLE_SETTINGS}.asl.json`),
      substitutions: {},
      // A handful of control-plane calls, each retried for at most a few minutes.
      timeout: Duration.hours(1),
      logRetention: props.defaults.logRetention,
      ...(props.defaults.alarmAction ? { alarmAction: props.defaults.alarmAction } : {}),
    });
    this.machine.allowServiceActions(
      ['dynamodb:UpdateContinuousBackups', 'dynamodb:UpdateTimeToLive', 'dynamodb:TagResource', 'dynamodb:UpdateTable'],
      props.tables,
      props.tablesJustification,
    );
    // Registering a DynamoDB scalable target needs DescribeTable on the table; target tracking creates
    // CloudWatch alarms named TargetTracking-table/<name>-... on the caller's behalf.
    this.machine.allowServiceActions(['dynamodb:DescribeTable'], props.tables, props.tablesJustification);
    this.machine.allowServiceActions(
      ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:PutScalingPolicy'],
      ['*'],
      'Application Auto Scaling authorizes RegisterScalableTarget and PutScalingPolicy of a target that does not ' +
        'exist yet only against "*" (scalable-target ARNs are generated at registration); the ResourceIds the ' +
        'machine registers are those of the tables above.',
    );
    const stack = Stack.of(this);
    this.machine.allowServiceActions(
      ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'],
      props.tableNames.map((name) =>
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `TargetTracking-table/${name}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
      'Target-tracking policies create their alarms with generated suffixes (TargetTracking-table/<name>-AlarmHigh-' +
        '<uuid>); the grant covers only the alarms of the tables above.',
    );
  }
}
