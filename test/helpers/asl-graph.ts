/** Graph checks of an ASL definition: dangling targets and unreachable states (AWS rejects both at deploy). */

type AslStates = Record<string, Record<string, unknown>>;

function targetsOf(state: Record<string, unknown>): string[] {
  const targets: string[] = [];
  if (typeof state.Next === 'string') targets.push(state.Next);
  if (typeof state.Default === 'string') targets.push(state.Default);
  for (const rule of (state.Choices as { Next: string }[] | undefined) ?? []) targets.push(rule.Next);
  for (const catcher of (state.Catch as { Next: string }[] | undefined) ?? []) targets.push(catcher.Next);
  return targets;
}

/** Every `Next`, `Default` and Catch target that names no state (top level and inside Map/Parallel). */
export function danglingTargets(machine: { States: AslStates }, at = 'definition'): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(machine.States));
  for (const [name, state] of Object.entries(machine.States)) {
    for (const target of targetsOf(state)) {
      if (!names.has(target)) problems.push(`${at} > "${name}" goes to "${target}", which does not exist`);
    }
    const inner = (state.ItemProcessor ?? state.Iterator) as { States: AslStates } | undefined;
    if (inner) problems.push(...danglingTargets(inner, `${at} > "${name}"`));
  }
  return problems;
}

/** States no path from StartAt reaches (dead code in a definition). */
export function unreachableStates(machine: { StartAt: string; States: AslStates }): string[] {
  const seen = new Set<string>();
  const queue = [machine.StartAt];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !machine.States[name]) continue;
    seen.add(name);
    queue.push(...targetsOf(machine.States[name]!));
  }
  return Object.keys(machine.States).filter((name) => !seen.has(name));
}
