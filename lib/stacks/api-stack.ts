/**
 * The operations API of one stage, in its own stack: it changes and deploys apart from the workflows, and it
 * reads the tables of the data stack and describes executions of the workflows stack by reference.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { OperationsApi, type RecoveryResources } from '../api/operations-api';
import type { OpsConfig, TableId } from '../config';

export interface ApiStackProps extends StackProps {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  /** The workflows whose executions `GET /executions/{arn}` describes. */
  readonly describableStateMachines: readonly StateMachine[];
  /** @default - no alarm action */
  readonly alarmAction?: IAlarmAction;
  /** The restore workflow, for the restore and approval routes. @default - none */
  readonly recovery?: RecoveryResources;
}

export class ApiStack extends Stack {
  readonly operationsApi: OperationsApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.operationsApi = new OperationsApi(this, 'OperationsApi', {
      config: props.config,
      tables: props.tables,
      eventBus: EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      describableStateMachines: props.describableStateMachines,
      logRetention: props.config.logRetentionDays as RetentionDays,
      ...(props.alarmAction && { alarmAction: props.alarmAction }),
      ...(props.recovery && { recovery: props.recovery }),
    });
  }
}
