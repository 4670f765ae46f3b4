/**
 * A Step Functions state machine from `state-machines/<name>.asl.json`, inlined with its substitutions,
 * logged at level ALL, traced with X-Ray, alarmed, with its retry rate counted from its logs, and with grant
 * helpers that name every resource.
 */
import { type Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { InvalidConstructPropsError } from '../errors';
import { wildcardFindingIds } from '../nag/iam-findings';
import { type WorkflowAlarms, watchWorkflow } from '../observability/workflow-observability';
import { loadAslDefinition, withExecutionTimeout } from './asl-definition';
import { type AnyTable, type TableGrantOptions, tableStatements } from './table-grants';
import { WorkflowRetryMetrics } from './workflow-retry-metrics';

/** Tag carrying the workflow's kebab name (`inventory-refresh`). */
export const WORKFLOW_TAG = 'rds-ops:workflow';

export interface AslStateMachineProps {
  /** Kebab-case workflow name, e.g. `inventory-refresh`; the file must be `<name>.asl.json`. */
  readonly name: string;
  /**
   * The workflow whose `<name>.asl.json` this machine runs, for a second instance of a reusable definition under
   * its own name, role and log group (the wait-for-ACTIVE loop scoped to other tables). @default name
   */
  readonly definitionName?: string;
  /** Absolute path of the ASL file, built with `path.join(__dirname, ...)`. */
  readonly definitionFile: string;
  /** Value of every `${Placeholder}` in the file (tokens allowed); extra or missing keys fail synth. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** @default StateMachineType.STANDARD (approval and restore workflows need it: no .sync or task tokens on Express) */
  readonly stateMachineType?: StateMachineType;
  /**
   * Upper bound of one execution, written into the definition as its top-level `TimeoutSeconds` (CDK's own
   * `timeout` is ignored for string definitions). @default - Step Functions' limit (1 year Standard, 5 minutes Express)
   */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Where the alarms notify. @default - the app's alarm topic (the observability registry's action) */
  readonly alarmAction?: IAlarmAction;
  /**
   * Set on workflows that recover data (restores, drills): the dashboard draws their duration against it and
   * an alarm fires when an execution takes longer. @default - not a recovery workflow
   */
  readonly recoveryTimeObjective?: Duration;
}

/** The alarms every workflow gets (see lib/observability/alarm-kinds.ts). */
export type StateMachineAlarms = WorkflowAlarms;

export class AslStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly alarms: StateMachineAlarms;
  /** Task attempts, Task entries and the retry rate, from metric filters on the log group. */
  readonly retryMetrics: WorkflowRetryMetrics;
  private servicePolicies = 0;

  constructor(scope: Construct, id: string, props: AslStateMachineProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.name)) {
      throw new InvalidConstructPropsError(`AslStateMachine name must be kebab-case, got "${props.name}".`);
    }
    const loaded = loadAslDefinition(props.definitionFile, props.substitutions, props.definitionName ?? props.name);
    const text = props.timeout
      ? withExecutionTimeout(props.definitionFile, loaded.text, props.timeout.toSeconds())
      : loaded.text;

    this.logGroup = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps Step Functions' log resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}/${props.name}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Runs the ${props.name} workflow`,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromString(text),
      definitionSubstitutions: { ...props.substitutions },
      stateMachineType: props.stateMachineType ?? StateMachineType.STANDARD,
      role: this.role,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    // The workflow's kebab name, for operators filtering in the console and for the local runtime.
    Tags.of(this.stateMachine).add(WORKFLOW_TAG, props.name);
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by Step Functions for logging and tracing: CloudWatch Logs log-delivery actions ' +
          '(logs:CreateLogDelivery, logs:PutResourcePolicy, ...) and X-Ray (xray:PutTraceSegments, ...) ' +
          'do not support resource-level permissions.',
      });
    }
    this.retryMetrics = new WorkflowRetryMetrics(this, 'RetryMetrics', {
      workflow: props.name,
      logGroup: this.logGroup,
    });
    // Joins the stage's observability registry: alarms here, widgets and the composite alarm from the list.
    this.alarms = watchWorkflow(
      this,
      {
        name: props.name,
        stateMachine: this.stateMachine,
        type: props.stateMachineType === StateMachineType.EXPRESS ? 'EXPRESS' : 'STANDARD',
        ...(props.recoveryTimeObjective && {
          recoveryTimeObjectiveSeconds: props.recoveryTimeObjective.toSeconds(),
        }),
      },
      props.alarmAction,
    );
  }

  /** Lets the workflow call named DynamoDB actions on the table and, if listed, on named indexes. */
  allowTableActions(table: AnyTable, actions: readonly string[], options?: TableGrantOptions): void {
    for (const statement of tableStatements(table, actions, options)) this.role.addToPrincipalPolicy(statement);
  }

  /** Lets the workflow invoke the function (unqualified ARN, as used in `${XxxFunctionArn}` placeholders). */
  allowFunctionInvoke(fn: IFunction): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
  }

  /** Lets the workflow put events (audit, state changes) on one bus. */
  allowPutEvents(bus: IEventBus): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );
  }

  /**
   * Grants AWS SDK integration actions (RDS, Cost Explorer, DynamoDB control plane, ...). A wildcard in an
   * action or resource needs a justification; it is recorded as the cdk-nag acknowledgement of exactly
   * those wildcards, on a policy that holds only this grant.
   */
  allowServiceActions(actions: readonly string[], resources: readonly string[], justification?: string): void {
    if (actions.length === 0 || resources.length === 0) {
      throw new InvalidConstructPropsError(`${this.node.path}: allowServiceActions needs actions and resources.`);
    }
    const statement = new PolicyStatement({ actions: [...actions], resources: [...resources] });
    const findings = wildcardFindingIds(this, actions, resources);
    if (findings.length === 0) {
      this.role.addToPrincipalPolicy(statement);
      return;
    }
    if (!justification || justification.trim().length < 20) {
      throw new InvalidConstructPropsError(
        `${this.node.path}: ${findings.join(', ')} grant wildcards; pass a justification (a sentence saying ` +
          'why no narrower action or resource works) as the third argument of allowServiceActions.',
      );
    }
    this.servicePolicies += 1;
    const policy = new Policy(this, `ServiceActions${this.servicePolicies}`, { statements: [statement] });
    policy.attachToRole(this.role);
    for (const id of findings) Validations.of(policy).acknowledge({ id, reason: justification });
  }
}
