import { ArnFormat, type CfnElement, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { InlineCode, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { AslStateMachine } from '../../lib/constructs/asl-state-machine';
import { AslDefinitionError } from '../../lib/errors';
import { nagFindings, scratchStack, tempFile } from '../helpers/cdk';

const DEFINITION = {
  Comment: 'Reads one circuit',
  StartAt: 'Read RDS API circuit',
  States: {
    'Read RDS API circuit': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, filled by Step Functions
      Parameters: { TableName: '${CircuitTableName}', Key: { circuit: { S: 'rds-api' } } },
      End: true,
    },
  },
};

function aslFile(definition: unknown = DEFINITION, name = 'read-circuit'): string {
  return tempFile(`${name}.asl.json`, JSON.stringify(definition, null, 2));
}

function build(overrides: { substitutions?: Record<string, string>; file?: string } = {}) {
  const stack = scratchStack();
  const table = new Table(stack, 'Circuits', { partitionKey: { name: 'circuit', type: AttributeType.STRING } });
  const machine = new AslStateMachine(stack, 'ReadCircuit', {
    name: 'read-circuit',
    definitionFile: overrides.file ?? aslFile(),
    substitutions: overrides.substitutions ?? { CircuitTableName: table.tableName },
  });
  return { stack, table, machine };
}

describe('AslStateMachine template', () => {
  it('inlines the definition with its substitutions instead of uploading an asset', () => {
    // Act
    const { stack } = build();

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: Match.stringLikeRegexp('\\$\\{CircuitTableName\\}'),
      DefinitionSubstitutions: { CircuitTableName: { Ref: Match.anyValue() } },
      DefinitionS3Location: Match.absent(),
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
  });

  it('logs to a vended-logs group with retention', () => {
    // Act
    const { stack } = build();

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/Scratch/read-circuit',
      RetentionInDays: 30,
    });
  });

  it('alarms on failed, timed-out, throttled and aborted executions, and on error and retry rates', () => {
    // Act
    const { stack, machine } = build();

    // Assess
    const template = Template.fromStack(stack);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled', 'ExecutionsAborted']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Statistic: 'Sum',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    }
    expect(Object.keys(machine.alarms).sort()).toEqual([
      'aborted',
      'errorRate',
      'failed',
      'retryRate',
      'throttled',
      'timedOut',
    ]);
  });

  it('builds Express machines when asked', () => {
    // Prepare
    const stack = scratchStack();

    // Act
    new AslStateMachine(stack, 'Fast', {
      name: 'read-circuit',
      definitionFile: aslFile(),
      substitutions: { CircuitTableName: 'circuits' },
      stateMachineType: StateMachineType.EXPRESS,
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
    });
  });
});

describe('AslStateMachine execution timeout', () => {
  it('writes the timeout into the definition as its top-level TimeoutSeconds (CDK drops it for string bodies)', () => {
    // Prepare
    const stack = scratchStack();

    // Act
    new AslStateMachine(stack, 'Bounded', {
      name: 'read-circuit',
      definitionFile: aslFile(),
      substitutions: { CircuitTableName: 'circuits' },
      timeout: Duration.minutes(2),
    });

    // Assess
    const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.parse(machine!.Properties.DefinitionString as string) as Record<string, unknown>;
    expect(definition.TimeoutSeconds).toBe(120);
    expect(definition.StartAt).toBe(DEFINITION.StartAt);
  });

  it('refuses a timeout when the file sets its own TimeoutSeconds', () => {
    const file = aslFile({ ...DEFINITION, TimeoutSeconds: 60 });
    const stack = scratchStack();

    expect(
      () =>
        new AslStateMachine(stack, 'Twice', {
          name: 'read-circuit',
          definitionFile: file,
          substitutions: { CircuitTableName: 'circuits' },
          timeout: Duration.minutes(2),
        }),
    ).toThrow(/sets TimeoutSeconds \(60\) and the construct a timeout \(120 s\); keep one of them/);
  });
});

describe('AslStateMachine placeholder checks', () => {
  it('fails synth when a placeholder has no value', () => {
    expect(() => build({ substitutions: {} })).toThrow(/no value for placeholder \$\{CircuitTableName\}/);
  });

  it('fails synth when a substitution matches no placeholder', () => {
    expect(() => build({ substitutions: { CircuitTableName: 't', AuditTableName: 'a' } })).toThrow(
      /substitution AuditTableName matches no placeholder/,
    );
  });

  it('rejects placeholders that are not PascalCase', () => {
    // Prepare
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, filled by Step Functions
    const file = aslFile({ ...DEFINITION, Comment: 'for ${circuit_table}' });

    // Act / Assess
    expect(() => build({ file })).toThrow(AslDefinitionError);
    expect(() => build({ file })).toThrow(/\$\{PascalCaseName\}; rename \$\{circuit_table\}/);
  });

  it('rejects JSONata and Variables, which the local engine would silently ignore', () => {
    // Prepare
    const state = DEFINITION.States['Read RDS API circuit'];
    const jsonata = aslFile({ ...DEFINITION, QueryLanguage: 'JSONata' });
    const assign = aslFile({ ...DEFINITION, States: { 'Read RDS API circuit': { ...state, Assign: { x: 1 } } } });

    // Act / Assess
    expect(() => build({ file: jsonata })).toThrow(/JSONPath only, remove definition: QueryLanguage JSONata/);
    expect(() => build({ file: assign })).toThrow(/"Read RDS API circuit": Assign \(Variables\)/);
  });

  it('requires the file to be named after the workflow', () => {
    expect(() => build({ file: aslFile(DEFINITION, 'other-name') })).toThrow(/must live in read-circuit\.asl\.json/);
  });
});

describe('AslStateMachine grants', () => {
  it('scopes table actions to the table and the named index, with the key actions a CMK needs', () => {
    // Prepare
    const stack = scratchStack();
    const key = new Key(stack, 'Key', { enableKeyRotation: true });
    const table = new Table(stack, 'Inventory', {
      partitionKey: { name: 'instanceId', type: AttributeType.STRING },
      encryptionKey: key,
    });
    const machine = new AslStateMachine(stack, 'M', {
      name: 'read-circuit',
      definitionFile: aslFile(),
      substitutions: { CircuitTableName: table.tableName },
    });

    // Act
    machine.allowTableActions(table, ['dynamodb:Query'], { indexes: ['byEngine'] });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:Query',
            Resource: [
              { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/index/byEngine']] },
            ],
          }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] }),
        ]),
      },
    });
    expect(() => machine.allowTableActions(table, ['dynamodb:*'])).toThrow(/no wildcards/);
  });

  it('grants invoke on the unqualified function ARN only', () => {
    // Prepare
    const { stack, machine } = build();
    const fn = new LambdaFunction(stack, 'Fn', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: new InlineCode('exports.handler = async () => ({})'),
    });

    // Act
    machine.allowFunctionInvoke(fn);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } }),
        ]),
      },
    });
  });

  it('demands a justification for wildcard service actions and acknowledges exactly those findings', () => {
    // Prepare
    const { stack, machine } = build();

    // Act / Assess: no reason, no grant
    expect(() => machine.allowServiceActions(['rds:DescribeDBInstances'], ['*'])).toThrow(
      /AwsSolutions-IAM5\[Resource::\*\] grant wildcards; pass a justification/,
    );

    // Act: with a reason
    machine.allowServiceActions(
      ['rds:DescribeDBInstances'],
      ['*'],
      'DescribeDBInstances lists the whole fleet; listing cannot be scoped to instances not yet known.',
    );

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'rds:DescribeDBInstances', Effect: 'Allow', Resource: '*' }] },
    });
    expect(nagFindings(machine)).toEqual([]);
  });

  it('adds scoped service actions to the role’s own policy, without any acknowledgement', () => {
    // Prepare
    const { stack, machine } = build();
    const orders = stack.formatArn({
      service: 'rds',
      resource: 'db',
      resourceName: 'orders',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // Act
    machine.allowServiceActions(['rds:StopDBInstance', 'rds:StartDBInstance'], [orders]);

    // Assess: one grant of exactly those actions on exactly that instance, in the role's default policy
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy');
    expect(Object.keys(policies)).toHaveLength(1);
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Resource: unknown;
    }[];
    const rds = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('rds:')));
    expect(rds).toEqual([
      {
        Effect: 'Allow',
        Action: ['rds:StopDBInstance', 'rds:StartDBInstance'],
        Resource: stack.resolve(orders),
      },
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(machine.role.node.defaultChild as CfnElement) }],
    });
    expect(nagFindings(machine)).toEqual([]);
  });
});

describe('AslStateMachine and cdk-nag', () => {
  it('passes AwsSolutions with its logging and tracing wildcards acknowledged', () => {
    // Act
    const { machine } = build();

    // Assess
    expect(nagFindings(machine)).toEqual([]);
  });
});
