/**
 * The health alert ingestion workflow: the `health-alert-ingestion` state machine (its RDS enrichment protected
 * by the `rds-api` circuit), its two handlers, the EventBridge rules that start it on RDS alarms and RDS
 * events, and exactly the permissions each uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import type { CircuitBreakerWorkflow } from './circuit-breaker-workflow';

export const HEALTH_ALERT_INGESTION = 'health-alert-ingestion';

/**
 * "RDS alarms": alarms with at least one metric in the AWS/RDS namespace. EventBridge matches a field inside
 * an array of objects when any element has it, so a metric-math alarm with one RDS metric matches too; a
 * composite alarm (no metrics) does not.
 */
export const RDS_ALARM_PATTERN: EventPattern = {
  source: ['aws.cloudwatch'],
  detailType: ['CloudWatch Alarm State Change'],
  detail: { configuration: { metrics: { metricStat: { metric: { namespace: ['AWS/RDS'] } } } } },
};

/**
 * RDS instance and cluster events of the categories that speak about health. Kept equal to the handler's
 * `HEALTH_CATEGORIES` (handlers/health/rds-event.ts) by a test: lib/ does not import handlers/.
 */
export const RDS_EVENT_CATEGORIES = ['availability', 'failover', 'failure', 'low storage', 'maintenance', 'recovery'];

export const RDS_EVENT_PATTERN: EventPattern = {
  source: ['aws.rds'],
  detailType: ['RDS DB Instance Event', 'RDS DB Cluster Event'],
  detail: { EventCategories: RDS_EVENT_CATEGORIES },
};

/** What the workflow needs from the workflows stack (`{ stack: this }` there). */
export interface HealthAlertIngestionStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Pick<Record<TableId, ITable>, 'healthAlerts' | 'rdsInventory' | 'auditLog'>>;
  readonly circuitBreaker: CircuitBreakerWorkflow;
  readonly deadLetterQueue: IQueue;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface HealthAlertIngestionWorkflowProps {
  readonly stack: HealthAlertIngestionStackContext;
}

export class HealthAlertIngestionWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly describeEvent: HandlerFunction;
  readonly recordAlert: HandlerFunction;
  /** Starts the workflow on state changes of RDS alarms. */
  readonly alarmRule: Rule;
  /** Starts the workflow on RDS DB instance and cluster events. */
  readonly rdsEventRule: Rule;

  constructor(scope: Construct, id: string, props: HealthAlertIngestionWorkflowProps) {
    super(scope, id);
    const { tables, circuitBreaker, deadLetterQueue, defaults } = props.stack;

    this.describeEvent = new HandlerFunction(this, 'DescribeHealthEvent', {
      entry: 'health/describe-health-event.ts',
      serviceName: HEALTH_ALERT_INGESTION,
      logRetention: defaults.logRetention,
      timeout: Duration.seconds(10),
    });
    this.recordAlert = new HandlerFunction(this, 'RecordHealthAlert', {
      entry: 'health/record-health-alert.ts',
      serviceName: HEALTH_ALERT_INGESTION,
      logRetention: defaults.logRetention,
      timeout: Duration.seconds(30),
    });
    // Exactly what the transaction does: read the alert, put it and the event's audit entry.
    for (const statement of [
      ...tableStatements(tables.healthAlerts, ['dynamodb:GetItem', 'dynamodb:PutItem']),
      ...tableStatements(tables.auditLog, ['dynamodb:PutItem']),
    ]) {
      this.recordAlert.role.addToPrincipalPolicy(statement);
    }
    this.recordAlert.function.addEnvironment('HEALTH_ALERTS_TABLE_NAME', tables.healthAlerts.tableName);
    this.recordAlert.function.addEnvironment('AUDIT_LOG_TABLE_NAME', tables.auditLog.tableName);

    const definitionFile = join(__dirname, '..', '..', 'state-machines', `${HEALTH_ALERT_INGESTION}.asl.json`);
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8')) as { States: Record<string, unknown> };
    const breaker = circuitBreaker.callerSubstitutions(definition, `${this.node.path} (${HEALTH_ALERT_INGESTION})`);

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: HEALTH_ALERT_INGESTION,
      definitionFile,
      substitutions: {
        DescribeHealthEventFunctionArn: this.describeEvent.function.functionArn,
        RecordHealthAlertFunctionArn: this.recordAlert.function.functionArn,
        InventoryTableName: tables.rdsInventory.tableName,
        AuditLogTableName: tables.auditLog.tableName,
        ...breaker.substitutions,
      },
      // One event: two short handlers and at most one breaker-protected RDS call, each with bounded retries.
      timeout: Duration.minutes(10),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    circuitBreaker.allowCallsFrom(this.machine);
    this.machine.allowFunctionInvoke(this.describeEvent.function);
    this.machine.allowFunctionInvoke(this.recordAlert.function);
    this.machine.allowTableActions(tables.rdsInventory, ['dynamodb:GetItem']);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowServiceActions(
      ['rds:DescribeDBInstances'],
      [
        Stack.of(this).formatArn({
          service: 'rds',
          resource: 'db',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      'The ingestion describes the one instance an alarm or RDS event names, known only at run time; ' +
        'DescribeDBInstances with an identifier is authorized on that db ARN, so the grant covers the db ARNs of ' +
        'this account and region (no clusters, snapshots or other actions), and it only reads descriptions.',
    );

    const target = () =>
      new SfnStateMachine(this.machine.stateMachine, {
        deadLetterQueue,
        // Alerts matter most during an outage: keep trying a throttled StartExecution for a while.
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      });
    this.alarmRule = new Rule(this, 'RdsAlarmRule', {
      description: `Starts ${HEALTH_ALERT_INGESTION} when an alarm on an AWS/RDS metric changes state`,
      eventPattern: RDS_ALARM_PATTERN,
    });
    this.alarmRule.addTarget(target());
    this.rdsEventRule = new Rule(this, 'RdsEventRule', {
      description: `Starts ${HEALTH_ALERT_INGESTION} on RDS instance and cluster events (${RDS_EVENT_CATEGORIES.join(', ')})`,
      eventPattern: RDS_EVENT_PATTERN,
    });
    this.rdsEventRule.addTarget(target());
  }
}
