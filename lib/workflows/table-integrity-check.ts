/**
 * The data-integrity check and its alarms: an Express state machine on a schedule runs a handler that scans each
 * protected table (item count, the table's item rules, a sharp drop since the last check) and publishes the
 * counts to CloudWatch; one alarm per protected table fires on the first violation. Those alarms are what start
 * a point-in-time restore (RestoreTableWorkflow's alarm rule).
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { type Alarm, type IAlarmAction, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import {
  DATA_INTEGRITY_METRIC_NAMESPACE,
  DIMENSIONS,
  INTEGRITY_VIOLATIONS_METRIC,
} from '../observability/metric-names';
import { opsAlarm } from '../observability/ops-alarm';
import { logicalTableName, PROTECTED_TABLE_IDS } from '../stacks/data-stack';
import { tableCatalogJson } from './recovery-tables';

export const CHECK_TABLE_INTEGRITY = 'check-table-integrity';

export interface TableIntegrityStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  readonly deadLetterQueue: IQueue;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface TableIntegrityCheckProps {
  readonly stack: TableIntegrityStackContext;
}

export class TableIntegrityCheck extends Construct {
  readonly machine: AslStateMachine;
  readonly check: HandlerFunction;
  readonly schedule: Rule;
  /** One alarm per protected table: IntegrityViolations >= 1 in the last five minutes. */
  readonly alarms: Readonly<Partial<Record<TableId, Alarm>>>;

  constructor(scope: Construct, id: string, props: TableIntegrityCheckProps) {
    super(scope, id);
    const { config, tables, defaults, deadLetterQueue } = props.stack;

    this.check = new HandlerFunction(this, 'CheckTableIntegrity', {
      entry: 'integrity/check-table-integrity.ts',
      // The workflow is check-table-integrity too: alarm names must differ.
      name: 'check-table-integrity-handler',
      serviceName: CHECK_TABLE_INTEGRITY,
      logRetention: defaults.logRetention,
      // Scans every protected table; the Express execution that calls it ends after five minutes.
      timeout: Duration.minutes(4),
      environment: {
        INTEGRITY_THRESHOLDS: JSON.stringify({
          itemDropPercent: config.integrity.itemDropPercent,
          minimumItemDrop: config.integrity.minimumItemDrop,
        }),
      },
    });
    this.check.function.addEnvironment('TABLE_CATALOG', tableCatalogJson(this, tables));
    this.check.function.addEnvironment('COORDINATION_TABLE_NAME', tables.coordination.tableName);
    for (const tableId of PROTECTED_TABLE_IDS) {
      for (const statement of tableStatements(tables[tableId], ['dynamodb:Scan'])) {
        this.check.role.addToPrincipalPolicy(statement);
      }
    }
    for (const statement of tableStatements(tables.coordination, ['dynamodb:GetItem', 'dynamodb:PutItem'])) {
      this.check.role.addToPrincipalPolicy(statement);
    }

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: CHECK_TABLE_INTEGRITY,
      definitionFile: join(__dirname, '..', '..', 'state-machines', `${CHECK_TABLE_INTEGRITY}.asl.json`),
      substitutions: { CheckTableIntegrityFunctionArn: this.check.function.functionArn },
      stateMachineType: StateMachineType.EXPRESS,
      timeout: Duration.minutes(5),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    this.machine.allowFunctionInvoke(this.check.function);
    this.allowIntegrityMetrics();

    this.schedule = new Rule(this, 'Schedule', {
      description: `Starts ${CHECK_TABLE_INTEGRITY} (${config.integrity.schedule})`,
      schedule: Schedule.expression(config.integrity.schedule),
    });
    this.schedule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject({ trigger: 'schedule' }),
        deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.minutes(5),
      }),
    );

    const alarms: Partial<Record<TableId, Alarm>> = {};
    for (const tableId of PROTECTED_TABLE_IDS) {
      const tableName = logicalTableName(tableId);
      alarms[tableId] = opsAlarm(this, `${tableId[0]!.toUpperCase()}${tableId.slice(1)}IntegrityAlarm`, {
        kind: 'table-integrity',
        subject: tableName,
        metric: new Metric({
          namespace: DATA_INTEGRITY_METRIC_NAMESPACE,
          metricName: INTEGRITY_VIOLATIONS_METRIC,
          dimensionsMap: { [DIMENSIONS.tableName]: tableName },
          statistic: 'Maximum',
        }),
        ...(defaults.alarmAction ? { action: defaults.alarmAction } : {}),
      });
    }
    // A check that does not run restores nothing (missing data is not breaching): its handler's error-rate alarm
    // and the machine's failed-executions alarm, which every HandlerFunction and AslStateMachine get, say so.
    this.alarms = alarms;
  }

  /** PutMetricData has no resource-level permissions; the namespace condition keeps it to the integrity metrics. */
  private allowIntegrityMetrics(): void {
    const policy = new Policy(this, 'IntegrityMetrics', {
      statements: [
        new PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': DATA_INTEGRITY_METRIC_NAMESPACE } },
        }),
      ],
    });
    policy.attachToRole(this.machine.role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch PutMetricData supports no resource-level permissions; the statement is limited to the ' +
        `${DATA_INTEGRITY_METRIC_NAMESPACE} namespace by the cloudwatch:namespace condition key.`,
    });
  }
}
