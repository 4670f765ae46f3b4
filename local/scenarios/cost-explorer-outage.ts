/**
 * "Cost Explorer outage": the daily cost snapshot fires on its schedule while Cost Explorer throttles twice
 * (Retry absorbs it, every instance is saved, the fleet totals cached), a re-run of the day changes no count,
 * then Cost Explorer keeps refusing: the `cost-explorer` circuit opens at its threshold and the next snapshot
 * is refused without a call.
 */
import { parseFaultPlan } from '../faults/fault-plan';
import type { LocalRuntime } from '../runtime';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import { retrySummary } from '../stepfunctions/retry-summary';
import type { Scenario } from './scenario';
import { scheduleOf } from './schedules';
import { countItems, deployedCircuitSettings, readCircuit, readItem } from './tables';

const WORKFLOW = 'cost-snapshot';
const CIRCUIT = 'cost-explorer';
const PAGE_STATE = 'Get a page of RDS costs per instance';
const LIMIT_EXCEEDED = {
  target: { service: 'costexplorer', action: 'getCostAndUsageWithResources' },
  error: 'LimitExceededException',
  cause: 'You have exceeded the rate limit.',
  rate: 1,
} as const;

export const costExplorerOutage: Scenario = {
  title: 'Cost Explorer outage',
  story:
    'The daily cost snapshot absorbs two throttled Cost Explorer calls and saves every instance; a re-run of the ' +
    'day changes no count; persistent throttling opens the cost-explorer circuit and the next snapshot makes no call.',

  async run({ runtime, log, check }) {
    const rule = scheduleOf(runtime, WORKFLOW);
    runtime.faults.setPlan(parseFaultPlan({ seed: 9, faults: [{ ...LIMIT_EXCEEDED, count: 2 }] }));
    log(`schedule "${rule.scheduleExpression}" comes due while Cost Explorer throttles twice`);
    const {
      executions: [snapshot],
    } = await runtime.fireSchedule(rule.name);
    const page = retrySummary(snapshot!.trace).states.find((state) => state.state === PAGE_STATE);
    const taken = (snapshot!.output as { snapshot?: { date?: string; totals?: { pages?: number } } } | undefined)
      ?.snapshot;
    const saved = await countItems(runtime, 'costSnapshots');
    const totals = await readItem(runtime, 'metricsCache', { cacheKey: 'cost#fleet#latest' });
    log(
      `snapshot of ${taken?.date} ${outcome(snapshot!)}: ${saved} instance costs in ${taken?.totals?.pages} pages, ` +
        `${page?.retries ?? 0} retries; fleet total ${String(totals?.totalCost)} ${String(totals?.currency)} cached`,
    );
    check(
      'Retry absorbs two throttled calls; every instance of the fleet gets its cost and the totals are cached',
      snapshot?.status === 'SUCCEEDED' &&
        page?.retries === 2 &&
        saved === runtime.services.rds.instances().length &&
        totals !== undefined,
      `${snapshot?.status}, ${page?.retries} retries, ${saved} items`,
    );
    check('the circuit never counts errors Retry absorbed', (await readCircuit(runtime, CIRCUIT)) === undefined);

    runtime.faults.heal();
    const rerun = await runtime.execute(WORKFLOW, { date: taken?.date });
    const afterRerun = await countItems(runtime, 'costSnapshots');
    log(`the day is taken again by hand: ${outcome(rerun)}, ${afterRerun} items`);
    check(
      'a re-run of the day replaces its items instead of adding any',
      rerun.status === 'SUCCEEDED' && afterRerun === saved,
    );

    const { failureThreshold } = deployedCircuitSettings(runtime, CIRCUIT);
    runtime.faults.setPlan(parseFaultPlan({ seed: 10, faults: [LIMIT_EXCEEDED] }));
    log('Cost Explorer keeps throttling every call');
    for (let run = 1; run <= failureThreshold; run++) {
      const failed = await runtime.execute(WORKFLOW, { trigger: 'manual' });
      const circuit = await readCircuit(runtime, CIRCUIT);
      log(
        `snapshot ${outcome(failed)}; circuit ${circuit?.state} (${circuit?.failureCount}/${failureThreshold} failures)`,
      );
    }
    const opened = await readCircuit(runtime, CIRCUIT);
    const callsWhenOpened = pageCalls(runtime);
    const refused = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    log(`the next snapshot ${outcome(refused)} with ${pageCalls(runtime) - callsWhenOpened} Cost Explorer calls`);
    check(
      `the circuit opens after ${failureThreshold} failed snapshots`,
      opened?.state === 'OPEN',
      `state ${opened?.state}`,
    );
    check(
      'while open, a snapshot is refused without calling Cost Explorer ($0.01 a request saved)',
      refused.error === 'CircuitOpenError' && pageCalls(runtime) === callsWhenOpened,
      `${refused.error}`,
    );
  },
};

function outcome(execution: ExecutionRecord): string {
  return execution.status === 'SUCCEEDED' ? 'succeeded' : `failed (${execution.error})`;
}

function pageCalls(runtime: LocalRuntime): number {
  return runtime.services.costExplorer.calls.filter((call) => call.action === 'getCostAndUsageWithResources').length;
}
