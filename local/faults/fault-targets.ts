/**
 * A fault whose target names nothing that runs would inject nothing, silently: a typo in a state name
 * would make a resilience test pass for the wrong reason. This checks every target against what the
 * runtime can actually call, with the injector's own matching.
 */
import { parseResource } from '../stepfunctions/bindings/resource-arn';
import { type AslDefinition, listTaskStates } from '../stepfunctions/definition';
import { InvalidFaultPlanError } from './errors';
import { type FaultCall, faultTargetMatches } from './fault-injector';
import type { FaultPlan, FaultTarget } from './fault-plan';

export interface CallableTargets {
  readonly definitions: readonly AslDefinition[];
  /** Stand-in actions, keyed `service:action` (`rds:describeDBInstances`). */
  readonly serviceActions: readonly string[];
}

/** Throws InvalidFaultPlanError for the first fault whose target matches nothing callable. */
export function assertFaultTargetsExist(plan: FaultPlan, callable: CallableTargets): void {
  const tasks = callable.definitions.flatMap(listTaskStates);
  const calls: FaultCall[] = [
    ...tasks.map(({ stateName, resource }) => ({ state: stateName, resource })),
    ...callable.serviceActions.map((key) => {
      const [service, action] = key.split(':');
      return { service, action };
    }),
  ];
  plan.faults.forEach((fault, index) => {
    if (calls.some((call) => faultTargetMatches(fault.target, call))) return;
    const { field, problem } = explain(fault.target, tasks, calls);
    throw new InvalidFaultPlanError(`faults[${index}].target${field}`, problem, plan.source);
  });
}

function explain(target: FaultTarget, tasks: ReturnType<typeof listTaskStates>, calls: readonly FaultCall[]) {
  const unique = (values: string[]) => [...new Set(values)];
  switch (target.kind) {
    case 'state':
      return {
        field: '.state',
        problem: `no Task state is named "${target.state}"; Task states: ${unique(tasks.map((t) => t.stateName)).join(', ')}`,
      };
    case 'resource':
      return {
        field: '.resource',
        problem: `"${target.resource}" matches no Task resource; resources: ${unique(tasks.map((t) => t.resource)).join(', ')}`,
      };
    case 'service': {
      const callable = unique(
        calls.flatMap((call) => {
          const parsed = call.resource ? parseResource(call.resource) : undefined;
          if (parsed?.kind === 'aws-sdk' || parsed?.kind === 'optimized') return [`${parsed.service}:${parsed.action}`];
          return call.service ? [`${call.service}:${call.action}`] : [];
        }),
      ).sort();
      return {
        field: '',
        problem: `nothing calls ${target.service}:${target.action ?? '*'}; callable: ${callable.join(', ')}`,
      };
    }
  }
}
