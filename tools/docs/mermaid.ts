/**
 * A workflow graph as a Mermaid flowchart: Task rectangles, Choice diamonds, Pass and end states as
 * rounded nodes, Map and Parallel states as nested subgraphs, solid edges for Next, Choice rules (with
 * their conditions) and Default, dotted edges for Catch and Retry.
 */
import {
  endNodeId,
  type GraphEdge,
  type GraphState,
  isTerminalNode,
  startNodeId,
  type WorkflowGraph,
} from '../../local/console/asl-graph';

export function mermaidFlowchart(graph: WorkflowGraph): string {
  const ids = new Map<string, string>();
  const idOf = (node: string): string => {
    let id = ids.get(node);
    if (!id) {
      id = node.startsWith('start:') ? `start${ids.size}` : node.startsWith('end:') ? `end${ids.size}` : `s${ids.size}`;
      ids.set(node, id);
    }
    return id;
  };
  // Ids in definition order, so a small change to the ASL gives a small change to the diagram.
  for (const scope of graph.scopes) if (scope.hasStates) idOf(startNodeId(scope.id));
  for (const state of graph.states) idOf(state.name);
  for (const target of graph.unresolved) idOf(target.name);
  for (const scope of graph.scopes) if (scope.hasStates) idOf(endNodeId(scope.id));

  const lines = ['flowchart TD'];
  const renderScope = (scopeId: string, indent: string): void => {
    const scope = graph.scopes.find((candidate) => candidate.id === scopeId)!;
    if (scope.hasStates) {
      lines.push(`${indent}${idOf(startNodeId(scopeId))}(("Start"))`);
      if (graph.edges.some((edge) => edge.to === endNodeId(scopeId)))
        lines.push(`${indent}${idOf(endNodeId(scopeId))}(("End"))`);
    }
    for (const target of graph.unresolved.filter((candidate) => candidate.scope === scopeId)) {
      lines.push(`${indent}${idOf(target.name)}{{"${escapeLabel(`${target.name}: filled in at deploy`)}"}}`);
    }
    for (const state of graph.states.filter((candidate) => candidate.scope === scopeId)) {
      if (!state.container) {
        lines.push(`${indent}${nodeShape(idOf(state.name), state)}`);
        continue;
      }
      lines.push(`${indent}subgraph ${idOf(state.name)} ["${escapeLabel(`${state.type}: ${state.name}`)}"]`);
      lines.push(`${indent}  direction TB`);
      if (state.type === 'Parallel') {
        for (const branch of graph.scopes.filter((candidate) => candidate.parent === state.name)) {
          lines.push(`${indent}  subgraph ${branchId(branch.id, ids)} ["${escapeLabel(branch.label)}"]`);
          lines.push(`${indent}    direction TB`);
          renderScope(branch.id, `${indent}    `);
          lines.push(`${indent}  end`);
        }
      } else {
        renderScope(state.name, `${indent}  `);
      }
      lines.push(`${indent}end`);
    }
  };
  renderScope('', '  ');
  for (const edge of graph.edges) lines.push(`  ${edgeLine(edge, idOf)}`);
  lines.push(
    '  classDef succeed fill:#e6f4ea,stroke:#1e8e3e',
    '  classDef fail fill:#fce8e6,stroke:#d93025',
    '  classDef choice fill:#fef7e0,stroke:#f9ab00',
  );
  return lines.join('\n');
}

function nodeShape(id: string, state: GraphState): string {
  const label = escapeLabel(state.name);
  const detail = state.state.Resource ? `<br/>${escapeLabel(shortResource(state.state.Resource))}` : '';
  switch (state.type) {
    case 'Choice':
      return `${id}{"${label}"}:::choice`;
    case 'Pass':
      return `${id}(["${label}"])`;
    case 'Wait':
      return `${id}[/"${label}"/]`;
    case 'Succeed':
      return `${id}(["${label}"]):::succeed`;
    case 'Fail':
      return `${id}(["${label}"]):::fail`;
    default:
      return `${id}["${label}${detail}"]`;
  }
}

function edgeLine(edge: GraphEdge, idOf: (node: string) => string): string {
  const from = idOf(edge.from);
  const to = idOf(edge.to);
  const label = edge.label ? `|"${escapeLabel(edge.label)}"|` : '';
  if (edge.kind === 'catch' || edge.kind === 'retry') return `${from} -.->${label} ${to}`;
  if (isTerminalNode(edge.from) || isTerminalNode(edge.to)) return `${from} --> ${to}`;
  return `${from} -->${label} ${to}`;
}

function branchId(scopeId: string, ids: Map<string, string>): string {
  const key = `branch:${scopeId}`;
  let id = ids.get(key);
  if (!id) {
    id = `b${ids.size}`;
    ids.set(key, id);
  }
  return id;
}

/** `arn:aws:states:::aws-sdk:rds:describeDBInstances` -> `rds:describeDBInstances`. */
export function shortResource(resource: string): string {
  const integration = /^arn:aws:states:::(?:aws-sdk:)?(.+)$/.exec(resource);
  if (integration) return integration[1]!.replace(/^\$\{.*\}$/, 'function');
  return resource.includes('${') ? 'function' : resource.split(':').slice(-2).join(':');
}

/** Mermaid entity codes for the characters that would end a quoted label or be read as markup. */
function escapeLabel(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}
