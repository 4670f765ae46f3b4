/** Walking an ASL definition for the policy check: every state (nested ones too) and what each Task calls. */

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Retry?: readonly import('./presets').AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next?: string }[];
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
  readonly ItemProcessor?: AslStates;
  readonly Iterator?: AslStates;
  readonly Branches?: readonly AslStates[];
}

export interface AslStates {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

export interface StateEntry {
  /** The state's name. */
  readonly name: string;
  /** Where it is, for messages: `Map state > inner state` for states inside a Map or Parallel. */
  readonly path: string;
  readonly state: AslState;
  /** The states it can transition to (its own Map iteration or Parallel branch, or the top level). */
  readonly scope: AslStates;
}

/** Every state of the definition, nested Map and Parallel states included, in file order. */
export function allStates(definition: AslStates, prefix = ''): StateEntry[] {
  return Object.entries(definition.States ?? {}).flatMap(([name, state]) => {
    const path = `${prefix}${name}`;
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter(
      (inner): inner is AslStates => inner !== undefined,
    );
    return [{ name, path, state, scope: definition }, ...nested.flatMap((inner) => allStates(inner, `${path} > `))];
  });
}

const PLACEHOLDER_RESOURCE = /^\$\{[A-Za-z0-9]*FunctionArn\}$/;

/**
 * What a Task resource calls: `lambda` for the optimized invoke and plain function ARNs, `aws-sdk:<service>`
 * for AWS SDK integrations, `<service>` for other optimized integrations. The `.sync` / `.waitForTaskToken`
 * suffix does not change it.
 */
export function integrationOf(resource: string): string | undefined {
  if (resource.startsWith('arn:aws:lambda:') || PLACEHOLDER_RESOURCE.test(resource)) return 'lambda';
  const match = /^arn:aws[a-z-]*:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)/.exec(resource);
  if (!match) return undefined;
  if (!match[1] && match[2] === 'lambda') return 'lambda';
  return match[1] ? `aws-sdk:${match[2]}` : match[2];
}

/** The API action a Task resource calls (`getItem`, `describeDBInstances`, `invoke`), if it names one. */
export function actionOf(resource: string): string | undefined {
  if (resource.startsWith('arn:aws:lambda:') || PLACEHOLDER_RESOURCE.test(resource)) return 'invoke';
  return /^arn:aws[a-z-]*:states:::(?:aws-sdk:)?[a-z0-9-]+:([A-Za-z0-9]+)/.exec(resource)?.[1];
}

/** States a transition can reach from `start` without taking a Catch: Next, Default and every Choice branch. */
export function reachableFrom(start: string, scope: AslStates): string[] {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = scope.States[name];
    if (!state) continue;
    for (const next of [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next)]) {
      if (next && !seen.has(next)) queue.push(next);
    }
  }
  return [...seen];
}
