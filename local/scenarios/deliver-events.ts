/** Delivering events to the app's rules from scenarios and tests, as EventBridge delivers them. */
import type { EventBridgeEvent } from '../events/types';
import type { LocalRuntime } from '../runtime';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';

/** Delivers events as EventBridge does (a redelivery keeps its id) and returns the executions they started. */
export async function deliverEvents(runtime: LocalRuntime, ...events: readonly object[]): Promise<ExecutionRecord[]> {
  const started: ExecutionRecord[] = [];
  for (const event of events) {
    const deliveries = await runtime.bus.routeEvents([{ eventBusName: 'default', event: event as EventBridgeEvent }]);
    await runtime.settle();
    for (const { executionArn } of deliveries) {
      const execution = runtime.executions.find((candidate) => candidate.executionArn === executionArn);
      if (execution) started.push(execution);
    }
  }
  return started;
}
