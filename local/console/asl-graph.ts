/**
 * An ASL definition as a graph: states, the scopes they live in (the machine, each Map's iterator, each
 * Parallel branch), and every edge a run can take (Next, Choice rules with their conditions, Default, Catch,
 * Retry). Pure and dependency-free: the workflow docs (Mermaid), the local console page (ELK layout) and the
 * execution report all draw from it, so the three pictures agree.
 */

export interface AslRetrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: string;
}

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** The fields of a state the graph reads; definitions carry many more. */
export interface AslStateLike {
  readonly Type: string;
  readonly Comment?: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly Record<string, unknown>[];
  readonly Retry?: readonly AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
  readonly Iterator?: AslMachineLike;
  readonly ItemProcessor?: AslMachineLike;
  readonly Branches?: readonly AslMachineLike[];
  readonly [field: string]: unknown;
}

export interface AslMachineLike {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslStateLike>>;
}

export type ScopeKind = 'machine' | 'map' | 'parallel' | 'branch';

export interface GraphScope {
  /** `''` for the machine; a Map's or Parallel's state name; `<parallel> / branch <n>` for a branch. */
  readonly id: string;
  readonly kind: ScopeKind;
  readonly label: string;
  /** The scope this one is drawn inside (absent for the machine). */
  readonly parent?: string;
  /** Branch scopes of a Parallel have none: the Parallel's branches hold the states. */
  readonly hasStates: boolean;
}

export interface GraphState {
  /** The state's name: unique across the whole machine (AWS requires it). */
  readonly name: string;
  readonly type: string;
  /** The scope it belongs to. */
  readonly scope: string;
  readonly state: AslStateLike;
  /** Map and Parallel states are drawn as containers of their own scope. */
  readonly container: boolean;
}

export type EdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch' | 'retry' | 'end';

export interface GraphEdge {
  /** A state name, or a start/end node (`startNodeId(scope)`, `endNodeId(scope)`). */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The scope whose drawing holds the edge. */
  readonly scope: string;
  /** Choice condition, `Default`, the errors of a Catch or a Retry. */
  readonly label?: string;
}

/** A target that names no state: a `${Placeholder}` filled at deploy (the file on disk), or a dangling name. */
export interface UnresolvedTarget {
  readonly name: string;
  readonly scope: string;
}

export interface WorkflowGraph {
  readonly startAt: string;
  readonly scopes: readonly GraphScope[];
  readonly states: readonly GraphState[];
  readonly edges: readonly GraphEdge[];
  readonly unresolved: readonly UnresolvedTarget[];
}

export const startNodeId = (scope: string): string => `start:${scope}`;
export const endNodeId = (scope: string): string => `end:${scope}`;
export const isTerminalNode = (id: string): boolean => id.startsWith('start:') || id.startsWith('end:');

export function buildWorkflowGraph(definition: AslMachineLike): WorkflowGraph {
  const scopes: GraphScope[] = [];
  const states: GraphState[] = [];
  const edges: GraphEdge[] = [];

  const addScope = (machine: AslMachineLike, scope: GraphScope): void => {
    scopes.push(scope);
    edges.push({ from: startNodeId(scope.id), to: machine.StartAt, kind: 'start', scope: scope.id });
    for (const [name, state] of Object.entries(machine.States)) {
      const processor = state.ItemProcessor ?? state.Iterator;
      const container = processor !== undefined || state.Type === 'Parallel';
      states.push({ name, type: state.Type, scope: scope.id, state, container });
      edges.push(...edgesOf(name, state, scope.id));
      if (processor) addScope(processor, { id: name, kind: 'map', label: name, parent: scope.id, hasStates: true });
      if (state.Type === 'Parallel') {
        scopes.push({ id: name, kind: 'parallel', label: name, parent: scope.id, hasStates: false });
        (state.Branches ?? []).forEach((branch, index) => {
          const id = `${name} / branch ${index + 1}`;
          addScope(branch, { id, kind: 'branch', label: `Branch ${index + 1}`, parent: name, hasStates: true });
        });
      }
    }
  };
  addScope(definition, { id: '', kind: 'machine', label: 'Machine', hasStates: true });
  const names = new Set(states.map((state) => state.name));
  const unresolved: UnresolvedTarget[] = [];
  for (const edge of edges) {
    if (names.has(edge.to) || isTerminalNode(edge.to) || unresolved.some((known) => known.name === edge.to)) continue;
    unresolved.push({ name: edge.to, scope: edge.scope });
  }
  return { startAt: definition.StartAt, scopes, states, edges, unresolved };
}

function edgesOf(name: string, state: AslStateLike, scope: string): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const retrier of state.Retry ?? []) {
    edges.push({ from: name, to: name, kind: 'retry', scope, label: retryLabel(retrier) });
  }
  if (state.Type === 'Choice') {
    for (const rule of state.Choices ?? []) {
      edges.push({ from: name, to: String(rule.Next), kind: 'choice', scope, label: describeCondition(rule) });
    }
    if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default', scope, label: 'Default' });
  }
  if (typeof state.Next === 'string') edges.push({ from: name, to: state.Next, kind: 'next', scope });
  for (const catcher of state.Catch ?? []) {
    edges.push({
      from: name,
      to: catcher.Next,
      kind: 'catch',
      scope,
      label: `Catch ${catcher.ErrorEquals.join(', ')}`,
    });
  }
  if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') {
    edges.push({ from: name, to: endNodeId(scope), kind: 'end', scope });
  }
  return edges;
}

export function retryLabel(retrier: AslRetrier): string {
  return `Retry ${retrier.ErrorEquals.join(', ')} (max ${retrier.MaxAttempts ?? 3})`;
}

const COMPARISONS: readonly [string, string][] = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
  ['Matches', 'matches'],
];
const TYPE_TESTS: Readonly<Record<string, string>> = {
  IsNull: 'null',
  IsPresent: 'present',
  IsString: 'a string',
  IsNumeric: 'a number',
  IsBoolean: 'a boolean',
  IsTimestamp: 'a timestamp',
};

/** A Choice rule as one readable line: `$.state == "OPEN" and $.openUntil <= $.now`. */
export function describeCondition(rule: Record<string, unknown>): string {
  if (Array.isArray(rule.And)) return rule.And.map((inner) => group(inner as Record<string, unknown>)).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map((inner) => group(inner as Record<string, unknown>)).join(' or ');
  if (rule.Not && typeof rule.Not === 'object') {
    const inner = rule.Not as Record<string, unknown>;
    const test = Object.keys(inner).find((field) => field in TYPE_TESTS);
    // `not ($.x is present)` reads better as `$.x is not present`.
    if (test) return describeCondition({ ...inner, [test]: inner[test] !== true });
    return `not ${group(inner)}`;
  }
  const variable = String(rule.Variable ?? '?');
  for (const [field, value] of Object.entries(rule)) {
    if (field in TYPE_TESTS) return `${variable} is ${value === true ? '' : 'not '}${TYPE_TESTS[field]}`;
    const comparison = COMPARISONS.find(([suffix]) => field.endsWith(suffix) || field.endsWith(`${suffix}Path`));
    if (!comparison || field === 'Next' || field === 'Variable') continue;
    const byPath = field.endsWith('Path');
    return `${variable} ${comparison[1]} ${byPath ? String(value) : JSON.stringify(value)}`;
  }
  return JSON.stringify(rule);
}

function group(rule: Record<string, unknown>): string {
  const text = describeCondition(rule);
  return rule.And || rule.Or ? `(${text})` : text;
}

/** Every state with Retry, one row per retrier, in definition order (Map and Parallel states included). */
export function retryRows(graph: WorkflowGraph): { readonly state: string; readonly retrier: AslRetrier }[] {
  return graph.states.flatMap(({ name, state }) => (state.Retry ?? []).map((retrier) => ({ state: name, retrier })));
}

/** How an execution can end with an error: where each error name comes from. */
export interface TerminalError {
  /** An error name, `*` for any error of a state, or `dynamic` for a Fail state's ErrorPath. */
  readonly error: string;
  readonly source: string;
}

/**
 * The errors an execution can end with, from the definition alone: the Fail states' literal `Error`; for a
 * Fail state's `ErrorPath`, every Catch whose path reaches it (its error names, or any error of the state for
 * `States.ALL`); and errors no Catch handles, escaping Map and Parallel states as AWS propagates them.
 */
export function terminalErrors(definition: AslMachineLike): TerminalError[] {
  const found: TerminalError[] = [];
  const add = (error: TerminalError) => {
    if (!found.some((known) => known.error === error.error && known.source === error.source)) found.push(error);
  };
  for (const error of escapingErrors(definition)) add(error);
  return found;
}

function escapingErrors(machine: AslMachineLike): TerminalError[] {
  const escaping: TerminalError[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Fail') {
      if (typeof state.Error === 'string') escaping.push({ error: state.Error, source: `Fail state "${name}"` });
      else if (state.ErrorPath) {
        for (const origin of catchesReaching(machine, name)) escaping.push(origin);
        if (catchesReaching(machine, name).length === 0) {
          escaping.push({ error: 'dynamic', source: `Fail state "${name}" (${state.ErrorPath})` });
        }
      }
      continue;
    }
    const raised = raisedBy(name, state);
    const catchers = state.Catch ?? [];
    const catchesAll = catchers.some((catcher) => catcher.ErrorEquals.includes('States.ALL'));
    if (catchesAll) continue;
    const caughtNames = catchers.flatMap((catcher) => catcher.ErrorEquals);
    for (const error of raised) {
      if (error.error !== '*' && caughtNames.includes(error.error)) continue;
      escaping.push(
        error.error === '*' && caughtNames.length > 0
          ? { error: '*', source: `${error.source}, other than ${caughtNames.join(', ')}` }
          : error,
      );
    }
  }
  return escaping;
}

/** What a state itself can raise: any error for a Task, what escapes the inner scopes for Map and Parallel. */
function raisedBy(name: string, state: AslStateLike): TerminalError[] {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (processor)
    return escapingErrors(processor).map((error) => ({ ...error, source: `${error.source} in Map "${name}"` }));
  if (state.Type === 'Parallel') {
    return (state.Branches ?? []).flatMap((branch) =>
      escapingErrors(branch).map((error) => ({ ...error, source: `${error.source} in Parallel "${name}"` })),
    );
  }
  if (state.Type === 'Task') return [{ error: '*', source: `any error of Task "${name}"` }];
  return [];
}

/** Catches whose Next leads (through Next, Choice and Default edges) to the Fail state `target`. */
function catchesReaching(machine: AslMachineLike, target: string): TerminalError[] {
  const reaches = (from: string): boolean => {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (current === target) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      const state = machine.States[current];
      if (!state) continue;
      if (state.Next) queue.push(state.Next);
      if (state.Default) queue.push(state.Default);
      for (const rule of state.Choices ?? []) queue.push(String(rule.Next));
    }
    return false;
  };
  const origins: TerminalError[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    for (const catcher of state.Catch ?? []) {
      if (!reaches(catcher.Next)) continue;
      for (const error of catcher.ErrorEquals) {
        origins.push(
          error === 'States.ALL'
            ? { error: '*', source: `any error of "${name}" (caught, then "${target}")` }
            : { error, source: `caught at "${name}", then "${target}"` },
        );
      }
    }
  }
  return origins;
}
