/**
 * The Powertools singletons every handler shares, created once per Lambda container, and the few metric and
 * trace helpers the wrappers and clients use. Configured only from the environment HandlerFunction sets
 * (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE, ...).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** Where handler metrics go unless POWERTOOLS_METRICS_NAMESPACE says otherwise (HandlerFunction sets it). */
export const DEFAULT_METRICS_NAMESPACE = 'RdsOps/Handlers';
/** One datapoint per typed error a handler ends with; dimensions `service` and `ErrorName`. */
export const HANDLER_ERROR_METRIC = 'HandlerErrors';
/** Retries the AWS SDK made inside a handler; dimensions `service` and `Dependency` (the SDK service id). */
export const SDK_RETRY_METRIC = 'SdkRetries';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'rds-ops';

export const logger = new Logger({ serviceName });
/** Disabled outside Lambda (no AWS_EXECUTION_ENV) or with POWERTOOLS_TRACE_ENABLED=false; every call is then a no-op. */
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
});

let firstInvocation = true;

/** True for the container's first invocation when Lambda started it on demand (as Powertools counts cold starts). */
function takeColdStart(): boolean {
  const coldStart = firstInvocation && process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
  firstInvocation = false;
  return coldStart;
}

/**
 * A logger for one invocation: a child of the singleton whose every line carries `keys` and the Lambda
 * context fields Powertools' `addContext` adds. A child holds its keys itself, so concurrent invocations in
 * one process never see each other's; cold start comes from the singleton, so it is true once per container.
 */
export function invocationLogger(keys: Readonly<Record<string, string>>, context?: Context): Logger {
  const coldStart = takeColdStart();
  const lambdaKeys = context
    ? {
        cold_start: coldStart,
        function_name: context.functionName,
        function_memory_size: context.memoryLimitInMB,
        function_arn: context.invokedFunctionArn,
        function_request_id: context.awsRequestId,
      }
    : {};
  return logger.createChild({ persistentKeys: { ...lambdaKeys, ...keys } });
}

/**
 * Emits one metric with its own dimensions at once. A single-metric instance holds no state between
 * invocations, so concurrent invocations in one container never mix their dimensions.
 */
export function emitCount(name: string, value: number, dimensions: Readonly<Record<string, string>>): void {
  if (value <= 0) return;
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}

/** What the trace of an invocation is searchable by (X-Ray annotations on the handler's subsegment). */
export interface TraceAnnotations {
  readonly correlationId?: string;
  /** The circuit protecting the dependency this invocation calls. */
  readonly circuit?: string;
  /** The DynamoDB table this invocation works on. */
  readonly table?: string;
}

export function annotateTrace(annotations: TraceAnnotations): void {
  if (!tracer.isTracingEnabled()) return;
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value === 'string' && value.length > 0) tracer.putAnnotation(key, value);
  }
}

/**
 * Runs `work` inside a `## <name>` subsegment of the invocation's trace, as Powertools' captureLambdaHandler
 * does: cold start and service annotations, the error as metadata, the subsegment closed before returning.
 */
export async function withHandlerSubsegment<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  const parent = tracer.getSegment();
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(`## ${name}`);
  tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    const result = await work();
    tracer.addResponseAsMetadata(result, name);
    return result;
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}
