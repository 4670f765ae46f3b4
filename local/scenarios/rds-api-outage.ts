/**
 * "RDS API outage": the RDS API starts throttling, the `rds-api` circuit opens after the failure
 * threshold, refreshes fail fast without touching RDS, the API heals, exactly one refresh probes (all its
 * pages, counted as one probe), and the next probing refresh closes the circuit.
 */
import { parseFaultPlan } from '../faults/fault-plan';
import type { LocalRuntime } from '../runtime';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import type { Scenario, ScenarioContext } from './scenario';
import { countItems, deployedCircuitSettings, readCircuit } from './tables';

const WORKFLOW = 'inventory-refresh';
const CIRCUIT = 'rds-api';

const RDS_THROTTLING = parseFaultPlan({
  seed: 11,
  faults: [
    {
      id: 'rds-throttling',
      description: 'The RDS API answers every DescribeDBInstances with Throttling',
      target: { service: 'rds', action: 'describeDBInstances' },
      error: 'Throttling',
      cause: 'Rate exceeded',
      rate: 1,
    },
  ],
});

export const rdsApiOutage: Scenario = {
  title: 'RDS API outage',
  story:
    'RDS throttles every call; the rds-api circuit opens at its failure threshold, refreshes fail fast without ' +
    'calling RDS, the API heals, a single refresh probes (one probe, however many pages) and the next closes it.',

  async run(context) {
    const { runtime, log, check } = context;
    const rdsCalls = () => runtime.services.rds.calls.length;
    const { failureThreshold: threshold, successThreshold } = deployedCircuitSettings(runtime, CIRCUIT);

    const healthy = await refresh(runtime);
    log(`refresh ${outcome(healthy)}: ${await countItems(runtime, 'rdsInventory')} instances in rds-inventory`);
    check('a healthy refresh lists the whole fleet', healthy.status === 'SUCCEEDED');

    log('RDS API starts throttling (fault plan: Throttling on rds:DescribeDBInstances)');
    runtime.faults.setPlan(RDS_THROTTLING);
    for (let attempt = 1; attempt <= threshold; attempt++) {
      const execution = await refresh(runtime);
      const circuit = await readCircuit(runtime, CIRCUIT);
      log(
        `refresh ${outcome(execution)} after ${retriesOf(execution)} retries; circuit ${circuit?.state} ` +
          `(${circuit?.failureCount ?? 0}/${threshold} failures)`,
      );
    }
    const opened = await readCircuit(runtime, CIRCUIT);
    check(
      `the circuit opens after exactly ${threshold} failed refreshes`,
      opened?.state === 'OPEN',
      `state ${opened?.state}`,
    );

    const callsBefore = rdsCalls();
    const failFast = await refresh(runtime);
    log(`refresh ${outcome(failFast)} at "${refusingState(failFast)}"`);
    check(
      'while open, a refresh fails fast without calling RDS',
      failFast.status === 'FAILED' && rdsCalls() === callsBefore,
    );

    runtime.faults.heal();
    log(`RDS API heals; the circuit stays open until ${new Date((opened?.openUntil ?? 0) * 1000).toISOString()}`);
    await runtime.clock.sleep(Math.max(0, (opened?.openUntil ?? 0) * 1000 - runtime.clock.now()) + 1000);

    const beforeProbe = rdsCalls();
    const racing = await Promise.all([refresh(runtime), refresh(runtime), refresh(runtime)]);
    const probing = racing.filter((execution) => listCalls(execution) > 0);
    const refused = racing.filter((execution) => execution.error === 'CircuitOpenError');
    const probePages = probing.length === 1 ? listCalls(probing[0]) : 0;
    log(
      `3 refreshes race at the deadline: ${probing.length} probed RDS (${probePages} pages), ${refused.length} refused`,
    );
    check(
      'exactly one refresh probes RDS when the timeout passes, and only its own pages reach RDS',
      probing.length === 1 && refused.length === 2 && probePages >= 2 && rdsCalls() - beforeProbe === probePages,
      `${probing.length} probing, ${refused.length} refused, ${rdsCalls() - beforeProbe} RDS calls`,
    );
    const afterFirst = await readCircuit(runtime, CIRCUIT);
    await reportCircuit(context, 'after the first probe');
    check(
      `a probe is one execution: its ${probePages} pages count as 1 of ${successThreshold} probe successes`,
      afterFirst?.state === 'HALF_OPEN' && afterFirst.successCount === 1,
      `state ${afterFirst?.state}, successCount ${afterFirst?.successCount}`,
    );

    const probes: ExecutionRecord[] = [];
    let closed = afterFirst;
    while (probes.length < successThreshold - 1 && closed?.state === 'HALF_OPEN') {
      probes.push(await refresh(runtime));
      closed = await readCircuit(runtime, CIRCUIT);
      log(`probe refresh ${outcome(probes.at(-1)!)}; circuit ${closed?.state}`);
    }
    check(
      `exactly ${successThreshold} probing refreshes close the circuit`,
      closed?.state === 'CLOSED' && probes.length === successThreshold - 1,
      `state ${closed?.state} after ${probes.length + 1} probing refreshes`,
    );

    const after = await refresh(runtime);
    log(`refresh ${outcome(after)}: business as usual`);
    const transitions = stateChangeEvents(runtime);
    log(`"Circuit State Changed" events: ${transitions.join(' -> ')}`);
    check('every transition was announced on EventBridge', transitions.join(',') === 'OPEN,HALF_OPEN,CLOSED');
  },
};

function refresh(runtime: LocalRuntime): Promise<ExecutionRecord> {
  return runtime.execute(WORKFLOW, { trigger: 'manual' });
}

async function reportCircuit({ runtime, log }: ScenarioContext, when: string): Promise<void> {
  const circuit = await readCircuit(runtime, CIRCUIT);
  const { successThreshold } = deployedCircuitSettings(runtime, CIRCUIT);
  log(`circuit ${when}: ${circuit?.state} (${circuit?.successCount ?? 0}/${successThreshold} probe successes)`);
}

/** The DescribeDBInstances calls one refresh made (each page is one). */
function listCalls(execution: ExecutionRecord): number {
  return execution.calls.filter((call) => call.resource.endsWith(':rds:describeDBInstances')).length;
}

function outcome(execution: ExecutionRecord): string {
  return execution.status === 'SUCCEEDED' ? 'succeeded' : `failed (${execution.error})`;
}

function retriesOf(execution: ExecutionRecord): number {
  return execution.trace.filter((event) => event.type === 'StateRetried').length;
}

/** The caller state that took the refusal, with the breaker's decision behind it. */
function refusingState(execution: ExecutionRecord): string {
  const refusal = execution.trace.find(
    (event) => event.type === 'StateEntered' && / refused the call$/.test(event.state),
  );
  return refusal?.type === 'StateEntered' ? refusal.state : 'unknown';
}

/** The `to` state of every "Circuit State Changed" event the workflows put, in order. */
function stateChangeEvents(runtime: LocalRuntime): string[] {
  return runtime.services.eventbridge.calls.flatMap((call) => {
    const entries = (call.params as { Entries?: { DetailType?: string; Detail?: unknown }[] }).Entries ?? [];
    return entries
      .filter((entry) => entry.DetailType === 'Circuit State Changed')
      .map((entry) => {
        const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
        return String((detail as { to?: string }).to);
      });
  });
}
