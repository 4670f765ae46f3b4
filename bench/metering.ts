/**
 * Billable units read from what the local runtime recorded: a Standard execution's trace (states entered
 * and retries are its transitions), the child executions its Tasks waited for (Express requests), Lambda
 * invocations at any depth, and DynamoDB request units as the local DynamoDB publishes them
 * (AWS/DynamoDB Consumed*CapacityUnits), which also sees the calls a Lambda handler makes itself.
 */
import type { LocalRuntime } from '../local/runtime';
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import type { TaskCallRecord, TraceEvent } from '../local/stepfunctions/trace';

/** Transitions AWS bills a Standard execution: every state entered, every retry. */
export function billedTransitions(trace: readonly TraceEvent[]): number {
  return trace.filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length;
}

/** Every Task call of an execution, and of the child executions its Tasks waited for, at any depth. */
export function allCalls(trace: readonly TraceEvent[]): TaskCallRecord[] {
  const calls: TaskCallRecord[] = [];
  for (const event of trace) {
    if ((event.type !== 'StateExited' && event.type !== 'StateFailed') || !event.call) continue;
    calls.push(event.call);
    for (const child of event.call.childExecutions ?? []) calls.push(...allCalls(child.trace));
  }
  return calls;
}

export function expressRequests(run: ExecutionRecord): number {
  return allCalls(run.trace).reduce((total, call) => total + (call.childExecutions?.length ?? 0), 0);
}

export function lambdaInvocations(run: ExecutionRecord): number {
  return allCalls(run.trace).filter((call) => call.resource.includes(':lambda:')).length;
}

/** The attempts of one action that reached the dependency (injected failures included), with their clock times. */
export function dependencyCalls(run: ExecutionRecord, action: string): TaskCallRecord[] {
  return run.calls.filter((call) => call.resource.endsWith(action));
}

export interface DynamoDbUsage {
  readonly reads: number;
  readonly writes: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

/** Counts DynamoDB requests and units of one table from the moment it is created. */
export class DynamoDbMeter {
  private start: DynamoDbUsage;

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly tableName: string,
  ) {
    this.start = this.total();
  }

  /** Usage since the meter was created or last reset, and resets it. */
  take(): DynamoDbUsage {
    const now = this.total();
    const usage = {
      reads: now.reads - this.start.reads,
      writes: now.writes - this.start.writes,
      readUnits: now.readUnits - this.start.readUnits,
      writeUnits: now.writeUnits - this.start.writeUnits,
    };
    this.start = now;
    return usage;
  }

  private total(): DynamoDbUsage {
    let reads = 0;
    let writes = 0;
    let readUnits = 0;
    let writeUnits = 0;
    for (const datapoint of this.runtime.services.cloudwatch.serviceDatapoints) {
      if (!datapoint.dimensions.some((d) => d.Name === 'TableName' && d.Value === this.tableName)) continue;
      if (datapoint.metricName === 'ConsumedReadCapacityUnits') {
        reads += datapoint.sampleCount;
        readUnits += datapoint.sum;
      } else if (datapoint.metricName === 'ConsumedWriteCapacityUnits') {
        writes += datapoint.sampleCount;
        writeUnits += datapoint.sum;
      }
    }
    return { reads, writes, readUnits, writeUnits };
  }
}
