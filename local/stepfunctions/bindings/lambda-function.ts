/**
 * Lambda tasks run the real handler module in-process, with a Lambda-like context and the environment the
 * Lambda runtime sets (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT, the X-Ray daemon address and a trace header per
 * invocation), so Powertools behaves as deployed: the Tracer sends its segments to the local X-Ray daemon
 * and the EMF lines Metrics prints are extracted by the CloudWatch stand-in. A thrown error surfaces as Step
 * Functions sees it: `Error` is the error's name (Lambda's `errorType`) and `Cause` is the JSON error object
 * Lambda returns.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../clock';
import type { CloudWatchStandIn, StoredDatapoint } from '../../services/cloudwatch';
import { newSegmentId, newTraceId, XRayDaemon, type XRaySpan } from '../../services/xray-daemon';
import { StatesRuntimeError, TaskFailedError } from '../errors';
import { runWithEnvironment } from './function-environment';
import { runWithOutputSink } from './function-output';
import type { TaskCall, TaskImplementation } from './task-call';

export interface LocalFunctionSpec {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  /** Absolute path of the handler module (TypeScript source). */
  readonly entry: string;
  /** Absolute path of the esbuild bundle Lambda would load instead of `entry` (`--bundled`). */
  readonly bundle?: string;
  readonly handlerExport: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Lambda runtime identifier, e.g. `nodejs22.x`. @default 'nodejs22.x' */
  readonly runtime?: string;
  /** The function's X-Ray tracing mode. @default 'Active' */
  readonly tracing?: 'Active' | 'PassThrough';
}

type Handler = (event: unknown, context: unknown) => unknown;

/** Where the telemetry of in-process handlers goes. */
export interface LambdaTelemetryOptions {
  /** Extracts the EMF metrics handlers print, as CloudWatch Logs does for the function's log group. */
  readonly cloudwatch?: Pick<CloudWatchStandIn, 'ingestEmf'>;
  /** Gives handlers an X-Ray trace header and daemon, and collects their segments. @default true */
  readonly tracing?: boolean;
}

/** The caller's X-Ray trace: Step Functions passes its trace header to the functions it invokes. */
export interface TraceContext {
  readonly traceId: string;
}

/** What one invocation left behind besides its result. */
export interface InvocationTelemetry {
  readonly requestId: string;
  /** The `_X_AMZN_TRACE_ID` the handler saw: `Root=<trace id>;Parent=<function segment id>;Sampled=1`. */
  readonly traceHeader?: string;
  /** The function segment (as Lambda records it) and every subsegment the handler sent to the X-Ray daemon. */
  readonly spans: readonly XRaySpan[];
  /** What CloudWatch extracted from the EMF lines the invocation printed. */
  readonly metrics: readonly StoredDatapoint[];
  /**
   * Another in-process invocation ran at the same time. Handlers share one X-Ray SDK (on Lambda each
   * invocation has its container), whose Lambda facade segment then switches between their trace headers:
   * `spans` may miss or mix subsegments. Metrics and logs are exact either way.
   */
  readonly overlapped: boolean;
}

export interface InvokeOptions {
  readonly trace?: TraceContext;
  /** Variables of this invocation only, over the function's (e.g. the endpoint a caller's SDK calls reach). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly onTelemetry?: (telemetry: InvocationTelemetry) => void;
}

export interface InvocationRecord {
  readonly functionName: string;
  readonly at: number;
  readonly outcome: 'succeeded' | 'failed';
  readonly requestId: string;
  readonly traceId?: string;
}

/** How long to wait (real time) for the handler's own subsegment after it returned: datagrams on loopback. */
const SPAN_ARRIVAL_TIMEOUT_MS = 250;
const PROJECT_ROOT = join(__dirname, '..', '..', '..');

export class LocalFunctions {
  private readonly byName = new Map<string, LocalFunctionSpec>();
  private readonly handlers = new Map<string, Handler>();
  readonly invocations: InvocationRecord[] = [];
  private running = 0;
  private startedCount = 0;

  constructor(
    functions: readonly LocalFunctionSpec[],
    private readonly clock: Clock,
    /** What Lambda's runtime adds to every function's environment (region, endpoints, credentials). */
    private readonly runtimeEnvironment: Readonly<Record<string, string>> = {},
    /** Local-only overrides applied over the function's own variables (e.g. a quieter log level). */
    private readonly overrideEnvironment: Readonly<Record<string, string>> = {},
    private readonly telemetry: LambdaTelemetryOptions = {},
  ) {
    for (const fn of functions) {
      this.byName.set(fn.functionName, fn);
      this.byName.set(fn.arn, fn);
      this.byName.set(fn.logicalId, fn);
    }
  }

  has(functionNameOrArn: string): boolean {
    return this.find(functionNameOrArn) !== undefined;
  }

  /** Accepts a name, `name:qualifier`, or a full or partial function ARN, as Lambda does. */
  find(functionRef: string): LocalFunctionSpec | undefined {
    return this.byName.get(functionRef) ?? this.byName.get(functionNameOf(functionRef));
  }

  async invoke(functionNameOrArn: string, event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const spec = this.find(functionNameOrArn);
    if (!spec) {
      throw new TaskFailedError('Lambda.ResourceNotFoundException', `Function not found: ${functionNameOrArn}`);
    }
    const context = lambdaContext(spec, this.clock);
    const daemon = this.tracingOn(spec) ? await XRayDaemon.shared() : undefined;
    const trace = daemon && {
      traceId: options.trace?.traceId ?? newTraceId(this.clock.now()),
      functionSegmentId: newSegmentId(),
      startTime: Date.now() / 1000,
    };
    const traceHeader = trace && `Root=${trace.traceId};Parent=${trace.functionSegmentId};Sampled=1`;
    const environment: Record<string, string> = {
      ...this.environmentOf(spec, daemon?.address),
      ...options.environment,
      ...(traceHeader && { _X_AMZN_TRACE_ID: traceHeader }),
    };
    const metrics: StoredDatapoint[] = [];
    const logGroup = `/aws/lambda/${spec.functionName}`;
    const routeLine = (line: string) => {
      const extracted = this.telemetry.cloudwatch?.ingestEmf(line, { logGroup });
      if (!extracted) return true;
      metrics.push(...extracted.datapoints);
      return false;
    };
    const handler = runWithEnvironment(environment, () => this.load(spec));
    let outcome: 'succeeded' | 'failed' = 'failed';
    const overlappedAtStart = this.running > 0;
    const startedBefore = ++this.startedCount;
    this.running += 1;
    try {
      const invocation = runWithOutputSink(routeLine, () =>
        runWithEnvironment(environment, () => Promise.resolve().then(() => handler(structuredClone(event), context))),
      );
      const result = await this.clock.track(invocation);
      outcome = 'succeeded';
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      throw asLambdaError(error);
    } finally {
      this.running -= 1;
      const overlapped = overlappedAtStart || this.startedCount !== startedBefore;
      this.invocations.push({
        functionName: spec.functionName,
        at: this.clock.now(),
        outcome,
        requestId: context.awsRequestId,
        ...(trace && { traceId: trace.traceId }),
      });
      const spans =
        daemon && trace
          ? await this.clock.track(collectSpans(daemon, spec, trace, { outcome, overlapped, environment }))
          : [];
      options.onTelemetry?.({
        requestId: context.awsRequestId,
        ...(traceHeader && { traceHeader }),
        spans,
        metrics,
        overlapped,
      });
    }
  }

  private tracingOn(spec: LocalFunctionSpec): boolean {
    return (this.telemetry.tracing ?? true) && (spec.tracing ?? 'Active') === 'Active';
  }

  private environmentOf(spec: LocalFunctionSpec, daemonAddress: string | undefined): Record<string, string> {
    return {
      ...this.runtimeEnvironment,
      AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime ?? 'nodejs22.x'}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
      // Where the deployed code lives: the bundle's directory, or the project the source is loaded from.
      LAMBDA_TASK_ROOT: spec.bundle ? join(spec.bundle, '..') : PROJECT_ROOT,
      _HANDLER: `index.${spec.handlerExport}`,
      ...(daemonAddress && { AWS_XRAY_DAEMON_ADDRESS: daemonAddress, AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR' }),
      ...spec.environment,
      ...this.overrideEnvironment,
    };
  }

  private load(spec: LocalFunctionSpec): Handler {
    const cached = this.handlers.get(spec.functionName);
    if (cached) return cached;
    // Sources are TypeScript (the CLI registers tsx, jest transforms them); a bundle is the JavaScript Lambda gets.
    const file = spec.bundle ?? spec.entry;
    let module: Record<string, unknown>;
    try {
      module = require(file) as Record<string, unknown>;
    } catch (error) {
      if (!spec.bundle) throw error;
      // What Lambda reports when the deployed code cannot be loaded (a module the bundle left out, a syntax error).
      throw new TaskFailedError(
        'Runtime.ImportModuleError',
        JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: (error as Error).message }),
      );
    }
    const handler = module[spec.handlerExport];
    if (typeof handler !== 'function') {
      throw new TaskFailedError(
        'Runtime.HandlerNotFound',
        `${file} does not export a function named "${spec.handlerExport}".`,
      );
    }
    this.handlers.set(spec.functionName, handler as Handler);
    return handler as Handler;
  }
}

/**
 * The function segment Lambda records around the handler (the handler's subsegments hang under it), once the
 * handler's own subsegment arrived at the daemon (within a millisecond on loopback; a handler that does
 * not use the Tracer costs the whole timeout). Subsegments come only from handlers that use the Tracer.
 */
async function collectSpans(
  daemon: XRayDaemon,
  spec: LocalFunctionSpec,
  trace: { readonly traceId: string; readonly functionSegmentId: string; readonly startTime: number },
  invocation: {
    readonly outcome: 'succeeded' | 'failed';
    readonly overlapped: boolean;
    readonly environment: Readonly<Record<string, string>>;
  },
): Promise<XRaySpan[]> {
  daemon.record([
    {
      traceId: trace.traceId,
      id: trace.functionSegmentId,
      name: spec.functionName,
      type: 'segment',
      origin: 'AWS::Lambda::Function',
      startTime: trace.startTime,
      endTime: Date.now() / 1000,
      error: false,
      fault: invocation.outcome === 'failed',
      throttle: false,
      annotations: {},
    },
  ]);
  // Waiting is pointless when the Tracer is off, or when an overlapping invocation may have sent the
  // handler's subsegment under its own trace header (see InvocationTelemetry.overlapped).
  if (!invocation.overlapped && invocation.environment.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false') {
    const isHandlerSubsegment = (span: XRaySpan) => span.parentId === trace.functionSegmentId;
    await daemon.waitForSpan(trace.traceId, isHandlerSubsegment, SPAN_ARRIVAL_TIMEOUT_MS);
  }
  return daemon.descendantsOf(trace.traceId, trace.functionSegmentId);
}

/** One X-Ray trace per execution, as Step Functions traces it, and the telemetry kept on the Task's call record. */
function invokeOptionsOf(call: TaskCall): InvokeOptions {
  const execution = call.context.Execution;
  return {
    trace: { traceId: newTraceId(Date.parse(execution.StartTime), execution.Id) },
    onTelemetry: (telemetry) => call.recordTelemetry?.(telemetry),
  };
}

/** `arn:aws:lambda:...:function:NAME` tasks: the input is the event, the handler's return is the result. */
export function lambdaFunctionTask(functions: LocalFunctions, functionName: string): TaskImplementation {
  return (call: TaskCall) => functions.invoke(functionName, call.params, invokeOptionsOf(call));
}

/** `arn:aws:states:::lambda:invoke`: `Payload` in, `{ Payload, StatusCode, ExecutedVersion }` out. */
export function lambdaInvokeTask(functions: LocalFunctions): TaskImplementation {
  return async (call: TaskCall) => {
    const params = (call.params ?? {}) as { FunctionName?: string; Payload?: unknown; Qualifier?: string };
    if (!params.FunctionName) {
      throw new StatesRuntimeError(`Task "${call.stateName}": lambda:invoke needs Parameters.FunctionName.`);
    }
    const payload = await functions.invoke(params.FunctionName, params.Payload ?? {}, invokeOptionsOf(call));
    return {
      ExecutedVersion: '$LATEST',
      Payload: payload,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: 200,
    };
  };
}

function lambdaContext(spec: LocalFunctionSpec, clock: Clock) {
  const deadline = clock.now() + spec.timeoutSeconds * 1000;
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.arn,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function asLambdaError(error: unknown): TaskFailedError {
  const thrown = error instanceof Error ? error : new Error(String(error));
  const errorType = thrown.name || 'Error';
  const cause = JSON.stringify({
    errorType,
    errorMessage: thrown.message,
    trace: (thrown.stack ?? '').split('\n'),
  });
  return new TaskFailedError(errorType, cause);
}

function functionNameOf(functionRef: string): string {
  const fromArn = /:function:([^:]+)/.exec(functionRef);
  return fromArn ? fromArn[1] : functionRef.split(':')[0];
}
