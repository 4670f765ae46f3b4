/**
 * Builds the whole CDK app in-process: config from context, the five stacks of one stage, and cdk-nag.
 * `bin/app.ts` (the CDK CLI), the local runtime and the tests all start here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type OpsConfig, parseConfig, stackName, stageLabel } from './config';
import { ObservabilityRegistry } from './observability/registry';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { ObservabilityStack } from './stacks/observability-stack';
import { WorkflowsStack } from './stacks/workflows-stack';

export interface CreateAppOptions {
  /** Context on top of `cdk.json`'s (the CDK CLI's `-c` values still win). @default - none */
  readonly context?: Record<string, unknown>;
  /** Skip esbuild bundling of Lambda handlers (fast template tests). @default false */
  readonly skipBundling?: boolean;
  /** Run the cdk-nag AwsSolutions checks at synth. @default true */
  readonly nag?: boolean;
  /** Where `app.synth()` writes the cloud assembly. @default - the CLI's choice, or a temp directory */
  readonly outdir?: string;
}

export interface OpsApp {
  readonly app: App;
  readonly config: OpsConfig;
  readonly monitoringStack: MonitoringStack;
  readonly dataStack: DataStack;
  readonly workflowsStack: WorkflowsStack;
  readonly apiStack: ApiStack;
  readonly observabilityStack: ObservabilityStack;
}

const CDK_JSON = join(__dirname, '..', 'cdk.json');

export function createApp(options: CreateAppOptions = {}): OpsApp {
  const app = new App({
    // In-process callers do not go through the CLI, which is what normally reads cdk.json.
    context: {
      ...cdkJsonContext(),
      ...options.context,
      ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = parseConfig(app.node.getAllContext());
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const monitoringStack = new MonitoringStack(app, stackName(config.stage, 'Monitoring'), {
    config,
    env,
    description: `RDS ops (${config.stage}): alarm notifications`,
  });
  // Every alarm of the stage is named RdsOps-<Stage>-... and notifies the topic, unless its construct says otherwise.
  ObservabilityRegistry.of(app).configure({
    alarmNamePrefix: `RdsOps-${stageLabel(config.stage)}`,
    alarmAction: monitoringStack.alarmAction,
  });
  const dataStack = new DataStack(app, stackName(config.stage, 'Data'), {
    config,
    env,
    alarmAction: monitoringStack.alarmAction,
    description: `RDS ops (${config.stage}): operational tables with PITR`,
  });
  const workflowsStack = new WorkflowsStack(app, stackName(config.stage, 'Workflows'), {
    config,
    env,
    tables: dataStack.tables,
    alarmAction: monitoringStack.alarmAction,
    notificationTopic: monitoringStack.alarmTopic,
    description: `RDS ops (${config.stage}): Step Functions workflows and their triggers`,
  });
  const apiStack = new ApiStack(app, stackName(config.stage, 'Api'), {
    config,
    env,
    tables: dataStack.tables,
    describableStateMachines: [
      workflowsStack.inventoryRefresh.machine.stateMachine,
      workflowsStack.healthAlertIngestion.machine.stateMachine,
      workflowsStack.costSnapshot.machine.stateMachine,
      workflowsStack.restoreTable.machine.stateMachine,
      workflowsStack.cutoverTable.machine.stateMachine,
    ],
    recovery: { restoreTable: workflowsStack.restoreTable.machine.stateMachine },
    alarmAction: monitoringStack.alarmAction,
    description: `RDS ops (${config.stage}): the operations API (API Gateway, IAM authorization)`,
  });
  // Last: it reads the registry every table, workflow, handler, queue and API above joined.
  const observabilityStack = new ObservabilityStack(app, stackName(config.stage, 'Observability'), {
    config,
    env,
    watchedStacks: [dataStack, workflowsStack, apiStack],
    alarmAction: monitoringStack.alarmAction,
    description: `RDS ops (${config.stage}): circuit alarms, the platform-degraded composite alarm and the dashboard`,
  });

  Tags.of(app).add('project', 'rds-ops-reliability');
  Tags.of(app).add('stage', config.stage);
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, config, monitoringStack, dataStack, workflowsStack, apiStack, observabilityStack };
}

/** The config the app would synthesize with: `cdk.json` context plus overrides (for tools such as the CLI). */
export function loadConfig(context: Record<string, unknown> = {}): OpsConfig {
  return parseConfig({ ...cdkJsonContext(), ...context });
}

function cdkJsonContext(): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}
