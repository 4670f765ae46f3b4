/** The synthesized workflows, end to end on the local runtime. */
import { parseFaultPlan } from '../local/faults/fault-plan';
import { deployedCircuitSettings } from '../local/scenarios/tables';
import type { AppModel } from '../local/template/app-model';
import { loadAppModel } from '../local/template/synthesize';
import { type Benchmark, throughput } from './benchmark';

let model: AppModel | undefined;
const appModel = () => {
  model ??= loadAppModel();
  return model;
};

export const SCENARIO_BENCHMARKS: Benchmark[] = [
  {
    name: 'synthesize the app in-process',
    async run() {
      const started = performance.now();
      loadAppModel();
      return { name: this.name, value: Math.round(performance.now() - started), unit: 'ms', higherIsBetter: false };
    },
  },
  {
    name: 'inventory-refresh (36 instances), sequential',
    async run({ startRuntime }) {
      const runtime = await startRuntime(appModel());
      const rate = await throughput(60, 1, () => runtime.execute('inventory-refresh', { trigger: 'bench' }));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
  {
    name: 'inventory-refresh (36 instances), 10 concurrent',
    async run({ startRuntime }) {
      const runtime = await startRuntime(appModel());
      const rate = await throughput(120, 10, () => runtime.execute('inventory-refresh', { trigger: 'bench' }));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
  {
    name: 'circuit-breaker checks (CLOSED circuit), sequential',
    async run({ startRuntime }) {
      const runtime = await startRuntime(appModel());
      // What every protected call costs on the healthy path: one synchronous Express execution, one read.
      const check = {
        request: 'check',
        circuit: 'rds-api',
        settings: JSON.stringify(deployedCircuitSettings(runtime, 'rds-api')),
        caller: 'arn:aws:states:us-east-1:000000000000:execution:bench:check',
      };
      const rate = await throughput(400, 1, () => runtime.startSyncExecution('circuit-breaker', check));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
  {
    name: 'inventory-refresh with the rds-api circuit open',
    async run({ startRuntime }) {
      const runtime = await startRuntime(appModel());
      // Five throttled refreshes open the circuit; what is measured is the fail-fast path.
      runtime.faults.setPlan(
        parseFaultPlan({
          seed: 1,
          faults: [{ target: { service: 'rds', action: 'describeDBInstances' }, error: 'Throttling', rate: 1 }],
        }),
      );
      for (let i = 0; i < 5; i++) await runtime.execute('inventory-refresh', { trigger: 'bench' });
      const rate = await throughput(400, 10, () => runtime.execute('inventory-refresh', { trigger: 'bench' }));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
];
