/** Finding the app's scheduled rules from scenarios. */
import type { LocalRuntime } from '../runtime';

/** The scheduled rule that starts a workflow. */
export function scheduleOf(runtime: LocalRuntime, workflow: string) {
  const machine = runtime.model.stateMachines.find((candidate) => candidate.workflow === workflow);
  const rule = runtime.model.rules.find(
    (candidate) =>
      candidate.scheduleExpression !== undefined && candidate.targets.some((target) => target.arn === machine?.arn),
  );
  if (!rule) throw new Error(`The app has no scheduled rule that starts ${workflow}.`);
  return rule;
}
