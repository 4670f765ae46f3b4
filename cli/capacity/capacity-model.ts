/**
 * The capacity advisor's arithmetic, pure: from consumed read and write units per period (CloudWatch
 * ConsumedRead/WriteCapacityUnits, Sum), the monthly cost on demand, a recommended auto-scaling range and target,
 * the monthly cost of provisioned capacity that follows the usage as auto scaling would, and a one-line
 * recommendation. Every assumption is a named constant here and printed with the advice.
 */
import { HOURS_PER_MONTH, PRICES } from './prices';

/** Target tracking scales out after 2 one-minute datapoints above target, and in after 15 below it. */
export const SCALE_OUT_DELAY_MINUTES = 2;
export const SCALE_IN_WINDOW_MINUTES = 15;
export const DEFAULT_TARGET_PERCENT = 70;
/** Spiky traffic (p99 more than this many times the median) gets a lower target, so bursts fit in the headroom. */
export const SPIKY_RATIO = 5;
export const SPIKY_TARGET_PERCENT = 50;
/** Headroom of the recommended maximum over the observed peak. */
export const MAX_HEADROOM = 1.25;
/** Switching is worth it from this saving on, if the simulation throttles at most this share of the time. */
export const WORTHWHILE_SAVING = 0.2;
export const ACCEPTABLE_THROTTLED_SHARE = 0.005;
/** Below this monthly cost either way, the difference is not worth a capacity plan. */
export const NEGLIGIBLE_MONTHLY_COST = 1;

export interface UsageSeries {
  /** Seconds per datapoint (60 for one-minute sums). */
  readonly periodSeconds: number;
  /** Consumed units in each period, oldest first, zero where CloudWatch had no datapoint. */
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

export interface RateStatistics {
  /** Units per second. */
  readonly average: number;
  readonly median: number;
  readonly p99: number;
  readonly peak: number;
  /** Units consumed over the whole window. */
  readonly total: number;
}

export interface ScalingPlan {
  readonly min: number;
  readonly max: number;
  readonly targetPercent: number;
}

export interface ProvisionedSimulation {
  readonly plan: ScalingPlan;
  /** Capacity units, averaged over the window. */
  readonly averageProvisioned: number;
  readonly monthlyCost: number;
  /** Periods in which consumption was above what auto scaling had provisioned. */
  readonly periodsAbove: number;
}

export interface CapacityAdvice {
  readonly windowDays: number;
  readonly periodSeconds: number;
  readonly reads: RateStatistics;
  readonly writes: RateStatistics;
  readonly onDemand: {
    readonly monthlyCost: number;
    readonly monthlyReadUnits: number;
    readonly monthlyWriteUnits: number;
  };
  readonly provisioned: {
    readonly reads: ProvisionedSimulation;
    readonly writes: ProvisionedSimulation;
    readonly monthlyCost: number;
    /** Share of the periods in which reads or writes were above the provisioned capacity. */
    readonly throttledShare: number;
  };
  readonly recommendation: 'ON_DEMAND' | 'PROVISIONED';
  readonly summary: string;
}

export function adviseCapacity(usage: UsageSeries, currentMode: 'ON_DEMAND' | 'PROVISIONED'): CapacityAdvice {
  const periods = usage.reads.length;
  const windowSeconds = periods * usage.periodSeconds;
  const monthFactor = (HOURS_PER_MONTH * 3600) / windowSeconds;
  const reads = statistics(usage.reads, usage.periodSeconds);
  const writes = statistics(usage.writes, usage.periodSeconds);
  const monthlyReadUnits = reads.total * monthFactor;
  const monthlyWriteUnits = writes.total * monthFactor;
  const onDemandCost =
    (monthlyReadUnits / 1e6) * PRICES.onDemandReadPerMillion +
    (monthlyWriteUnits / 1e6) * PRICES.onDemandWritePerMillion;

  const readSimulation = simulate(
    usage.reads,
    usage.periodSeconds,
    planFor(reads),
    PRICES.provisionedReadPerUnitHour,
    monthFactor,
  );
  const writeSimulation = simulate(
    usage.writes,
    usage.periodSeconds,
    planFor(writes),
    PRICES.provisionedWritePerUnitHour,
    monthFactor,
  );
  const above = usage.reads.filter(
    (_, index) => isAbove(readSimulation, index) || isAbove(writeSimulation, index),
  ).length;
  const provisionedCost = readSimulation.monthlyCost + writeSimulation.monthlyCost;
  const summaryOf = ({ plan, averageProvisioned, monthlyCost, periodsAbove }: ProvisionedSimulation) => ({
    plan,
    averageProvisioned,
    monthlyCost,
    periodsAbove,
  });
  const throttledShare = periods === 0 ? 0 : above / periods;
  const saving = onDemandCost === 0 ? 0 : (onDemandCost - provisionedCost) / onDemandCost;

  const advice = {
    windowDays: windowSeconds / 86_400,
    periodSeconds: usage.periodSeconds,
    reads,
    writes,
    onDemand: { monthlyCost: onDemandCost, monthlyReadUnits, monthlyWriteUnits },
    provisioned: {
      reads: summaryOf(readSimulation),
      writes: summaryOf(writeSimulation),
      monthlyCost: provisionedCost,
      throttledShare,
    },
  };
  const { recommendation, summary } = recommend(
    onDemandCost,
    provisionedCost,
    saving,
    throttledShare,
    advice,
    currentMode,
  );
  return { ...advice, recommendation, summary };
}

function recommend(
  onDemandCost: number,
  provisionedCost: number,
  saving: number,
  throttledShare: number,
  advice: Pick<CapacityAdvice, 'provisioned'>,
  currentMode: 'ON_DEMAND' | 'PROVISIONED',
): { recommendation: CapacityAdvice['recommendation']; summary: string } {
  const { reads, writes } = advice.provisioned;
  const plan =
    `reads ${reads.plan.min}-${reads.plan.max} RCU, writes ${writes.plan.min}-${writes.plan.max} WCU, ` +
    `target ${reads.plan.targetPercent}%`;
  const keepOrSwitch = (mode: 'ON_DEMAND' | 'PROVISIONED') => (mode === currentMode ? 'Stay' : 'Switch to');
  if (Math.max(onDemandCost, provisionedCost) < NEGLIGIBLE_MONTHLY_COST) {
    return {
      recommendation: 'ON_DEMAND',
      summary: `${keepOrSwitch('ON_DEMAND')} on-demand: the table costs under ${money(NEGLIGIBLE_MONTHLY_COST)} a month either way (${money(onDemandCost)} on demand, ${money(provisionedCost)} provisioned).`,
    };
  }
  if (saving >= WORTHWHILE_SAVING && throttledShare <= ACCEPTABLE_THROTTLED_SHARE) {
    return {
      recommendation: 'PROVISIONED',
      summary:
        `${keepOrSwitch('PROVISIONED')} provisioned with auto scaling (${plan}): about ${money(provisionedCost)} a month ` +
        `instead of ${money(onDemandCost)} on demand, ${percent(saving)} less.`,
    };
  }
  const why =
    saving < WORTHWHILE_SAVING
      ? `provisioned (${plan}) would cost ${money(provisionedCost)} against ${money(onDemandCost)}, ${saving > 0 ? `only ${percent(saving)} less` : `${percent(-saving)} more`}`
      : `provisioned would save ${percent(saving)} but its capacity would lag the traffic ${percent(throttledShare)} of the time (throttling)`;
  return { recommendation: 'ON_DEMAND', summary: `${keepOrSwitch('ON_DEMAND')} on-demand: ${why}.` };
}

/** min near the usual rate, max above the peak with headroom, a lower target for spiky traffic. */
export function planFor(rates: RateStatistics): ScalingPlan {
  const spiky = rates.median > 0 ? rates.p99 / rates.median > SPIKY_RATIO : rates.p99 > 0;
  const targetPercent = spiky ? SPIKY_TARGET_PERCENT : DEFAULT_TARGET_PERCENT;
  const target = targetPercent / 100;
  const min = Math.max(1, Math.ceil(rates.median / target));
  const max = Math.max(min, Math.ceil((rates.peak / target) * MAX_HEADROOM));
  return { min, max, targetPercent };
}

/**
 * Provisioned capacity over the window as target tracking would set it: the highest rate of the last
 * 15 minutes divided by the target, seen 2 minutes late, within min..max.
 */
export function simulate(
  units: readonly number[],
  periodSeconds: number,
  plan: ScalingPlan,
  pricePerUnitHour: number,
  monthFactor: number,
): ProvisionedSimulation & { readonly provisioned: readonly number[]; readonly rates: readonly number[] } {
  const rates = units.map((value) => value / periodSeconds);
  const periodMinutes = periodSeconds / 60;
  const delay = Math.max(1, Math.ceil(SCALE_OUT_DELAY_MINUTES / periodMinutes));
  const window = Math.max(1, Math.ceil(SCALE_IN_WINDOW_MINUTES / periodMinutes));
  const target = plan.targetPercent / 100;
  const provisioned = rates.map((_, index) => {
    const seen = rates.slice(Math.max(0, index - delay - window + 1), Math.max(0, index - delay + 1));
    const wanted = Math.ceil(Math.max(0, ...seen) / target);
    return Math.min(plan.max, Math.max(plan.min, wanted));
  });
  const unitHours = provisioned.reduce((total, capacity) => total + (capacity * periodSeconds) / 3600, 0);
  return {
    plan,
    provisioned,
    rates,
    averageProvisioned: provisioned.length === 0 ? 0 : provisioned.reduce((a, b) => a + b, 0) / provisioned.length,
    monthlyCost: unitHours * pricePerUnitHour * monthFactor,
    periodsAbove: rates.filter((rate, index) => rate > provisioned[index]!).length,
  };
}

function isAbove(simulation: ReturnType<typeof simulate>, index: number): boolean {
  return simulation.rates[index]! > simulation.provisioned[index]!;
}

export function statistics(units: readonly number[], periodSeconds: number): RateStatistics {
  const rates = units.map((value) => value / periodSeconds);
  const sorted = [...rates].sort((a, b) => a - b);
  const at = (quantile: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))]!;
  const total = units.reduce((sum, value) => sum + value, 0);
  return {
    average: rates.length === 0 ? 0 : total / (rates.length * periodSeconds),
    median: at(0.5),
    p99: at(0.99),
    peak: sorted.at(-1) ?? 0,
    total,
  };
}

export function money(value: number): string {
  return `$${value < 1000 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US')}`;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
