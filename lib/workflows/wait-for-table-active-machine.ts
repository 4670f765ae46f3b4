/**
 * `wait-for-table-active`: the reusable polling loop (DescribeTable with a growing interval) that waits for a
 * restored or recovered table to become ACTIVE. Callers run it as a step with startExecution.sync:2
 * (`allowNestedExecution`); its role may describe exactly the tables given in `tables`.
 */

import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AslStateMachine } from '../constructs/asl-state-machine';

export const WAIT_FOR_TABLE_ACTIVE = 'wait-for-table-active';

export interface WaitForTableActiveMachineProps {
  /** Table ARNs (patterns allowed) the loop may describe. */
  readonly tables: readonly string[];
  /** Why a pattern in `tables` is as wide as it is (the cdk-nag acknowledgement). */
  readonly tablesJustification: string;
  /** The longest wait any caller passes as maxWaitSeconds; the execution times out a quarter hour later. */
  readonly maxWaitSeconds: number;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
  /**
   * The workflow name (its `rds-ops:workflow` tag) of this instance, for a second instance of the same ASL with
   * another table scope (say, recovered tables under their original names). @default 'wait-for-table-active'
   */
  readonly workflowName?: string;
}

export class WaitForTableActiveMachine extends Construct {
  readonly machine: AslStateMachine;

  constructor(scope: Construct, id: string, props: WaitForTableActiveMachineProps) {
    super(scope, id);
    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: props.workflowName ?? WAIT_FOR_TABLE_ACTIVE,
      definitionName: WAIT_FOR_TABLE_ACTIVE,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${WAIT_FOR_TABLE_ACTIVE}.asl.json`),
      substitutions: {},
      timeout: Duration.seconds(props.maxWaitSeconds).plus(Duration.minutes(15)),
      logRetention: props.defaults.logRetention,
      ...(props.defaults.alarmAction ? { alarmAction: props.defaults.alarmAction } : {}),
    });
    this.machine.allowServiceActions(['dynamodb:DescribeTable'], props.tables, props.tablesJustification);
  }
}
