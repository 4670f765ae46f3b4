/**
 * The operations API (the dashboard's backend): an API Gateway REST API with IAM authorization on every method,
 * one Lambda handler per route behind the HTTP wrapper, each with exactly the permissions its route needs.
 * Request validation of required parameters, stage and per-method throttling, a usage plan, JSON access logs,
 * execution logs at ERROR, X-Ray tracing, gateway responses in the API's error shape, an optional resource
 * policy. Unknown paths and methods reach a small handler that answers 404 / 405 (see routes.ts, docs/api.md).
 */
import { ArnFormat, CfnOutput, Duration, Fn, Names, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type IResource,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  Period,
  RequestValidator,
  ResponseType,
  RestApi,
  type Stage,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { withoutPolicy } from '../circuit-breaker/settings';
import type { OpsConfig, TableId } from '../config';
import { HandlerFunction } from '../constructs/handler-function';
import { tableStatements } from '../constructs/table-grants';
import { wildcardFindingIds } from '../nag/iam-findings';
import { watchRestApi } from '../observability/api-observability';
import { accessLogFormat } from './access-log-format';
import { GATEWAY_RESPONSES, gatewayResponseTemplate } from './gateway-responses';
import { apiResourcePolicy } from './resource-policy';
import {
  API_STAGE_NAME,
  type ApiHandlerId,
  type ApiRoute,
  CIRCUIT_ROUTES,
  READ_ROUTES,
  RECOVERY_ROUTES,
  routeTable,
} from './routes';

export const OPERATIONS_API_SERVICE = 'operations-api';

export interface OperationsApiProps {
  readonly config: OpsConfig;
  readonly tables: Readonly<Record<TableId, ITable>>;
  /** Where manual circuit changes are announced (the default bus, as the breaker announces). */
  readonly eventBus: IEventBus;
  /** State machines whose executions `GET /executions/{arn}` may describe. */
  readonly describableStateMachines: readonly StateMachine[];
  readonly logRetention: RetentionDays;
  /** @default - no alarm action */
  readonly alarmAction?: IAlarmAction;
  /**
   * The restore workflow: with it, `GET/POST /restores` and `POST /approvals/{id}/approve|reject` exist.
   * @default - no restore routes (the app has no restore-table machine)
   */
  readonly recovery?: RecoveryResources;
}

export interface RecoveryResources {
  /** `restore-table`: the only machine `POST /restores` may start. */
  readonly restoreTable: StateMachine;
}

/** A Lambda's time budget: well inside API Gateway's 29 s integration timeout, so the caller gets our answer. */
const HANDLER_TIMEOUT = Duration.seconds(20);

export class OperationsApi extends Construct {
  readonly restApi: RestApi;
  readonly stage: Stage;
  /** The `ApiName` dimension of the API's CloudWatch metrics. */
  readonly apiName: string;
  readonly accessLogs: LogGroup;
  readonly usagePlan: UsagePlan;
  /** The 5xx-rate alarm (the observability registry lists the API for the dashboard and the composite alarm). */
  readonly alarms: ReturnType<typeof watchRestApi>;
  readonly routes: readonly ApiRoute[];
  /** The route handlers by id, and `routeNotFound`. */
  readonly handlers: Readonly<Partial<Record<ApiHandlerId | 'routeNotFound', HandlerFunction>>>;

  private readonly props: OperationsApiProps;
  private readonly validator: RequestValidator;
  private readonly functions: Partial<Record<ApiHandlerId | 'routeNotFound', HandlerFunction>> = {};

  constructor(scope: Construct, id: string, props: OperationsApiProps) {
    super(scope, id);
    this.props = props;
    const { config } = props;
    this.routes = [...READ_ROUTES, ...CIRCUIT_ROUTES, ...(props.recovery ? RECOVERY_ROUTES : [])];
    this.apiName = `rds-ops-${config.stage}-operations`;
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const privateApi = (config.api.resourcePolicy?.sourceVpcEndpoints.length ?? 0) > 0;
    const policy = apiResourcePolicy(config.api.resourcePolicy);

    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: this.apiName,
      description: `RDS ops (${config.stage}): operations API for the dashboard (IAM authorization)`,
      endpointTypes: [privateApi ? EndpointType.PRIVATE : EndpointType.REGIONAL],
      ...(policy && { policy }),
      cloudWatchRole: config.api.accountLoggingRole,
      defaultMethodOptions: {
        authorizationType: AuthorizationType.IAM,
        apiKeyRequired: config.api.usagePlan.requireApiKey,
      },
      deployOptions: {
        stageName: API_STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(accessLogFormat()),
        ...this.methodDefaults(config.api.throttling),
        methodOptions: Object.fromEntries(
          this.routes
            .filter((route) => route.writes)
            .map((route) => [`${route.path}/${route.method}`, this.methodDefaults(config.api.writeThrottling)]),
        ),
      },
    });
    this.stage = this.restApi.deploymentStage;
    this.validator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.restApi,
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    for (const spec of GATEWAY_RESPONSES) {
      this.restApi.addGatewayResponse(`GatewayResponse${spec.type}`, {
        type: ResponseType.of(spec.type),
        ...(spec.statusCode && { statusCode: spec.statusCode }),
        templates: { 'application/json': gatewayResponseTemplate(spec) },
      });
    }

    for (const route of this.routes) this.addRoute(route);
    this.answerUnknownRoutes();

    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      name: `${this.apiName}-plan`,
      description: 'Limits per API key; the stage limits apply to every caller.',
      throttle: { rateLimit: config.api.throttling.rateLimit, burstLimit: config.api.throttling.burstLimit },
      ...(config.api.usagePlan.quota && {
        quota: { limit: config.api.usagePlan.quota.limit, period: Period[config.api.usagePlan.quota.period] },
      }),
      apiStages: [{ api: this.restApi, stage: this.stage }],
    });
    if (config.api.usagePlan.requireApiKey) {
      this.usagePlan.addApiKey(this.restApi.addApiKey('DashboardKey', { description: 'The dashboard backend' }));
    }
    this.handlers = this.functions;
    this.alarms = watchRestApi(this, { name: OPERATIONS_API_SERVICE, apiName: this.apiName }, props.alarmAction);
    this.acknowledgeFindings();
  }

  /** Settings of the stage and of each write method: the limits, and the same logging everywhere. */
  private methodDefaults(throttle: { rateLimit: number; burstLimit: number }): MethodDeploymentOptions {
    return {
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
      loggingLevel: MethodLoggingLevel.ERROR,
      // Request and response bodies never go to the execution log.
      dataTraceEnabled: false,
      metricsEnabled: false,
      tracingEnabled: true,
    } as MethodDeploymentOptions;
  }

  private addRoute(route: ApiRoute): void {
    const resource = this.restApi.root.resourceForPath(route.path);
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    resource.addMethod(
      route.method,
      new LambdaIntegration(this.handler(route.handler).function, { allowTestInvoke: false }),
      {
        requestValidator: this.validator,
        requestParameters: Object.fromEntries([
          ...pathParameters.map((name) => [`method.request.path.${name}`, true]),
          ...(route.requiredQuery ?? []).map((name) => [`method.request.querystring.${name}`, true]),
        ]),
      },
    );
  }

  /** `ANY` on every resource (405 for another method, 404 where no route is) and a `/{proxy+}` catch-all (404). */
  private answerUnknownRoutes(): void {
    const notFound = new HandlerFunction(this, 'RouteNotFound', {
      entry: 'api/route-not-found.ts',
      serviceName: OPERATIONS_API_SERVICE,
      logRetention: this.props.logRetention,
      timeout: HANDLER_TIMEOUT,
      environment: { ROUTES: JSON.stringify(routeTable(this.routes)) },
    });
    this.functions.routeNotFound = notFound;
    // One permission for every method of the API: the function reads nothing and changes nothing.
    const integration = new LambdaIntegration(notFound.function, { scopePermissionToMethod: false });
    const resources: IResource[] = [this.restApi.root];
    const visit = (resource: IResource) => {
      for (const child of resource.node.children) {
        if ('addMethod' in child && 'path' in child) {
          resources.push(child as IResource);
          visit(child as IResource);
        }
      }
    };
    visit(this.restApi.root);
    for (const resource of resources) resource.addMethod('ANY', integration);
    this.restApi.root.addResource('{proxy+}').addMethod('ANY', integration);
  }

  private handler(id: ApiHandlerId): HandlerFunction {
    const existing = this.functions[id];
    if (existing) return existing;
    const created = new HandlerFunction(this, id[0]!.toUpperCase() + id.slice(1), {
      entry: `api/${kebabCase(id)}.ts`,
      serviceName: OPERATIONS_API_SERVICE,
      logRetention: this.props.logRetention,
      timeout: HANDLER_TIMEOUT,
    });
    this.grant(id, created);
    this.functions[id] = created;
    return created;
  }

  /** Exactly what each route does: the table actions and indexes it uses, and the AWS calls it makes. */
  private grant(id: ApiHandlerId, handler: HandlerFunction): void {
    const { tables, config } = this.props;
    const table = (tableId: TableId, envVar: string, actions: string[], indexes: string[] = []) => {
      for (const statement of tableStatements(tables[tableId], actions, { indexes })) {
        handler.role.addToPrincipalPolicy(statement);
      }
      handler.function.addEnvironment(envVar, tables[tableId].tableName);
    };
    const circuits = JSON.stringify(
      Object.fromEntries(Object.entries(config.circuits).map(([name, settings]) => [name, withoutPolicy(settings)])),
    );
    switch (id) {
      case 'listInstances':
        table('rdsInventory', 'INVENTORY_TABLE_NAME', ['dynamodb:Scan', 'dynamodb:Query'], ['byEngine']);
        return;
      case 'getInstance':
        table('rdsInventory', 'INVENTORY_TABLE_NAME', ['dynamodb:GetItem']);
        return;
      case 'listAlerts':
        table('healthAlerts', 'ALERTS_TABLE_NAME', ['dynamodb:Scan', 'dynamodb:Query'], ['byInstance']);
        return;
      case 'listCosts':
        table('costSnapshots', 'COSTS_TABLE_NAME', ['dynamodb:Scan', 'dynamodb:Query']);
        return;
      case 'listCircuits':
        table('circuitBreakers', 'CIRCUIT_TABLE_NAME', ['dynamodb:Scan']);
        handler.function.addEnvironment('CIRCUITS', circuits);
        return;
      case 'changeCircuit':
        // The read and the compare-and-set Put (inside TransactWriteItems) of the circuit, the Put of its audit entry.
        table('circuitBreakers', 'CIRCUIT_TABLE_NAME', ['dynamodb:GetItem', 'dynamodb:PutItem']);
        table('auditLog', 'AUDIT_TABLE_NAME', ['dynamodb:PutItem']);
        // The cutover's write holds (503 MaintenanceError while audit-log is cut over).
        table('coordination', 'COORDINATION_TABLE_NAME', ['dynamodb:GetItem']);
        handler.function.addEnvironment('CIRCUITS', circuits);
        handler.function.addEnvironment('EVENT_BUS_NAME', this.props.eventBus.eventBusName);
        handler.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.props.eventBus.eventBusArn] }),
        );
        return;
      case 'getExecution': {
        const machines = [
          ...new Set([
            ...this.props.describableStateMachines,
            ...(this.props.recovery ? [this.props.recovery.restoreTable] : []),
          ]),
        ];
        this.grantOnPattern(
          handler,
          ['states:DescribeExecution'],
          machines.map((machine) => executionsArnOf(this, machine)),
          'Execution ARNs exist only at run time: the grant names each state machine whose executions the route ' +
            'may describe (execution:<machine name>:*), and the handler refuses ARNs of any other machine first.',
        );
        handler.function.addEnvironment(
          'DESCRIBABLE_STATE_MACHINE_ARNS',
          Stack.of(this).toJsonString(machines.map((machine) => machine.stateMachineArn)),
        );
        return;
      }
      case 'listRestores':
        handler.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['states:ListExecutions'], resources: [this.restoreTable().stateMachineArn] }),
        );
        handler.function.addEnvironment('RESTORE_STATE_MACHINE_ARN', this.restoreTable().stateMachineArn);
        return;
      case 'startRestore':
        handler.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.restoreTable().stateMachineArn] }),
        );
        this.grantOnPattern(
          handler,
          ['states:DescribeExecution'],
          [executionsArnOf(this, this.restoreTable())],
          'A retried start (same Idempotency-Key) reads the restore it names to tell a retry from a conflict; ' +
            'execution ARNs exist only at run time, so the grant names the restore-table executions by pattern.',
        );
        handler.function.addEnvironment('RESTORE_STATE_MACHINE_ARN', this.restoreTable().stateMachineArn);
        return;
      case 'decideApproval':
        // The read, the conditional decision (inside TransactWriteItems) and the EXPIRED / PENDING bookkeeping.
        table('rdsApprovals', 'APPROVALS_TABLE_NAME', ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
        table('auditLog', 'AUDIT_TABLE_NAME', ['dynamodb:PutItem']);
        table('coordination', 'COORDINATION_TABLE_NAME', ['dynamodb:GetItem']);
        this.grantOnPattern(
          handler,
          ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          ['*'],
          'SendTaskSuccess and SendTaskFailure take a task token, not a resource: IAM offers no resource type for ' +
            'them. The handler sends only the token stored with a PENDING request of rds-approvals, after its ' +
            'conditional decision.',
        );
        return;
      default:
        throw new Error(`No grants defined for the ${id} handler.`);
    }
  }

  private restoreTable(): StateMachine {
    if (!this.props.recovery) throw new Error('The restore routes need OperationsApiProps.recovery.');
    return this.props.recovery.restoreTable;
  }

  /** A grant whose resources hold a wildcard, on its own policy with the exact cdk-nag acknowledgement. */
  private grantOnPattern(handler: HandlerFunction, actions: string[], resources: string[], reason: string): void {
    const id = `Wildcard${actions[0]!.split(':')[1]}Policy`;
    const policy = new Policy(handler, id, { statements: [new PolicyStatement({ actions, resources })] });
    policy.attachToRole(handler.role);
    for (const finding of wildcardFindingIds(policy, actions, resources)) {
      Validations.of(policy).acknowledge({ id: finding, reason });
    }
  }

  private acknowledgeFindings(): void {
    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-COG4',
        reason:
          'IAM authorization (SigV4) instead of a Cognito user pool: the callers are the dashboard backend and ' +
          'operators, all IAM principals of this account; their roles, the audit actor, and the resource policy ' +
          'option all speak IAM. A user pool would be a second identity store for the same people.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'No WAF web ACL: every request must carry a valid SigV4 signature of an allowed IAM principal before ' +
          'any handler runs, and the stage and usage plan throttle callers. Associate a web ACL with the stage if ' +
          'the API is ever exposed to callers outside the account.',
      },
    );
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "The account-wide role API Gateway uses for execution logs of every REST API in the region: AWS's " +
          'managed policy is the documented one and follows the log-group names API Gateway chooses.',
      });
    }
  }
}

/** `arn:...:states:region:account:execution:<machine name>:*` for a machine whose name CloudFormation generates. */
function executionsArnOf(scope: Construct, machine: StateMachine): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${machineName(scope, machine)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The machine's name as `scope`'s stack sees it. Across stacks, an explicit export and `Fn::ImportValue`: the
 * reference is then already in its final form when the cdk-nag acknowledgement of the grant is computed (an
 * implicit cross-stack reference becomes an import only at synth, so its finding id would not match).
 */
function machineName(scope: Construct, machine: StateMachine): string {
  const producer = Stack.of(machine);
  const consumer = Stack.of(scope);
  if (producer === consumer) return machine.stateMachineName;
  const id = `${Names.nodeUniqueId(machine.node)}Name`;
  const exportName = `${producer.stackName}-${id}`;
  if (!producer.node.tryFindChild(id)) new CfnOutput(producer, id, { value: machine.stateMachineName, exportName });
  consumer.addStackDependency(producer);
  return Fn.importValue(exportName);
}

function kebabCase(id: string): string {
  return id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
