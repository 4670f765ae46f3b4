/**
 * Reads the synthesized templates into what the local runtime needs: tables, state machines (with
 * their DefinitionSubstitutions resolved to local names and ARNs), EventBridge rules, functions and REST APIs.
 */
import path from 'node:path';
import type { GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { substitutePlaceholders } from '../../lib/constructs/asl-definition';
import { WORKFLOW_TAG } from '../../lib/constructs/asl-state-machine';
import { HANDLER_ENTRY_METADATA, HANDLER_EXPORT_METADATA } from '../../lib/constructs/handler-function';
import { TABLE_TAG } from '../../lib/stacks/data-stack';
import { type AlarmModel, alarmModelFrom } from '../alarms/alarm-model';
import type { LocalTableSpec } from '../dynamodb/local-dynamodb';
import type { RuleSpec, RuleTargetSpec } from '../events/types';
import type { LocalFunctionSpec } from '../stepfunctions/bindings/lambda-function';
import { type AslDefinition, parseDefinition } from '../stepfunctions/definition';
import {
  type CfnResource,
  DEFAULT_LOCAL_ENVIRONMENT,
  type LocalEnvironment,
  type SynthesizedStack,
} from './cfn-template';
import { TemplateReadError } from './errors';
import { LocalResourceNames } from './intrinsics';
import { type RestApiModel, readRestApi } from './rest-api-model';

/** A table as the template declares it: what local DynamoDB creates, plus where it came from. */
export interface TableModel extends LocalTableSpec {
  readonly stackName: string;
  readonly logicalId: string;
  readonly arn: string;
  /** The table's id in the data stack (`circuitBreakers`), from the `rds-ops:table` tag. */
  readonly tableId?: string;
}

export interface StateMachineModel {
  readonly stackName: string;
  readonly logicalId: string;
  /** The workflow's kebab name (`inventory-refresh`), from the `rds-ops:workflow` tag. */
  readonly workflow?: string;
  /** The state machine's tags, as ListTagsForResource answers them. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly name: string;
  readonly arn: string;
  readonly roleArn?: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: AslDefinition;
  /** DefinitionSubstitutions resolved to local values, to fill raw ASL files the same way. */
  readonly substitutions: Readonly<Record<string, string>>;
}

export interface AppModel {
  readonly env: LocalEnvironment;
  readonly tables: TableModel[];
  readonly stateMachines: StateMachineModel[];
  readonly rules: RuleSpec[];
  readonly functions: LocalFunctionSpec[];
  /** The CloudWatch alarms, which the local runtime evaluates against the metrics the stand-in stores. */
  readonly alarms: AlarmModel[];
  /** API Gateway REST APIs, which `local serve` serves at `/<stage>/...` (the operations API at `/api/...`). */
  readonly restApis: RestApiModel[];
  readonly names: LocalResourceNames;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read field by field below.
type CfnProperties = Record<string, any>;

export function readAppModel(
  stacks: readonly SynthesizedStack[],
  options: { env?: LocalEnvironment; projectRoot: string },
): AppModel {
  const env = options.env ?? DEFAULT_LOCAL_ENVIRONMENT;
  const names = new LocalResourceNames(stacks, env);
  const model: AppModel = {
    env,
    tables: [],
    stateMachines: [],
    rules: [],
    functions: [],
    alarms: [],
    restApis: [],
    names,
  };
  for (const { stackName, template, assemblyDir } of stacks) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const read = READERS[resource.Type];
      read?.({ stackName, logicalId, resource, names, model, projectRoot: options.projectRoot, assemblyDir });
    }
  }
  return model;
}

interface ReaderInput {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
  readonly names: LocalResourceNames;
  readonly model: AppModel;
  readonly projectRoot: string;
  readonly assemblyDir?: string;
}

const READERS: Readonly<Record<string, (input: ReaderInput) => void>> = {
  'AWS::DynamoDB::Table': readTable,
  'AWS::DynamoDB::GlobalTable': readTable,
  'AWS::StepFunctions::StateMachine': readStateMachine,
  'AWS::Events::Rule': readRule,
  'AWS::Lambda::Function': readFunction,
  'AWS::CloudWatch::Alarm': readAlarm,
  'AWS::ApiGateway::RestApi': ({ stackName, logicalId, names, model }) =>
    model.restApis.push(readRestApi(stackName, logicalId, names.templateOf(stackName), names)),
};

function readAlarm({ stackName, logicalId, resource, names, model }: ReaderInput): void {
  const props = names.resolve(stackName, resource.Properties ?? {}, `${stackName}/${logicalId}`) as CfnProperties;
  const ref = { stackName, logicalId, resource };
  model.alarms.push(alarmModelFrom(names.nameOf(ref), names.arnOf(ref), props));
}

function readTable({ stackName, logicalId, resource, names, model }: ReaderInput): void {
  const props = names.resolve(stackName, resource.Properties ?? {}, logicalId) as CfnProperties;
  const replica = (props.Replicas as CfnProperties[] | undefined)?.[0] ?? {};
  const pitr = props.PointInTimeRecoverySpecification ?? replica.PointInTimeRecoverySpecification;
  const ttl = props.TimeToLiveSpecification;
  const ref = { stackName, logicalId, resource };
  const tableId = (props.Tags as { Key: string; Value: string }[] | undefined)?.find(
    (tag) => tag.Key === TABLE_TAG,
  )?.Value;
  model.tables.push({
    stackName,
    logicalId,
    ...(tableId && { tableId }),
    tableName: names.nameOf(ref),
    arn: names.arnOf(ref),
    keySchema: props.KeySchema,
    attributeDefinitions: props.AttributeDefinitions,
    ...(props.GlobalSecondaryIndexes && { globalSecondaryIndexes: props.GlobalSecondaryIndexes.map(withoutCapacity) }),
    ...(props.LocalSecondaryIndexes && { localSecondaryIndexes: props.LocalSecondaryIndexes }),
    ...(pitr && {
      pointInTimeRecovery: {
        enabled: pitr.PointInTimeRecoveryEnabled === true || pitr.PointInTimeRecoveryEnabled === 'true',
        ...(pitr.RecoveryPeriodInDays !== undefined && { recoveryPeriodInDays: Number(pitr.RecoveryPeriodInDays) }),
      },
    }),
    ...(ttl?.Enabled && { timeToLiveAttribute: ttl.AttributeName }),
    deletionProtection: Boolean(props.DeletionProtectionEnabled ?? replica.DeletionProtectionEnabled),
  });
}

/** Local tables are on-demand; capacity and warm throughput settings do not apply. */
function withoutCapacity(index: Record<string, unknown>): GlobalSecondaryIndex {
  const {
    ProvisionedThroughput,
    ReadProvisionedThroughputSettings,
    WriteProvisionedThroughputSettings,
    WriteOnDemandThroughputSettings,
    ReadOnDemandThroughputSettings,
    WarmThroughput,
    OnDemandThroughput,
    ...rest
  } = index;
  return rest as unknown as GlobalSecondaryIndex;
}

function readStateMachine({ stackName, logicalId, resource, names, model }: ReaderInput): void {
  const props = resource.Properties ?? {};
  const ref = { stackName, logicalId, resource };
  const where = `${stackName}/${logicalId}`;
  if (props.DefinitionString === undefined) {
    throw new TemplateReadError(
      `${where} has no inline DefinitionString (an S3 definition cannot be read locally); load ASL with DefinitionBody.fromString.`,
    );
  }
  const text = String(names.resolve(stackName, props.DefinitionString, `${where}.DefinitionString`));
  const resolved = names.resolve(stackName, props.DefinitionSubstitutions ?? {}, `${where}.DefinitionSubstitutions`);
  const substitutions = Object.fromEntries(
    Object.entries(resolved as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
  );
  const substituted = substitutePlaceholders(text, substitutions).text;
  const tags = (props.Tags as { Key: string; Value: string }[] | undefined) ?? [];
  const workflow = tags.find((tag) => tag.Key === WORKFLOW_TAG)?.Value;
  model.stateMachines.push({
    stackName,
    logicalId,
    ...(workflow && { workflow }),
    tags: Object.fromEntries(tags.map((tag) => [tag.Key, String(tag.Value)])),
    name: names.nameOf(ref),
    arn: names.arnOf(ref),
    ...(props.RoleArn !== undefined && { roleArn: String(names.resolve(stackName, props.RoleArn, where)) }),
    type: props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    definition: parseDefinition(substituted, `state machine ${workflow ?? logicalId}`),
    substitutions,
  });
}

function readRule({ stackName, logicalId, resource, names, model }: ReaderInput): void {
  const props = names.resolve(stackName, resource.Properties ?? {}, `${stackName}/${logicalId}`) as CfnProperties;
  const ref = { stackName, logicalId, resource };
  const eventBusName = props.EventBusName ? String(props.EventBusName).split('/').pop()! : 'default';
  model.rules.push({
    name: names.nameOf(ref),
    arn: names.arnOf(ref),
    eventBusName,
    ...(props.EventPattern !== undefined && { eventPattern: props.EventPattern }),
    ...(props.ScheduleExpression !== undefined && { scheduleExpression: props.ScheduleExpression }),
    state: props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    targets: ((props.Targets as CfnProperties[] | undefined) ?? []).map(readTarget),
  });
}

function readTarget(target: CfnProperties): RuleTargetSpec {
  return {
    id: target.Id,
    arn: target.Arn,
    ...(target.RoleArn && { roleArn: target.RoleArn }),
    ...(target.Input !== undefined && { Input: target.Input }),
    ...(target.InputPath !== undefined && { InputPath: target.InputPath }),
    ...(target.InputTransformer && { InputTransformer: target.InputTransformer }),
    ...(target.DeadLetterConfig?.Arn && { deadLetterArn: target.DeadLetterConfig.Arn }),
    ...(target.RetryPolicy?.MaximumRetryAttempts !== undefined && {
      maxAttempts: Number(target.RetryPolicy.MaximumRetryAttempts) + 1,
    }),
  };
}

function readFunction({ stackName, logicalId, resource, names, model, projectRoot, assemblyDir }: ReaderInput): void {
  const entry = resource.Metadata?.[HANDLER_ENTRY_METADATA];
  if (typeof entry !== 'string') return; // custom-resource providers and other CDK internals
  const props = names.resolve(stackName, resource.Properties ?? {}, `${stackName}/${logicalId}`) as CfnProperties;
  const ref = { stackName, logicalId, resource };
  model.functions.push({
    logicalId,
    functionName: names.nameOf(ref),
    arn: names.arnOf(ref),
    entry: path.resolve(projectRoot, entry),
    ...(assemblyDir && { bundle: bundleOf(resource, props, assemblyDir, `${stackName}/${logicalId}`) }),
    handlerExport: String(resource.Metadata?.[HANDLER_EXPORT_METADATA] ?? 'handler'),
    environment: Object.fromEntries(
      Object.entries((props.Environment?.Variables as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [
        k,
        String(v),
      ]),
    ),
    timeoutSeconds: Number(props.Timeout ?? 3),
    memoryMb: Number(props.MemorySize ?? 128),
    ...(typeof props.Runtime === 'string' && { runtime: props.Runtime }),
    tracing: (props.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active' ? 'Active' : 'PassThrough',
  });
}

/** The bundled file Lambda loads: `<asset directory>/<module of Handler>.js` (`index.handler` -> `index.js`). */
function bundleOf(resource: CfnResource, props: CfnProperties, assemblyDir: string, where: string): string {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') {
    throw new TemplateReadError(
      `${where} has no aws:asset:path metadata: synthesize with bundling and asset metadata.`,
    );
  }
  const handler = String(props.Handler ?? 'index.handler');
  return path.join(path.resolve(assemblyDir, assetPath), `${handler.slice(0, handler.lastIndexOf('.'))}.js`);
}
