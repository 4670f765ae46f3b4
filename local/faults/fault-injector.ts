/**
 * Applies a fault plan to calls: before a Task or stand-in call runs, decides (deterministically, from the plan's
 * seed) whether a fault hits it, waits any latency on the runtime clock, then throws the configured error.
 */

import type { Clock } from '../clock';
import { type Random, seededRandom } from '../services/seeded-random';
import { parseResource } from '../stepfunctions/bindings/resource-arn';
import { InjectedFaultError } from './errors';
import type { Fault, FaultPlan, FaultTarget, TimePoint } from './fault-plan';

/** What is being called. Give what you know; service/action are derived from an integration resource ARN. */
export interface FaultCall {
  readonly state?: string;
  readonly resource?: string;
  readonly service?: string;
  readonly action?: string;
}

export interface FaultStats {
  readonly id: string;
  /** Calls that matched the target inside the window. */
  readonly matched: number;
  readonly injectedErrors: number;
  readonly injectedLatency: number;
  readonly totalLatencyMs: number;
}

interface FaultState {
  readonly fault: Fault;
  readonly random: Random;
  active: boolean;
  matched: number;
  injectedErrors: number;
  injectedLatency: number;
  totalLatencyMs: number;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function serviceAndAction(call: FaultCall): { service?: string; action?: string } {
  if (call.service !== undefined) return { service: call.service, action: call.action };
  const parsed = call.resource ? parseResource(call.resource) : undefined;
  return parsed?.kind === 'aws-sdk' || parsed?.kind === 'optimized'
    ? { service: parsed.service, action: parsed.action }
    : {};
}

/** Whether a fault's target names this call. */
export function faultTargetMatches(target: FaultTarget, call: FaultCall): boolean {
  switch (target.kind) {
    case 'state':
      return call.state === target.state;
    case 'resource':
      return call.resource !== undefined && globToRegExp(target.resource).test(call.resource);
    case 'service': {
      const { service, action } = serviceAndAction(call);
      if (service !== target.service) return false;
      return target.action === undefined || target.action === '*' || target.action === action;
    }
  }
}

function instant(point: TimePoint, planStart: number): number {
  return point.kind === 'relative' ? planStart + point.ms : point.epochMs;
}

export class FaultInjector {
  private plan!: FaultPlan;
  private planStart = 0;
  private states: FaultState[] = [];

  constructor(
    plan: FaultPlan,
    private readonly clock: Clock,
  ) {
    this.setPlan(plan);
  }

  /** Replaces the plan; relative windows, counts, the PRNG and stats start again from now. */
  setPlan(plan: FaultPlan): void {
    this.plan = plan;
    this.planStart = this.clock.now();
    // One PRNG per fault, so adding or removing a fault never changes which calls the others hit.
    this.states = plan.faults.map((fault, index) => ({
      fault,
      random: seededRandom(`${plan.seed}:${index}:${fault.id}`),
      active: true,
      matched: 0,
      injectedErrors: 0,
      injectedLatency: 0,
      totalLatencyMs: 0,
    }));
  }

  /** Removes every fault (a scenario's "the outage is over"); stats so far are kept. */
  heal(): void {
    this.plan = { ...this.plan, faults: [] };
    for (const state of this.states) state.active = false;
  }

  get activePlan(): FaultPlan {
    return this.plan;
  }

  /**
   * Call before the real work. Resolves at once when no fault hits; otherwise waits the latency of every fault
   * that hits on the clock, then throws the first hitting fault's error, if any.
   */
  async beforeCall(call: FaultCall): Promise<void> {
    const now = this.clock.now();
    let latencyMs = 0;
    let failure: InjectedFaultError | undefined;
    for (const state of this.states) {
      const { fault } = state;
      if (!state.active || !faultTargetMatches(fault.target, call)) continue;
      if (fault.window?.from && now < instant(fault.window.from, this.planStart)) continue;
      if (fault.window?.to && now >= instant(fault.window.to, this.planStart)) continue;
      state.matched++;
      if (fault.count !== undefined && state.matched > fault.count) continue;
      // Always draw, so whether call N is hit depends only on the seed and N, not on the rate of earlier calls.
      const draw = state.random();
      if (draw >= fault.rate) continue;
      if (fault.latencyMs !== undefined) {
        latencyMs += fault.latencyMs;
        state.injectedLatency++;
        state.totalLatencyMs += fault.latencyMs;
      }
      if (fault.error !== undefined) {
        state.injectedErrors++;
        failure ??= new InjectedFaultError({
          error: fault.error,
          cause: fault.cause,
          code: fault.code,
          statusCode: fault.statusCode,
          faultId: fault.id,
        });
      }
    }
    if (latencyMs > 0) await this.clock.sleep(latencyMs);
    if (failure) throw failure;
  }

  /** Per-fault counts, in plan order. */
  stats(): FaultStats[] {
    return this.states.map(({ fault, matched, injectedErrors, injectedLatency, totalLatencyMs }) => ({
      id: fault.id,
      matched,
      injectedErrors,
      injectedLatency,
      totalLatencyMs,
    }));
  }
}
