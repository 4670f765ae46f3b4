/**
 * The daily cost snapshot: the `cost-snapshot` state machine (its Cost Explorer calls protected by the
 * `cost-explorer` circuit), its two handlers, the schedule that starts it, and exactly the permissions each uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OpsConfig, TableId } from '../config';
import { AslStateMachine } from '../constructs/asl-state-machine';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import type { CircuitBreakerWorkflow } from './circuit-breaker-workflow';

export const COST_SNAPSHOT = 'cost-snapshot';
/** The input of scheduled runs; by hand, `{ "date": "YYYY-MM-DD" }` snapshots that day. */
export const SCHEDULED_COST_INPUT = { trigger: 'schedule' };

/** What the workflow needs from the workflows stack (`{ stack: this }` there). */
export interface CostSnapshotStackContext {
  readonly config: OpsConfig;
  readonly tables: Readonly<Pick<Record<TableId, ITable>, 'costSnapshots' | 'metricsCache' | 'auditLog'>>;
  readonly circuitBreaker: CircuitBreakerWorkflow;
  readonly deadLetterQueue: IQueue;
  readonly defaults: { readonly logRetention: RetentionDays; readonly alarmAction?: IAlarmAction };
}

export interface CostSnapshotWorkflowProps {
  readonly stack: CostSnapshotStackContext;
  /** Turn the schedule off (the rule stays, disabled). @default true */
  readonly scheduleEnabled?: boolean;
}

export class CostSnapshotWorkflow extends Construct {
  readonly machine: AslStateMachine;
  readonly plan: HandlerFunction;
  readonly savePage: HandlerFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: CostSnapshotWorkflowProps) {
    super(scope, id);
    const { config, tables, circuitBreaker, deadLetterQueue, defaults } = props.stack;

    this.plan = new HandlerFunction(this, 'PlanCostSnapshot', {
      entry: 'cost/plan-cost-snapshot.ts',
      serviceName: COST_SNAPSHOT,
      logRetention: defaults.logRetention,
      timeout: Duration.seconds(10),
      environment: { COST_CACHE_TTL_HOURS: String(config.costCacheTtlHours) },
    });
    this.savePage = new HandlerFunction(this, 'SaveCostPage', {
      entry: 'cost/save-cost-page.ts',
      serviceName: COST_SNAPSHOT,
      logRetention: defaults.logRetention,
      timeout: Duration.minutes(1),
    });
    // Exactly the conditional PutItem of each instance's day.
    for (const statement of tableStatements(tables.costSnapshots, ['dynamodb:PutItem'])) {
      this.savePage.role.addToPrincipalPolicy(statement);
    }
    this.savePage.function.addEnvironment('COST_SNAPSHOTS_TABLE_NAME', tables.costSnapshots.tableName);

    const definitionFile = join(__dirname, '..', '..', 'state-machines', `${COST_SNAPSHOT}.asl.json`);
    const definition = JSON.parse(readFileSync(definitionFile, 'utf8')) as { States: Record<string, unknown> };
    const breaker = circuitBreaker.callerSubstitutions(definition, `${this.node.path} (${COST_SNAPSHOT})`);

    this.machine = new AslStateMachine(this, 'StateMachine', {
      name: COST_SNAPSHOT,
      definitionFile,
      substitutions: {
        PlanCostSnapshotFunctionArn: this.plan.function.functionArn,
        SaveCostPageFunctionArn: this.savePage.function.functionArn,
        MetricsCacheTableName: tables.metricsCache.tableName,
        AuditLogTableName: tables.auditLog.tableName,
        ...breaker.substitutions,
      },
      // A page is a breaker check, one Cost Explorer call and its writes: an hour covers thousands of pages.
      timeout: Duration.hours(1),
      logRetention: defaults.logRetention,
      ...(defaults.alarmAction ? { alarmAction: defaults.alarmAction } : {}),
    });
    circuitBreaker.allowCallsFrom(this.machine);
    this.machine.allowFunctionInvoke(this.plan.function);
    this.machine.allowFunctionInvoke(this.savePage.function);
    this.machine.allowTableActions(tables.metricsCache, ['dynamodb:PutItem']);
    this.machine.allowTableActions(tables.auditLog, ['dynamodb:PutItem']);
    this.machine.allowServiceActions(
      ['ce:GetCostAndUsageWithResources'],
      ['*'],
      'Cost Explorer cost and usage queries have no resource-level permissions: ce:GetCostAndUsageWithResources is ' +
        'authorized only on "*". The grant is this one read-only action.',
    );

    this.schedule = new Rule(this, 'Schedule', {
      description: `Starts ${COST_SNAPSHOT} (${config.costSnapshotSchedule})`,
      schedule: Schedule.expression(config.costSnapshotSchedule),
      enabled: props.scheduleEnabled ?? true,
    });
    this.schedule.addTarget(
      new SfnStateMachine(this.machine.stateMachine, {
        input: RuleTargetInput.fromObject(SCHEDULED_COST_INPUT),
        deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    );
  }
}
