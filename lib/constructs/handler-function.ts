/**
 * A Lambda handler from `handlers/` with the project's defaults set once: Node.js 22 on arm64, active X-Ray
 * tracing (the role may put trace segments), source maps, its own log group with retention, Powertools
 * settings (service, log level, metrics namespace), local esbuild (never Docker),
 * and `bindTable`, which grants access and sets the table-name variable in one call.
 */
import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import { type CfnResource, Duration, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InvalidConstructPropsError } from '../errors';
import { type HandlerAlarms, watchHandler } from '../observability/handler-observability';
import { type AnyTable, TABLE_ACCESS_ACTIONS, type TableAccess, tableStatements } from './table-grants';

const PROJECT_ROOT = join(__dirname, '..', '..');
/** Where handler entries live; `entry` paths are relative to it. */
export const HANDLERS_DIR = join(PROJECT_ROOT, 'handlers');
/** Template metadata naming the handler source, read by the local runtime (`local/template/app-model.ts`). */
export const HANDLER_ENTRY_METADATA = 'rds-ops:entry';
export const HANDLER_EXPORT_METADATA = 'rds-ops:handler';

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * Where handlers publish their metrics (EMF lines in their log group: no cloudwatch:PutMetricData grant is
 * needed). The same default as `handlers/shared/powertools.ts`, which `lib/` may not import.
 */
export const HANDLER_METRICS_NAMESPACE = 'RdsOps/Handlers';

export interface HandlerFunctionProps {
  /** Entry file relative to `handlers/` (e.g. `inventory/refresh-inventory.ts`), or an absolute path. */
  readonly entry: string;
  /** @default 'handler' */
  readonly handler?: string;
  /** Shown as `service` in every log line and trace. @default 'rds-ops' */
  readonly serviceName?: string;
  /** @default 'INFO' */
  readonly logLevel?: PowertoolsLogLevel;
  /** CloudWatch namespace of the handler's EMF metrics. @default HANDLER_METRICS_NAMESPACE */
  readonly metricsNamespace?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Extra environment variables (table names come from `bindTable`). @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Kebab-case name in alarm names and dashboard widgets, unique in the app.
   * @default the entry file's name (`reconcile-inventory`), plus `-<handler>` for an export other than `handler`
   */
  readonly name?: string;
}

export interface BindTableOptions {
  readonly table: AnyTable;
  /** Environment variable that receives the table name, e.g. `INVENTORY_TABLE_NAME`. */
  readonly envVar: string;
  readonly access: TableAccess;
  /** GSIs the handler queries. @default - none */
  readonly indexes?: readonly string[];
}

export class HandlerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Error-rate and throttle alarms (see lib/observability/alarm-kinds.ts). */
  readonly alarms: HandlerAlarms;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const entry = isAbsolute(props.entry) ? props.entry : join(HANDLERS_DIR, props.entry);
    if (!existsSync(entry)) {
      throw new InvalidConstructPropsError(`${this.node.path}: handler entry ${entry} does not exist.`);
    }

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    // An own role instead of AWSLambdaBasicExecutionRole: logs may go to this log group only.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: props.handler ?? 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'rds-ops',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? HANDLER_METRICS_NAMESPACE,
        // Handler results (inventory pages, API bodies) stay out of trace metadata: segments are capped at 64 KB.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        // AWS calls are traced per SDK client (clients.ts); patching http/https too would trace each call twice.
        POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // The Lambda Node.js 22 runtime ships AWS SDK v3; bundling it would only grow cold starts.
        externalModules: ['@aws-sdk/*'],
      },
    });

    // The local runtime runs the handler source in-process; this tells it which file and export.
    const cfnFunction = this.function.node.defaultChild as CfnResource;
    cfnFunction.addMetadata(HANDLER_ENTRY_METADATA, relative(PROJECT_ROOT, entry));
    cfnFunction.addMetadata(HANDLER_EXPORT_METADATA, props.handler ?? 'handler');

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
    // Joins the stage's observability registry: alarms here, widgets and the composite alarm from the list.
    this.alarms = watchHandler(this, {
      name: props.name ?? handlerName(entry, props.handler),
      function: this.function,
    });

    if (Runtime.NODEJS_22_X.name !== latestNodeRuntime()) {
      Validations.of(this.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to Node.js 22 on purpose: handlers, tests and the local runtime are built and verified for ' +
          'Node 22; moving to a newer runtime is a deliberate, tested change of this construct.',
      });
    }
  }

  /** Grants the access level on the table (and named indexes) and sets `envVar` to its name. */
  bindTable(options: BindTableOptions): this {
    if (!/^[A-Z][A-Z0-9_]*$/.test(options.envVar)) {
      throw new InvalidConstructPropsError(
        `${this.node.path}: envVar must be UPPER_SNAKE_CASE, got "${options.envVar}".`,
      );
    }
    const actions = TABLE_ACCESS_ACTIONS[options.access];
    for (const statement of tableStatements(options.table, actions, { indexes: options.indexes ?? [] })) {
      this.role.addToPrincipalPolicy(statement);
    }
    this.function.addEnvironment(options.envVar, options.table.tableName);
    return this;
  }
}

function handlerName(entry: string, handler = 'handler'): string {
  const file = basename(entry, extname(entry));
  const kebab = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return handler === 'handler' ? kebab(file) : `${kebab(file)}-${kebab(handler)}`;
}

/** cdk-nag's AwsSolutions-L1 compares against the newest Node.js runtime this aws-cdk-lib knows. */
function latestNodeRuntime(): string | undefined {
  return Runtime.ALL.map((runtime) => runtime.name)
    .filter((name) => /^nodejs\d+\.x$/.test(name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .pop();
}
