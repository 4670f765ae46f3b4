/**
 * Lays out a workflow graph with ELK (the layered algorithm, top to bottom): states as boxes sized to their
 * names, Map and Parallel states as boxes around their own states, Choice and Catch edges with labels.
 * Coordinates come back absolute, ready to draw. Runs in the browser (the console) and in Node (reports).
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import {
  endNodeId,
  type GraphEdge,
  type GraphState,
  isTerminalNode,
  startNodeId,
  type WorkflowGraph,
} from './asl-graph';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LaidOutNode {
  /** A state name, a start/end node id, or a branch scope id. */
  readonly id: string;
  readonly kind: 'state' | 'container' | 'branch' | 'start' | 'end' | 'unresolved';
  readonly label: string;
  /** The wrapped label. */
  readonly lines: readonly string[];
  readonly type?: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** How many retriers the state has (drawn as a badge, not as loops). */
  readonly retriers: number;
}

export interface LaidOutEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdge['kind'];
  readonly points: readonly Point[];
  readonly label?: { readonly text: string; readonly full: string; readonly x: number; readonly y: number };
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  /** Containers first, so they are drawn under their states. */
  readonly nodes: readonly LaidOutNode[];
  readonly edges: readonly LaidOutEdge[];
}

const CHAR_WIDTH = 7;
const LINE_HEIGHT = 16;
const MAX_LINE = 30;
const EDGE_LABEL_MAX = 36;
const TERMINAL_SIZE = 24;

interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  labels?: { text: string; width: number; height: number }[];
  layoutOptions?: Record<string, string>;
}

interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: { text: string; width: number; height: number; x?: number; y?: number }[];
  sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[];
}

const LAYERED = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Loops (paging, retries by hand) must not pull the start into the middle: break cycles from the start,
  // and keep the definition's order where the algorithm has a choice.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/** Wraps a state name into lines of at most 30 characters, at spaces where it can. */
export function wrapLabel(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > MAX_LINE) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
    while (line.length > MAX_LINE) {
      lines.push(line.slice(0, MAX_LINE));
      line = line.slice(MAX_LINE);
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

export async function layoutWorkflowGraph(graph: WorkflowGraph): Promise<GraphLayout> {
  const meta = new Map<string, Omit<LaidOutNode, 'x' | 'y' | 'width' | 'height'>>();
  const root: ElkNode = {
    id: '__root__',
    layoutOptions: {
      ...LAYERED,
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: [],
    edges: [],
  };
  const containers = new Map<string, ElkNode>([['', root]]);
  const compound = (id: string, label: string): ElkNode => ({
    id,
    layoutOptions: { ...LAYERED, 'elk.padding': '[top=34,left=14,bottom=14,right=14]' },
    labels: [{ text: label, width: label.length * CHAR_WIDTH, height: LINE_HEIGHT }],
    children: [],
    edges: [],
  });

  const addTerminals = (scope: string) => {
    const parent = containers.get(scope)!;
    for (const [id, kind] of [
      [startNodeId(scope), 'start'],
      [endNodeId(scope), 'end'],
    ] as const) {
      if (kind === 'end' && !graph.edges.some((edge) => edge.to === id)) continue;
      parent.children!.push({ id, width: TERMINAL_SIZE, height: TERMINAL_SIZE });
      meta.set(id, { id, kind, label: kind === 'start' ? 'Start' : 'End', lines: [], retriers: 0 });
    }
  };

  // Scopes are listed parent first, so every container exists before its states are added.
  for (const scope of graph.scopes) {
    if (scope.kind === 'branch') {
      const node = compound(scope.id, scope.label);
      containers.get(scope.parent!)!.children!.push(node);
      containers.set(scope.id, node);
      meta.set(scope.id, { id: scope.id, kind: 'branch', label: scope.label, lines: [scope.label], retriers: 0 });
    }
    if (scope.kind === 'machine' || scope.hasStates) addTerminals(scope.id);
    for (const state of graph.states.filter((candidate) => candidate.scope === scope.id)) addState(state);
  }
  for (const target of graph.unresolved) {
    const lines = wrapLabel(target.name);
    containers.get(target.scope)!.children!.push(boxed(target.name, lines));
    meta.set(target.name, { id: target.name, kind: 'unresolved', label: target.name, lines, retriers: 0 });
  }

  function addState(state: GraphState): void {
    const parent = containers.get(state.scope)!;
    const retriers = state.state.Retry?.length ?? 0;
    if (state.container) {
      const node = compound(state.name, `${state.type}: ${state.name}`);
      parent.children!.push(node);
      containers.set(state.name, node);
      meta.set(state.name, {
        id: state.name,
        kind: 'container',
        label: state.name,
        lines: [`${state.type}: ${state.name}`],
        type: state.type,
        retriers,
      });
      return;
    }
    const lines = wrapLabel(state.name);
    parent.children!.push(boxed(state.name, lines));
    meta.set(state.name, { id: state.name, kind: 'state', label: state.name, lines, type: state.type, retriers });
  }

  graph.edges.forEach((edge, index) => {
    if (edge.kind === 'retry') return;
    const container = containers.get(edge.scope)!;
    const full = edge.kind === 'choice' || edge.kind === 'catch' ? (edge.label ?? '') : '';
    const text = full.length > EDGE_LABEL_MAX ? `${full.slice(0, EDGE_LABEL_MAX - 1)}…` : full;
    container.edges!.push({
      id: `e${index}`,
      sources: [edge.from],
      targets: [edge.to],
      ...(text && { labels: [{ text, width: text.length * 6, height: 14 }] }),
    });
  });

  const elk = new ELK();
  const laid = (await elk.layout(root as never)) as unknown as ElkNode;
  const nodes: LaidOutNode[] = [];
  const edges: LaidOutEdge[] = [];
  const collect = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      const info = meta.get(child.id)!;
      nodes.push({ ...info, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      collect(child);
    }
    for (const edge of node.edges ?? []) {
      const source = graph.edges[Number(edge.id.slice(1))]!;
      const section = edge.sections?.[0];
      const label = edge.labels?.[0];
      const full = source.label ?? '';
      edges.push({
        id: edge.id,
        from: source.from,
        to: source.to,
        kind: source.kind,
        points: section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [],
        ...(label && { label: { text: label.text, full, x: label.x ?? 0, y: label.y ?? 0 } }),
      });
    }
  };
  collect(laid);
  const order = { container: 0, branch: 1, state: 2, unresolved: 2, start: 3, end: 3 } as const;
  nodes.sort((a, b) => order[a.kind] - order[b.kind]);
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}

function boxed(id: string, lines: readonly string[]): ElkNode {
  const longest = Math.max(...lines.map((line) => line.length));
  return { id, width: Math.max(120, longest * CHAR_WIDTH + 24), height: lines.length * LINE_HEIGHT + 18 };
}

export const isStateNode = (node: LaidOutNode): boolean => !isTerminalNode(node.id) && node.kind !== 'branch';
