/**
 * The circuit breaker machine: one Express state machine (`state-machines/circuit-breaker.asl.json`) that
 * every protected call in every workflow runs with `aws-sdk:sfn:startSyncExecution`, its permissions
 * (the circuit table, the bus, the metric namespace), and the grant and substitutions a caller needs.
 */
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CIRCUIT_METRIC_NAMESPACE } from '../circuit-breaker/announcement';
import { assertLeaseOutlastsProbe, type ProtectedTask } from '../circuit-breaker/probe-lease';
import {
  BREAKER_ARN_PLACEHOLDER,
  findProtectedCalls,
  type ProtectedCall,
  protectedCallSubstitutions,
} from '../circuit-breaker/protected-calls';
import type { OpsConfig } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { InvalidConstructPropsError } from '../errors';

export const CIRCUIT_BREAKER = 'circuit-breaker';

export interface CircuitBreakerWorkflowProps {
  readonly config: OpsConfig;
  readonly circuitTable: ITable;
  readonly eventBus: IEventBus;
  readonly logRetention: RetentionDays;
  readonly alarmAction?: IAlarmAction;
}

export class CircuitBreakerWorkflow extends Construct {
  readonly machine: AslStateMachine;
  private readonly config: OpsConfig;

  constructor(scope: Construct, id: string, props: CircuitBreakerWorkflowProps) {
    super(scope, id);
    this.config = props.config;
    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: CIRCUIT_BREAKER,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${CIRCUIT_BREAKER}.asl.json`),
      substitutions: {
        CircuitTableName: props.circuitTable.tableName,
        EventBusName: props.eventBus.eventBusName,
      },
      // Express: a check is a few milliseconds of work, billed by duration, not per state transition. No
      // TimeoutSeconds: the 5-minute Express limit is far above the callers' 60 s Task timeout, so a slow
      // breaker surfaces in the caller as a catchable States.Timeout, never as a TIMED_OUT answer.
      stateMachineType: StateMachineType.EXPRESS,
      logRetention: props.logRetention,
      ...(props.alarmAction ? { alarmAction: props.alarmAction } : {}),
    });
    // The read, the first failure's PutItem and the conditional UpdateItems: nothing else.
    this.machine.allowTableActions(props.circuitTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    this.machine.allowPutEvents(props.eventBus);
    this.allowCircuitMetrics();
  }

  /**
   * The substitutions of a caller's definition: the breaker's ARN and, for every protected call in it, the
   * circuit's settings document and the fail-policy route; checks each call's shape and probe lease.
   */
  callerSubstitutions(definition: { readonly States: Record<string, unknown> }, where: string) {
    const calls = findProtectedCalls(definition, where);
    const substitutions: Record<string, string> = {
      [BREAKER_ARN_PLACEHOLDER]: this.machine.stateMachine.stateMachineArn,
    };
    for (const call of calls) Object.assign(substitutions, this.substitutionsOf(call, definition, where));
    return { calls, substitutions };
  }

  /** The only permission a caller needs: to run this machine synchronously. */
  allowCallsFrom(caller: AslStateMachine): void {
    caller.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:StartSyncExecution'],
        resources: [this.machine.stateMachine.stateMachineArn],
      }),
    );
  }

  private substitutionsOf(
    call: ProtectedCall,
    definition: { readonly States: Record<string, unknown> },
    where: string,
  ): Record<string, string> {
    const settings = this.config.circuits[call.circuit];
    if (!settings) {
      throw new InvalidConstructPropsError(
        `${where}: "${call.protectedState}" is protected by circuit "${call.circuit}", which has no settings in config.circuits.`,
      );
    }
    assertLeaseOutlastsProbe(
      call.circuit,
      settings.probeLeaseSeconds,
      call.protectedState,
      definition.States[call.protectedState] as ProtectedTask,
    );
    return protectedCallSubstitutions(call, settings);
  }

  /** PutMetricData has no resource-level permissions; the namespace condition keeps it to the breaker's own. */
  private allowCircuitMetrics(): void {
    const policy = new Policy(this, 'CircuitMetrics', {
      statements: [
        new PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': CIRCUIT_METRIC_NAMESPACE } },
        }),
      ],
    });
    policy.attachToRole(this.machine.role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch PutMetricData supports no resource-level permissions; the statement is limited to the ' +
        `${CIRCUIT_METRIC_NAMESPACE} namespace by the cloudwatch:namespace condition key.`,
    });
  }
}
