/** Builders for local-runtime tests: a runtime from a hand-made model, without synthesizing the CDK app. */
import { VirtualClock } from '../../local/clock';
import type { FaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime } from '../../local/runtime';
import type { LocalFunctionSpec } from '../../local/stepfunctions/bindings/lambda-function';
import { parseDefinition } from '../../local/stepfunctions/definition';
import type { AppModel, StateMachineModel, TableModel } from '../../local/template/app-model';
import { DEFAULT_LOCAL_ENVIRONMENT } from '../../local/template/cfn-template';
import { LocalResourceNames } from '../../local/template/intrinsics';

const { region, account } = DEFAULT_LOCAL_ENVIRONMENT;

export function testTable(tableName: string, partitionKey = 'pk', extra: Partial<TableModel> = {}): TableModel {
  return {
    stackName: 'Test',
    logicalId: tableName,
    tableName,
    arn: `arn:aws:dynamodb:${region}:${account}:table/${tableName}`,
    keySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
    ...extra,
  };
}

export function testMachine(name: string, definition: object): StateMachineModel {
  return {
    stackName: 'Test',
    logicalId: name,
    workflow: name,
    name,
    arn: `arn:aws:states:${region}:${account}:stateMachine:${name}`,
    type: 'STANDARD',
    definition: parseDefinition(definition, name),
    substitutions: {},
  };
}

export function testFunction(
  functionName: string,
  entry: string,
  environment: Record<string, string> = {},
): LocalFunctionSpec {
  return {
    logicalId: functionName,
    functionName,
    arn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    entry,
    handlerExport: 'handler',
    environment,
    timeoutSeconds: 30,
    memoryMb: 256,
  };
}

export function testModel(
  parts: Partial<Pick<AppModel, 'tables' | 'stateMachines' | 'rules' | 'functions' | 'alarms'>>,
): AppModel {
  return {
    env: DEFAULT_LOCAL_ENVIRONMENT,
    tables: parts.tables ?? [],
    stateMachines: parts.stateMachines ?? [],
    rules: parts.rules ?? [],
    functions: parts.functions ?? [],
    alarms: parts.alarms ?? [],
    restApis: [],
    names: new LocalResourceNames([], DEFAULT_LOCAL_ENVIRONMENT),
  };
}

export async function startTestRuntime(
  parts: Parameters<typeof testModel>[0],
  options: { clock?: VirtualClock; faultPlan?: FaultPlan; random?: () => number } = {},
) {
  const clock = options.clock ?? new VirtualClock();
  const runtime = await LocalRuntime.start({
    model: testModel(parts),
    clock,
    faultPlan: options.faultPlan,
    random: options.random,
    latestRestorableLagSeconds: 0,
  });
  return { runtime, clock };
}
