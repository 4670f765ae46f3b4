/**
 * What IAM a state machine's Tasks need (from the definition) and what its role allows (from the
 * template), so a test can prove both directions: every call is allowed, nothing else is. Condition keys
 * that stand in for missing resource-level permissions (PutMetricData's namespace) count too. A local run
 * cannot catch AccessDenied, so this is where it is caught.
 */
import { parseResource } from '../../local/stepfunctions/bindings/resource-arn';
import { type AslDefinition, listTaskStates } from '../../local/stepfunctions/definition';
import type { AppModel } from '../../local/template/app-model';
import type { CfnResource, LocalEnvironment } from '../../local/template/cfn-template';

export interface Permission {
  readonly action: string;
  readonly resource: string;
  /** The Task state that needs it. */
  readonly state?: string;
  /**
   * Condition keys with the single value a call has (needed) or a grant allows (`StringEquals`), such as
   * `cloudwatch:namespace` for PutMetricData, which has no resource-level permissions.
   */
  readonly conditions?: Readonly<Record<string, string>>;
}

/** The condition key a service checks for an action, and the request parameter that carries its value. */
const CONDITION_KEYS: Readonly<Record<string, { readonly key: string; readonly parameter: string }>> = {
  'cloudwatch:PutMetricData': { key: 'cloudwatch:namespace', parameter: 'Namespace' },
};

const IAM_PREFIX: Readonly<Record<string, string>> = {
  dynamodb: 'dynamodb',
  rds: 'rds',
  sns: 'sns',
  events: 'events',
  eventbridge: 'events',
  cloudwatch: 'cloudwatch',
  costexplorer: 'ce',
  sfn: 'states',
  states: 'states',
  lambda: 'lambda',
};

/** Actions that accept no resource-level permission, so `*` is their only correct resource. */
const RESOURCELESS_ACTIONS = new Set([
  'rds:DescribeDBInstances',
  'cloudwatch:PutMetricData',
  'ce:GetCostAndUsage',
  'ce:GetCostAndUsageWithResources',
]);

/** What Step Functions itself needs for logging and X-Ray: granted by CDK, not used by any Task. */
export const PLATFORM_ACTIONS = new Set([
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
]);

/**
 * Item reads and writes on a table encrypted with a customer-managed key also need that key: DynamoDB uses
 * it on the caller's behalf (the key policy grants through `kms:ViaService`, IAM must allow it too).
 * Decision, as CDK's own `Table.grantReadData`/`grantWriteData` grant it: reads need Decrypt and DescribeKey;
 * writes also Encrypt, GenerateDataKey* and ReEncrypt*. Control-plane calls (DescribeTable) need no key.
 */
const ITEM_READS = new Set([
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:TransactGetItems',
]);
const ITEM_WRITES = new Set([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
]);
export const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
export const KMS_WRITE_ACTIONS = [
  ...KMS_READ_ACTIONS,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/** Table ARN -> ARN of the customer-managed key that encrypts it (tables on AWS managed keys are absent). */
export type TableKeys = ReadonlyMap<string, string>;

/**
 * Every permission the definition's Tasks need: each Task's action on its target and, for item access to a
 * table in `tableKeys`, the KMS actions on its key.
 */
export function requiredPermissions(
  definition: AslDefinition,
  env: LocalEnvironment,
  tableKeys: TableKeys = new Map(),
  declared: DeclaredPermissions = {},
): Permission[] {
  return taskPermissions(definition, env, declared).flatMap((permission) => [
    permission,
    ...keyPermissions(permission, tableKeys),
  ]);
}

function keyPermissions(permission: Permission, tableKeys: TableKeys): Permission[] {
  const key = tableKeys.get(permission.resource.replace(/\/index\/[^/]+$/, ''));
  if (key === undefined) return [];
  const actions = ITEM_WRITES.has(permission.action)
    ? KMS_WRITE_ACTIONS
    : ITEM_READS.has(permission.action)
      ? KMS_READ_ACTIONS
      : [];
  return actions.map((action) => ({ state: permission.state, action, resource: key }));
}

/**
 * The permissions of Tasks whose target is known only at run time (a table named in the input), or that need
 * more than their own action (a `.sync` child, a restore into a new table): the IAM scope the test expects,
 * by state name, taking the place of what the definition alone would give (see runtime-permissions.ts).
 */
export type DeclaredPermissions = Readonly<Record<string, readonly Permission[]>>;

function taskPermissions(
  definition: AslDefinition,
  env: LocalEnvironment,
  declared: DeclaredPermissions,
): Permission[] {
  return listTaskStates(definition).flatMap(({ stateName, resource, state }) => {
    const declaredForState = declared[stateName];
    if (declaredForState) return declaredForState.map((permission) => ({ ...permission, state: stateName }));
    const parsed = parseResource(resource);
    const params = (state.Parameters ?? {}) as Record<string, unknown>;
    if (parsed.kind === 'lambda-function') {
      const unqualified = parsed.qualifier ? resource.slice(0, -(parsed.qualifier.length + 1)) : resource;
      return [{ state: stateName, action: 'lambda:InvokeFunction', resource: unqualified }];
    }
    if (parsed.kind === 'unknown') throw new Error(`${stateName}: unknown resource ${resource}`);
    const prefix = IAM_PREFIX[parsed.service];
    if (!prefix) throw new Error(`${stateName}: no IAM prefix known for service ${parsed.service}`);
    const action =
      parsed.service === 'lambda' && parsed.action === 'invoke'
        ? 'lambda:InvokeFunction'
        : `${prefix}:${pascal(parsed.action)}`;
    const condition = CONDITION_KEYS[action];
    const conditionValue = condition ? params[condition.parameter] : undefined;
    if (condition && typeof conditionValue !== 'string') {
      throw new Error(`${stateName}: ${action} needs a static ${condition.parameter} to be checked against IAM.`);
    }
    return resourcesOf(action, params, env, stateName).map((target) => ({
      state: stateName,
      action,
      resource: target,
      ...(condition ? { conditions: { [condition.key]: conditionValue as string } } : {}),
    }));
  });
}

function resourcesOf(action: string, params: Record<string, unknown>, env: LocalEnvironment, state: string): string[] {
  const { region, account } = env;
  // DescribeDBInstances of one instance is authorized on its db ARN; without an identifier only on "*".
  if (
    action === 'rds:DescribeDBInstances' &&
    ('DbInstanceIdentifier' in params || 'DbInstanceIdentifier.$' in params)
  ) {
    const identifier = typeof params.DbInstanceIdentifier === 'string' ? params.DbInstanceIdentifier : '*';
    return [`arn:aws:rds:${region}:${account}:db:${identifier}`];
  }
  if (RESOURCELESS_ACTIONS.has(action)) return ['*'];
  const staticParam = (name: string): string => {
    const value = params[name];
    if (typeof value !== 'string') {
      throw new Error(
        `${state}: ${action} needs a static ${name} in Parameters to be checked against IAM (found ${JSON.stringify(params[`${name}.$`] ?? value)}).`,
      );
    }
    return value;
  };
  if (action.startsWith('dynamodb:')) {
    const table = `arn:aws:dynamodb:${region}:${account}:table/${staticParam('TableName')}`;
    return typeof params.IndexName === 'string' ? [`${table}/index/${params.IndexName}`] : [table];
  }
  if (action === 'lambda:InvokeFunction') {
    const name = staticParam('FunctionName');
    return [name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}`];
  }
  if (action === 'sns:Publish') return [staticParam('TopicArn')];
  // A child execution is authorized on the state machine it starts.
  if (action === 'states:StartSyncExecution' || action === 'states:StartExecution') {
    return [staticParam('StateMachineArn')];
  }
  if (action === 'events:PutEvents') {
    const entries = (params.Entries as Record<string, unknown>[] | undefined) ?? [];
    return entries.map((entry) => {
      const bus = typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default';
      return bus.startsWith('arn:') ? bus : `arn:aws:events:${region}:${account}:event-bus/${bus}`;
    });
  }
  if (
    action === 'states:SendTaskSuccess' ||
    action === 'states:SendTaskFailure' ||
    action === 'states:SendTaskHeartbeat'
  )
    return ['*'];
  throw new Error(
    `${state}: the IAM coverage check does not know the resource of ${action}; teach test/helpers/asl-permissions.ts.`,
  );
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;
}

export function allowedPermissions(statements: readonly PolicyStatementJson[]): Permission[] {
  return statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => {
      const conditions = statementConditions(statement);
      return asList(statement.Action).flatMap((action) =>
        asList(statement.Resource).map((resource) => ({ action, resource, ...(conditions ? { conditions } : {}) })),
      );
    });
}

/** The single-valued `StringEquals` conditions of a statement; any other operator is not understood here. */
function statementConditions(statement: PolicyStatementJson): Record<string, string> | undefined {
  if (!statement.Condition) return undefined;
  const conditions: Record<string, string> = {};
  for (const [operator, keys] of Object.entries(statement.Condition)) {
    if (operator !== 'StringEquals') throw new Error(`the IAM coverage check does not know condition ${operator}`);
    for (const [key, value] of Object.entries(keys)) {
      if (Array.isArray(value)) throw new Error(`the IAM coverage check expects one value for ${key}`);
      conditions[key] = value as string;
    }
  }
  return conditions;
}

/** A grant's conditions admit the call when the call has every conditioned key with that value. */
function conditionsAdmit(grant: Permission, needed: Permission): boolean {
  return Object.entries(grant.conditions ?? {}).every(([key, value]) => needed.conditions?.[key] === value);
}

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
export function iamMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return regex.test(value);
}

export function isAllowed(needed: Permission, allowed: readonly Permission[]): boolean {
  return allowed.some(
    (grant) =>
      iamMatches(grant.action, needed.action) &&
      iamMatches(grant.resource, needed.resource) &&
      conditionsAdmit(grant, needed),
  );
}

/** A grant is used when some needed permission falls under it (Lambda's `fn:*` version grant counts with `fn`). */
export function isUsed(grant: Permission, needed: readonly Permission[]): boolean {
  return needed.some(
    (need) =>
      iamMatches(grant.action, need.action) &&
      (iamMatches(grant.resource, need.resource) || grant.resource === `${need.resource}:*`) &&
      conditionsAdmit(grant, need),
  );
}

function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

/** The customer-managed key of every table encrypted with one, from the synthesized templates. */
export function tableKeysOf(model: AppModel): Map<string, string> {
  const keys = new Map<string, string>();
  for (const table of model.tables) {
    const resource = model.names.templateOf(table.stackName).Resources?.[table.logicalId] as CfnResource;
    const sse = resource.Properties?.SSESpecification as { KMSMasterKeyId?: unknown } | undefined;
    if (sse?.KMSMasterKeyId === undefined) continue;
    keys.set(table.arn, String(model.names.resolve(table.stackName, sse.KMSMasterKeyId, table.logicalId)));
  }
  return keys;
}
