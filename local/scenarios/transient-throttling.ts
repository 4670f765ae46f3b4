/**
 * "Transient throttling": the scheduled refresh fires through EventBridge while RDS throttles its first
 * two calls; the Task's own Retry (exponential backoff, capped, full jitter) absorbs it, the refresh
 * succeeds, and the circuit never hears of it.
 */
import { parseFaultPlan } from '../faults/fault-plan';
import type { TraceEvent } from '../stepfunctions/trace';
import type { Scenario } from './scenario';
import { scheduleOf } from './schedules';
import { readCircuit } from './tables';

const TWO_THROTTLES = parseFaultPlan({
  seed: 5,
  faults: [
    {
      id: 'two-throttles',
      description: 'The first two DescribeDBInstances calls are throttled',
      target: { service: 'rds', action: 'describeDBInstances' },
      error: 'Throttling',
      cause: 'Rate exceeded',
      rate: 1,
      count: 2,
    },
  ],
});

export const transientThrottling: Scenario = {
  title: 'Transient throttling',
  story:
    'The inventory schedule fires through EventBridge while RDS throttles two calls; Retry with capped, ' +
    'jittered backoff absorbs them and the circuit never counts a failure.',

  async run({ runtime, log, check }) {
    const rule = scheduleOf(runtime, 'inventory-refresh');
    runtime.faults.setPlan(TWO_THROTTLES);

    log(`schedule "${rule.scheduleExpression}" comes due: EventBridge fires ${rule.name}`);
    const { executions } = await runtime.fireSchedule(rule.name);
    const [refresh] = executions;
    check(
      'the schedule starts exactly one inventory refresh',
      executions.length === 1 && refresh.workflow === 'inventory-refresh',
    );

    for (const retry of retriesOf(refresh.trace)) {
      const offset = ((Date.parse(retry.at) - Date.parse(refresh.startDate)) / 1000).toFixed(1);
      log(
        `"${retry.state}" throttled; retry #${retry.attempt} at +${offset} s, after ${retry.delayMs} ms (capped, full jitter)`,
      );
    }
    log(
      `refresh ${refresh.status === 'SUCCEEDED' ? 'succeeded' : `failed (${refresh.error})`} with input ${JSON.stringify(refresh.input)}`,
    );
    check(
      'Retry absorbs two throttled calls and the refresh succeeds',
      refresh.status === 'SUCCEEDED' && retriesOf(refresh.trace).length === 2,
    );

    const circuit = await readCircuit(runtime, 'rds-api');
    log(`rds-api circuit: ${circuit ? `${circuit.state}, ${circuit.failureCount} failures` : 'no item (CLOSED)'}`);
    check(
      'the circuit counts no failure for errors Retry absorbed',
      !circuit || (circuit.state === 'CLOSED' && circuit.failureCount === 0),
    );
  },
};

function retriesOf(trace: readonly TraceEvent[]) {
  return trace.flatMap((event) => (event.type === 'StateRetried' ? [event] : []));
}
