import { parseDefinition } from '../../local/stepfunctions/definition';
import { DEFAULT_LOCAL_ENVIRONMENT } from '../../local/template/cfn-template';
import {
  allowedPermissions,
  isAllowed,
  isUsed,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  requiredPermissions,
} from '../helpers/asl-permissions';

const definition = parseDefinition({
  StartAt: 'Read circuit',
  States: {
    'Read circuit': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'circuits', Key: { circuit: { S: 'rds-api' } } },
      Next: 'List instances',
    },
    'List instances': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances', Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sfn:startSyncExecution',
      Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:breaker', Input: {} },
      Next: 'Count',
    },
    Count: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      Parameters: { Namespace: 'RdsOps/CircuitBreaker', MetricData: [] },
      End: true,
    },
  },
});

describe('IAM coverage check', () => {
  const needed = requiredPermissions(definition, DEFAULT_LOCAL_ENVIRONMENT);

  it('derives each Task’s action and target from the definition', () => {
    expect(needed).toEqual([
      {
        state: 'Read circuit',
        action: 'dynamodb:GetItem',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/circuits',
      },
      { state: 'List instances', action: 'rds:DescribeDBInstances', resource: '*' },
      {
        state: 'Ask',
        action: 'states:StartSyncExecution',
        resource: 'arn:aws:states:us-east-1:000000000000:stateMachine:breaker',
      },
      {
        state: 'Count',
        action: 'cloudwatch:PutMetricData',
        resource: '*',
        conditions: { 'cloudwatch:namespace': 'RdsOps/CircuitBreaker' },
      },
    ]);
  });

  it('holds a namespace-conditioned PutMetricData grant to its namespace', () => {
    const grant = (namespace: string) =>
      allowedPermissions([
        {
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': namespace } },
        },
      ]);
    const count = needed.find((permission) => permission.state === 'Count')!;

    expect(isAllowed(count, grant('RdsOps/CircuitBreaker'))).toBe(true);
    expect(isAllowed(count, grant('Other/Namespace'))).toBe(false);
    expect(isUsed(grant('Other/Namespace')[0]!, needed)).toBe(false);
  });

  it('finds a Task the role does not allow', () => {
    const allowed = allowedPermissions([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/other' },
      { Effect: 'Allow', Action: 'rds:DescribeDBInstances', Resource: '*' },
      { Effect: 'Allow', Action: 'states:StartSyncExecution', Resource: 'arn:aws:states:*:*:stateMachine:other' },
    ]);

    expect(needed.filter((permission) => !isAllowed(permission, allowed)).map((p) => p.state)).toEqual([
      'Read circuit',
      'Ask',
      'Count',
    ]);
  });

  it('finds a grant no Task uses', () => {
    const allowed = allowedPermissions([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
        Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/circuits',
      },
      { Effect: 'Allow', Action: 'rds:DescribeDBInstances', Resource: '*' },
    ]);

    expect(allowed.filter((grant) => !isUsed(grant, needed)).map((grant) => grant.action)).toEqual([
      'dynamodb:DeleteItem',
    ]);
  });
});

describe('IAM coverage check with a customer-managed table key', () => {
  const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table';
  const KEY = 'arn:aws:kms:us-east-1:000000000000:key/TableKey';
  const keyed = parseDefinition({
    StartAt: 'Read circuit',
    States: {
      'Read circuit': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: { TableName: 'circuits', Key: { circuit: { S: 'rds-api' } } },
        Next: 'Find by engine',
      },
      'Find by engine': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
        Parameters: { TableName: 'inventory', IndexName: 'byEngine', KeyConditionExpression: 'engine = :e' },
        Next: 'Record audit',
      },
      'Record audit': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: { TableName: 'audit', Item: {} },
        End: true,
      },
    },
  });
  const tableKeys = new Map([
    [`${TABLE}/circuits`, KEY],
    [`${TABLE}/inventory`, KEY],
  ]);

  it('needs the read actions of the key for reads (also through an index) and nothing for an AWS managed table', () => {
    // Act
    const needed = requiredPermissions(keyed, DEFAULT_LOCAL_ENVIRONMENT, tableKeys);

    // Assess
    const onKey = (state: string) => needed.filter((p) => p.state === state && p.resource === KEY).map((p) => p.action);
    expect(onKey('Read circuit')).toEqual(KMS_READ_ACTIONS);
    expect(onKey('Find by engine')).toEqual(KMS_READ_ACTIONS);
    expect(onKey('Record audit')).toEqual([]);
  });

  it('needs the write actions of the key for writes', () => {
    // Act
    const needed = requiredPermissions(keyed, DEFAULT_LOCAL_ENVIRONMENT, new Map([[`${TABLE}/audit`, KEY]]));

    // Assess
    expect(needed.filter((p) => p.resource === KEY).map((p) => p.action)).toEqual(KMS_WRITE_ACTIONS);
  });

  it('finds key grants beyond what the Tasks do, and a missing key grant', () => {
    // Prepare
    const needed = requiredPermissions(keyed, DEFAULT_LOCAL_ENVIRONMENT, tableKeys);
    const allowed = allowedPermissions([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `${TABLE}/circuits` },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE}/inventory/index/byEngine` },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: `${TABLE}/audit` },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:CreateGrant'], Resource: KEY },
    ]);

    // Act
    const unused = allowed.filter((grant) => !isUsed(grant, needed)).map((grant) => grant.action);
    const missing = needed.filter((permission) => !isAllowed(permission, allowed)).map((p) => p.action);

    // Assess
    expect(unused).toEqual(['kms:Encrypt', 'kms:CreateGrant']);
    expect([...new Set(missing)]).toEqual(['kms:DescribeKey']);
  });
});
