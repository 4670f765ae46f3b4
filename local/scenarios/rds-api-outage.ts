/**
 * "RDS API outage": the RDS API starts throttling, the `rds-api` circuit opens after the failure
 * threshold, refreshes fail fast without touching RDS, the API heals, one probe at a time goes through
 * and the circuit closes.
 */
import { parseFaultPlan } from '../faults/fault-plan';
import type { LocalRuntime } from '../runtime';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import type { Scenario, ScenarioContext } from './scenario';
import { countItems, readCircuit } from './tables';

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
    'calling RDS, the API heals, a single probe goes through and the circuit closes.',

  async run(context) {
    const { runtime, log, check } = context;
    const rdsCalls = () => runtime.services.rds.calls.length;

    const healthy = await refresh(runtime);
    log(`refresh ${outcome(healthy)}: ${await countItems(runtime, 'rdsInventory')} instances in rds-inventory`);
    check('a healthy refresh lists the whole fleet', healthy.status === 'SUCCEEDED');

    log('RDS API starts throttling (fault plan: Throttling on rds:DescribeDBInstances)');
    runtime.faults.setPlan(RDS_THROTTLING);
    const threshold = (await readCircuit(runtime, CIRCUIT))?.config.failureThreshold ?? 5;
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
    const probes = racing.filter((execution) => execution.status === 'SUCCEEDED').length;
    log(`3 refreshes race at the deadline: ${probes} probe went through, ${racing.length - probes} refused`);
    check('exactly one probe reaches RDS when the timeout passes', probes === 1 && rdsCalls() - beforeProbe >= 1);
    await reportCircuit(context, 'after the first probe');

    let closed = await readCircuit(runtime, CIRCUIT);
    for (let attempt = 0; attempt < 5 && closed?.state !== 'CLOSED'; attempt++) {
      const probe = await refresh(runtime);
      closed = await readCircuit(runtime, CIRCUIT);
      log(`probe refresh ${outcome(probe)}; circuit ${closed?.state}`);
    }
    check('successful probes close the circuit', closed?.state === 'CLOSED');

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
  const progress =
    circuit?.state === 'HALF_OPEN'
      ? `${circuit.successCount}/${circuit.config.successThreshold} probe successes`
      : `each page of the probe's listing counted as a successful probe call: threshold ${circuit?.config.successThreshold} reached`;
  log(`circuit ${when}: ${circuit?.state} (${progress})`);
}

function outcome(execution: ExecutionRecord): string {
  return execution.status === 'SUCCEEDED' ? 'succeeded' : `failed (${execution.error})`;
}

function retriesOf(execution: ExecutionRecord): number {
  return execution.trace.filter((event) => event.type === 'StateRetried').length;
}

/** The gate state that refused the call (the circuit is open, or another execution is probing). */
function refusingState(execution: ExecutionRecord): string {
  const refusal = execution.trace.find(
    (event) => event.type === 'StateEntered' && /circuit is open|probe is already running/.test(event.state),
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
