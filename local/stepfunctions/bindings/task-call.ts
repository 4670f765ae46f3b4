/** What every resource binding receives and returns. */
import type { ContextObject } from '../context-object';
import type { ChildExecutionTrace } from '../trace';
import type { InvocationTelemetry } from './lambda-function';

export interface TaskCall {
  readonly stateName: string;
  readonly resource: string;
  /** The state's effective input after InputPath and Parameters, as the service would receive it. */
  readonly params: unknown;
  readonly context: ContextObject;
  /**
   * The Task's timeout, for bindings that wait (task tokens). Undefined with `TimeoutSecondsPath`, whose
   * value only the engine resolves: such a token then never expires in the registry.
   */
  readonly timeoutSeconds?: number;
  /**
   * Called by `.waitForTaskToken` and `.sync` bindings when the service call returned and the Task starts to
   * wait (AWS records a TaskSubmitted event with that result).
   */
  readonly onSubmitted?: (result: unknown) => void;
  /** Bindings that run a child execution report it here, so the trace shows it under this call. */
  readonly onChildExecution?: (child: ChildExecutionTrace) => void;
  /** Keeps what a Lambda invocation left behind (trace spans, EMF metrics) on this attempt's call record. */
  readonly recordTelemetry?: (telemetry: InvocationTelemetry) => void;
}

export type TaskImplementation = (call: TaskCall) => Promise<unknown>;
