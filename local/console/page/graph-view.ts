/// <reference lib="dom" />
/**
 * Draws a laid-out workflow graph as SVG, and colours it with an execution: each state by its status, each
 * edge the execution went along. Clicking a state selects it. Recolouring reuses the drawn nodes, so a running
 * execution's updates do not redraw or re-lay out the graph.
 */
import type { ExecutionView, StateStatus } from '../execution-view';
import { edgeKey } from '../execution-view';
import type { GraphLayout, LaidOutEdge, LaidOutNode } from '../graph-layout';
import { s } from './dom';

export interface GraphView {
  readonly element: SVGElement;
  /** Scrolls the frame holding the graph so the machine's start is in view (wide graphs start off-screen). */
  showStart(frame: HTMLElement): void;
  /** Colours states and edges; `undefined` shows the bare definition. */
  paint(view: ExecutionView | undefined): void;
  select(state: string | undefined): void;
}

const STATUSES: readonly StateStatus[] = ['succeeded', 'failed', 'caught', 'retried', 'running', 'not-taken'];

export function drawGraph(layout: GraphLayout, onSelect: (state: string) => void): GraphView {
  const svg = s('svg', {
    class: 'workflow',
    width: Math.ceil(layout.width),
    height: Math.ceil(layout.height),
    viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`,
    role: 'img',
    'aria-label': 'Workflow graph',
  });
  svg.append(arrowMarkers());
  const nodeElements = new Map<string, SVGElement>();
  const edgeElements: { edge: LaidOutEdge; element: SVGElement }[] = [];

  for (const node of layout.nodes) {
    const element = drawNode(node);
    if (node.kind === 'state' || node.kind === 'container') {
      nodeElements.set(node.id, element);
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        onSelect(node.id);
      });
    }
    svg.append(element);
  }
  for (const edge of layout.edges) {
    const element = drawEdge(edge);
    edgeElements.push({ edge, element });
    svg.append(element);
  }

  return {
    element: svg,
    showStart(frame) {
      const start = layout.nodes.find((node) => node.id === 'start:');
      if (start) frame.scrollLeft = Math.max(0, start.x + start.width / 2 - frame.clientWidth / 2);
    },
    paint(view) {
      svg.classList.toggle('has-execution', view !== undefined);
      for (const [name, element] of nodeElements) {
        for (const status of STATUSES) element.classList.remove(status);
        const status = view?.states.get(name)?.status;
        if (status) element.classList.add(status);
        element.setAttribute('data-status', status ?? '');
      }
      for (const { edge, element } of edgeElements) {
        element.classList.toggle('taken', view?.takenEdges.has(edgeKey(edge.from, edge.to)) ?? false);
      }
    },
    select(state) {
      for (const [name, element] of nodeElements) element.classList.toggle('selected', name === state);
    },
  };
}

function drawNode(node: LaidOutNode): SVGElement {
  const { x, y, width, height } = node;
  if (node.kind === 'start' || node.kind === 'end') {
    return s(
      'g',
      { class: 'terminal' },
      s('circle', { cx: x + width / 2, cy: y + height / 2, r: width / 2 }),
      s(
        'text',
        { x: x + width / 2, y: y + height / 2 + 3, 'text-anchor': 'middle' },
        node.kind === 'start' ? 'start' : 'end',
      ),
    );
  }
  if (node.kind === 'container' || node.kind === 'branch') {
    return s(
      'g',
      { class: `node container ${node.kind}`, 'data-state': node.kind === 'container' ? node.id : undefined },
      s('rect', { x, y, width, height, rx: 8 }),
      s('text', { x: x + 10, y: y + 20 }, node.lines[0] ?? node.label),
      s('title', {}, node.label),
    );
  }
  const shape =
    node.type === 'Choice'
      ? { rx: 18 }
      : node.type === 'Succeed' || node.type === 'Fail' || node.type === 'Pass'
        ? { rx: 14 }
        : { rx: 4 };
  const group = s(
    'g',
    { class: `node state type-${(node.type ?? 'unresolved').toLowerCase()}`, 'data-state': node.id, tabindex: 0 },
    s('rect', { x, y, width, height, ...shape }),
    ...node.lines.map((line, index) =>
      s('text', { x: x + width / 2, y: y + 15 + index * 16, 'text-anchor': 'middle' }, line),
    ),
    s('title', {}, `${node.label}${node.type ? ` (${node.type})` : ''}`),
  );
  if (node.retriers > 0) {
    group.append(
      s(
        'text',
        { class: 'retry-badge', x: x + width - 4, y: y + height - 4, 'text-anchor': 'end' },
        `↻${node.retriers}`,
      ),
    );
  }
  return group;
}

function drawEdge(edge: LaidOutEdge): SVGElement {
  const d = edge.points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  const group = s(
    'g',
    { class: `edge ${edge.kind}`, 'data-from': edge.from, 'data-to': edge.to },
    s('path', { d, 'marker-end': edge.kind === 'catch' ? 'url(#arrow-catch)' : 'url(#arrow)' }),
  );
  if (edge.label) {
    group.append(
      s('text', { x: edge.label.x, y: edge.label.y + 10 }, edge.label.text, s('title', {}, edge.label.full)),
    );
  }
  return group;
}

function arrowMarkers(): SVGElement {
  const marker = (id: string, color: string) =>
    s(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 9,
        markerHeight: 9,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto-start-reverse',
      },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: color }),
    );
  return s('defs', {}, marker('arrow', '#80868b'), marker('arrow-catch', '#e37400'));
}
