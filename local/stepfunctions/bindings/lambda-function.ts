/**
 * Lambda tasks run the real handler module in-process, with a Lambda-like context. A thrown error
 * surfaces as Step Functions sees it: `Error` is the error's name (Lambda's `errorType`) and `Cause`
 * is the JSON error object Lambda returns.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { StatesRuntimeError, TaskFailedError } from '../errors';
import { runWithEnvironment } from './function-environment';
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
}

type Handler = (event: unknown, context: unknown) => unknown;

export class LocalFunctions {
  private readonly byName = new Map<string, LocalFunctionSpec>();
  private readonly handlers = new Map<string, Handler>();
  readonly invocations: { functionName: string; at: number; outcome: 'succeeded' | 'failed' }[] = [];

  constructor(
    functions: readonly LocalFunctionSpec[],
    private readonly clock: Clock,
    /** What Lambda's runtime adds to every function's environment (region, endpoints, credentials). */
    private readonly runtimeEnvironment: Readonly<Record<string, string>> = {},
    /** Local-only overrides applied over the function's own variables (e.g. a quieter log level). */
    private readonly overrideEnvironment: Readonly<Record<string, string>> = {},
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

  async invoke(functionNameOrArn: string, event: unknown): Promise<unknown> {
    const spec = this.find(functionNameOrArn);
    if (!spec) {
      throw new TaskFailedError('Lambda.ResourceNotFoundException', `Function not found: ${functionNameOrArn}`);
    }
    const environment = this.environmentOf(spec);
    const handler = runWithEnvironment(environment, () => this.load(spec));
    const context = lambdaContext(spec, this.clock);
    try {
      const invocation = runWithEnvironment(environment, () =>
        Promise.resolve().then(() => handler(structuredClone(event), context)),
      );
      const result = await this.clock.track(invocation);
      this.invocations.push({ functionName: spec.functionName, at: this.clock.now(), outcome: 'succeeded' });
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      this.invocations.push({ functionName: spec.functionName, at: this.clock.now(), outcome: 'failed' });
      throw asLambdaError(error);
    }
  }

  private environmentOf(spec: LocalFunctionSpec): Record<string, string> {
    return {
      ...this.runtimeEnvironment,
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
      _HANDLER: `index.${spec.handlerExport}`,
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

/** `arn:aws:lambda:...:function:NAME` tasks: the input is the event, the handler's return is the result. */
export function lambdaFunctionTask(functions: LocalFunctions, functionName: string): TaskImplementation {
  return (call: TaskCall) => functions.invoke(functionName, call.params);
}

/** `arn:aws:states:::lambda:invoke`: `Payload` in, `{ Payload, StatusCode, ExecutedVersion }` out. */
export function lambdaInvokeTask(functions: LocalFunctions): TaskImplementation {
  return async (call: TaskCall) => {
    const params = (call.params ?? {}) as { FunctionName?: string; Payload?: unknown; Qualifier?: string };
    if (!params.FunctionName) {
      throw new StatesRuntimeError(`Task "${call.stateName}": lambda:invoke needs Parameters.FunctionName.`);
    }
    const payload = await functions.invoke(params.FunctionName, params.Payload ?? {});
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
