/**
 * A fault whose target names nothing that runs would inject nothing, silently: a typo in a state name
 * would make a resilience test pass for the wrong reason. This checks every target against what the
 * runtime can actually call.
 */
import { parseResource } from '../stepfunctions/bindings/resource-arn';
import { type AslDefinition, listTaskStates } from '../stepfunctions/definition';
import { InvalidFaultPlanError } from './errors';
import type { FaultPlan } from './fault-plan';

export interface CallableTargets {
  readonly definitions: readonly AslDefinition[];
  /** Stand-in actions, keyed `service:action` (`rds:describeDBInstances`). */
  readonly serviceActions: readonly string[];
}

/** Throws InvalidFaultPlanError for the first fault whose target matches nothing callable. */
export function assertFaultTargetsExist(plan: FaultPlan, callable: CallableTargets): void {
  const tasks = callable.definitions.flatMap(listTaskStates);
  const states = [...new Set(tasks.map((task) => task.stateName))];
  const resources = [...new Set(tasks.map((task) => task.resource))];
  const services = new Set(callable.serviceActions);
  for (const task of tasks) {
    const parsed = parseResource(task.resource);
    if (parsed.kind === 'aws-sdk' || parsed.kind === 'optimized') services.add(`${parsed.service}:${parsed.action}`);
  }
  plan.faults.forEach((fault, index) => {
    const path = `faults[${index}].target`;
    const { target } = fault;
    if (target.kind === 'state' && !states.includes(target.state)) {
      throw new InvalidFaultPlanError(
        `${path}.state`,
        `no Task state is named "${target.state}"; Task states: ${states.join(', ')}`,
        plan.source,
      );
    }
    if (target.kind === 'resource' && !resources.some((resource) => globMatches(target.resource, resource))) {
      throw new InvalidFaultPlanError(
        `${path}.resource`,
        `"${target.resource}" matches no Task resource; resources: ${resources.join(', ')}`,
        plan.source,
      );
    }
    if (target.kind === 'service') {
      const matches = [...services].some((key) => {
        const [service, action] = key.split(':');
        return (
          service === target.service &&
          (target.action === undefined || target.action === '*' || target.action === action)
        );
      });
      if (!matches) {
        const wanted = `${target.service}:${target.action ?? '*'}`;
        throw new InvalidFaultPlanError(
          path,
          `nothing calls ${wanted}; callable: ${[...services].sort().join(', ')}`,
          plan.source,
        );
      }
    }
  });
}

function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(value);
}
