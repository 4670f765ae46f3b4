/**
 * The operations API on the synthesized template: IAM on every method, throttling and the usage plan from config,
 * access and execution logs, validation, gateway responses in the error shape, and each handler's least privilege.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { GATEWAY_RESPONSES } from '../../lib/api/gateway-responses';
import { CIRCUIT_ROUTES, READ_ROUTES, RECOVERY_ROUTES } from '../../lib/api/routes';
import { createApp } from '../../lib/app';
import { synthApp } from '../helpers/cdk';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
>;

const ROUTES = [...READ_ROUTES, ...CIRCUIT_ROUTES, ...RECOVERY_ROUTES];

function resourcesOf(template: Template, type: string) {
  return Object.values(template.toJSON().Resources as Resources).filter((resource) => resource.Type === type);
}

/** The policy statements attached to the role of the handler built from `entry` (`api/list-instances.ts`). */
function handlerStatements(template: Template, entry: string): Record<string, unknown>[] {
  const resources = template.toJSON().Resources as Resources;
  const fn = Object.values(resources).find(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['rds-ops:entry'] === `handlers/${entry}`,
  );
  if (!fn) throw new Error(`no function for ${entry}`);
  const roleId = ((fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] as string[])[0];
  return Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) => (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
}

/** The actions granted besides the logs and X-Ray every handler has. */
function routeActions(template: Template, entry: string): string[] {
  return handlerStatements(template, entry)
    .flatMap((statement) => [statement.Action].flat() as string[])
    .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))
    .sort();
}

/** The default stage, synthesized once for the two describes that read it. */
const DEFAULT_APP = synthApp();

describe('operations API, default config', () => {
  const { api, config } = DEFAULT_APP;

  it('has a method for every route, and requires IAM authorization on every method, ANY included', () => {
    const methods = resourcesOf(api, 'AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThan(ROUTES.length);
    for (const method of methods) expect(method.Properties).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    const verbs = methods.map((method) => method.Properties.HttpMethod);
    const count = (verb: string) => ROUTES.filter((route) => route.method === verb).length;
    expect(verbs.filter((verb) => verb === 'POST')).toHaveLength(count('POST'));
    expect(verbs.filter((verb) => verb === 'GET')).toHaveLength(count('GET'));
  });

  it('throttles the stage and, more strictly, each write method, with the same logging on both', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'api',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: config.api.throttling.rateLimit,
          ThrottlingBurstLimit: config.api.throttling.burstLimit,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
        Match.objectLike({
          HttpMethod: 'POST',
          ResourcePath: '/~1circuits~1{name}~1open',
          ThrottlingRateLimit: config.api.writeThrottling.rateLimit,
          ThrottlingBurstLimit: config.api.writeThrottling.burstLimit,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
    });
  });

  it('writes a JSON access log line with the request id, status and latency to its own log group', () => {
    const [stage] = resourcesOf(api, 'AWS::ApiGateway::Stage');
    const settings = stage!.Properties.AccessLogSetting as { DestinationArn: unknown; Format: string };
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      caller: '$context.identity.userArn',
    });
    expect(JSON.stringify(settings.DestinationArn)).toMatch(/:log-group:.*"Ref":"OperationsApiAccessLogs/);
    api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: config.logRetentionDays });
  });

  it('has a usage plan on the stage with the stage limits, and no API key unless configured', () => {
    api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: config.api.throttling.rateLimit, BurstLimit: config.api.throttling.burstLimit },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    api.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    for (const method of resourcesOf(api, 'AWS::ApiGateway::Method')) {
      expect(method.Properties.ApiKeyRequired).toBe(false);
    }
  });

  it('validates parameters before the handler: one validator, and the days /costs needs', () => {
    api.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    api.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestValidatorId: Match.anyValue(),
      RequestParameters: { 'method.request.querystring.from': true, 'method.request.querystring.to': true },
    });
  });

  it("answers API Gateway's own refusals in the error shape, unsigned requests as 401", () => {
    const responses = resourcesOf(api, 'AWS::ApiGateway::GatewayResponse');
    expect(responses.map((response) => response.Properties.ResponseType).sort()).toEqual(
      GATEWAY_RESPONSES.map((spec) => spec.type).sort(),
    );
    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '401',
      ResponseTemplates: {
        'application/json':
          '{"error":{"code":"UNAUTHORIZED","message":$context.error.messageString,"correlationId":"$context.requestId"}}',
      },
    });
  });

  it('sends every unknown path and method to the route-not-found handler through ANY methods and a catch-all', () => {
    const any = resourcesOf(api, 'AWS::ApiGateway::Method').filter((method) => method.Properties.HttpMethod === 'ANY');
    const resources = resourcesOf(api, 'AWS::ApiGateway::Resource');
    // Every resource and the root have one ANY method; {proxy+} is one of the resources.
    expect(any).toHaveLength(resources.length + 1);
    expect(resources.map((resource) => resource.Properties.PathPart)).toContain('{proxy+}');
  });

  it('joins the observability registry: a 5xx-rate alarm on its ApiName, and alarms on every handler', () => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'RdsOps-Dev-operations-api-ServerErrorRate',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Namespace: 'AWS/ApiGateway',
              MetricName: '5XXError',
              Dimensions: [{ Name: 'ApiName', Value: 'rds-ops-dev-operations' }],
            }),
          }),
        }),
      ]),
    });
    api.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'RdsOps-Dev-change-circuit-ErrorRate' });
  });

  it('has no resource policy and a regional endpoint unless configured', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      Policy: Match.absent(),
    });
  });

  describe('least privilege per handler', () => {
    it.each([
      ['api/list-instances.ts', ['dynamodb:Query', 'dynamodb:Scan']],
      ['api/get-instance.ts', ['dynamodb:GetItem']],
      ['api/list-alerts.ts', ['dynamodb:Query', 'dynamodb:Scan']],
      ['api/list-costs.ts', ['dynamodb:Query', 'dynamodb:Scan']],
      ['api/list-circuits.ts', ['dynamodb:Scan']],
      [
        'api/change-circuit.ts',
        ['dynamodb:GetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:PutItem', 'events:PutEvents'],
      ],
      ['api/get-execution.ts', ['states:DescribeExecution']],
      ['api/route-not-found.ts', []],
    ])('%s may do exactly %j', (entry, actions) => {
      expect(routeActions(api, entry)).toEqual(actions);
    });

    it('lets list-instances query only the byEngine index of the inventory', () => {
      const [statement] = handlerStatements(api, 'api/list-instances.ts').filter((s) =>
        [s.Action].flat().includes('dynamodb:Query'),
      );
      const resources = JSON.stringify(statement!.Resource);
      expect(resources).toContain('/index/byEngine');
      expect(resources).not.toContain('index/*');
    });

    it('lets change-circuit publish only on the default bus, and write only the circuit and audit tables', () => {
      const statements = handlerStatements(api, 'api/change-circuit.ts');
      const events = statements.find((s) => s.Action === 'events:PutEvents')!;
      expect(JSON.stringify(events.Resource)).toContain(':event-bus/default');
      const written = statements
        .filter((s) => [s.Action].flat().includes('dynamodb:PutItem'))
        .map((s) => JSON.stringify(s.Resource));
      expect(written).toEqual([
        expect.stringMatching(/ExportsOutputFnGetAttCircuitBreakersTable\w+Arn/),
        expect.stringMatching(/ExportsOutputFnGetAttAuditLogTable\w+Arn/),
      ]);
    });

    it('lets get-execution describe only executions of the workflows it is given', () => {
      const statement = handlerStatements(api, 'api/get-execution.ts').find(
        (s) => s.Action === 'states:DescribeExecution',
      );
      expect(JSON.stringify(statement!.Resource)).toMatch(/execution:.*InventoryRefreshStateMachine.*Name.*:\*/);
    });
  });
});

describe('operations API, every option configured', () => {
  const context = {
    api: {
      throttling: { rateLimit: 100, burstLimit: 200 },
      usagePlan: { requireApiKey: true, quota: { limit: 100000, period: 'MONTH' } },
      resourcePolicy: {
        allowedPrincipals: ['arn:aws:iam::123456789012:role/dashboard', '210987654321'],
        sourceVpcEndpoints: ['vpce-0123456789abcdef0'],
      },
      accountLoggingRole: false,
    },
  };

  const { api } = synthApp(context);

  it('synthesizes with cdk-nag on, every finding acknowledged with a reason', () => {
    const { app } = createApp({ context, skipBundling: true, nag: true });

    // A finding without an acknowledgement fails synth and names itself (see test/lib/nag.test.ts).
    expect(() => app.synth()).not.toThrow();
  });

  it('is PRIVATE, allows only the listed principals and denies everyone else and other network paths', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'] },
      Policy: {
        Statement: [
          Match.objectLike({ Sid: 'AllowListedPrincipals', Effect: 'Allow', Action: 'execute-api:Invoke' }),
          Match.objectLike({
            Sid: 'DenyEveryoneElse',
            Effect: 'Deny',
            Condition: {
              StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/dashboard'] },
              StringNotEquals: { 'aws:PrincipalAccount': ['210987654321'] },
            },
          }),
          Match.objectLike({
            Sid: 'DenyOutsideTheVpcEndpoints',
            Effect: 'Deny',
            Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
          }),
        ],
      },
    });
  });

  it('requires an API key of the usage plan on every method, with the quota, and creates the dashboard key', () => {
    for (const method of resourcesOf(api, 'AWS::ApiGateway::Method')) {
      expect(method.Properties.ApiKeyRequired).toBe(true);
    }
    api.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Quota: { Limit: 100000, Period: 'MONTH' },
      Throttle: { RateLimit: 100, BurstLimit: 200 },
    });
    api.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    api.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('operations API with the restore workflow', () => {
  // The app gives the API its restore-table machine: the restore and approval routes are part of every stage.
  const { api, apiStack: stack } = DEFAULT_APP;

  it('adds the restore and approval routes, with IAM authorization', () => {
    for (const route of RECOVERY_ROUTES) {
      expect(stack.operationsApi.routes).toContainEqual(route);
    }
    api.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'AWS_IAM' });
  });

  it.each([
    ['api/list-restores.ts', ['states:ListExecutions']],
    ['api/start-restore.ts', ['states:DescribeExecution', 'states:StartExecution']],
    [
      'api/decide-approval.ts',
      [
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'states:SendTaskFailure',
        'states:SendTaskSuccess',
      ],
    ],
  ])('%s may do exactly %j', (entry, actions) => {
    expect(routeActions(api, entry)).toEqual(actions);
  });

  it('lets POST /restores start only restore-table, and approvals send task results only with the token', () => {
    const start = handlerStatements(api, 'api/start-restore.ts').find((s) => s.Action === 'states:StartExecution')!;
    expect(JSON.stringify(start.Resource)).toMatch(/RestoreTableStateMachine/);
    const callbacks = handlerStatements(api, 'api/decide-approval.ts').find((s) =>
      [s.Action].flat().includes('states:SendTaskSuccess'),
    )!;
    expect(callbacks.Resource).toBe('*');
  });

  it('describes restore and cutover executions too', () => {
    const describe = handlerStatements(api, 'api/get-execution.ts').find(
      (s) => s.Action === 'states:DescribeExecution',
    )!;
    expect(JSON.stringify(describe.Resource)).toMatch(/RestoreTableStateMachine/);
    expect(JSON.stringify(describe.Resource)).toMatch(/CutoverTableStateMachine/);
  });
});
