/// <reference lib="dom" />
/**
 * One execution: its summary (status, times, event count), the graph coloured by what it did, the clicked
 * state's panel, and the execution's own input, output and error. `update` repaints it with newer data (a
 * running execution) without laying the graph out again.
 */
import { type AslMachineLike, buildWorkflowGraph, type WorkflowGraph } from '../asl-graph';
import { type ApiHistoryEvent, buildExecutionView, type ExecutionView } from '../execution-view';
import type { GraphLayout } from '../graph-layout';
import { formatDuration, formatTime, h, prettyJson, replaceChildren } from './dom';
import { drawGraph } from './graph-view';
import type { ExecutionDescription, StateMachineDescription } from './sfn-client';
import { renderStatePanel } from './state-panel';

export interface ExecutionData {
  readonly stateMachine: StateMachineDescription;
  readonly execution: ExecutionDescription;
  readonly events: readonly ApiHistoryEvent[];
}

export interface ExecutionScreen {
  update(data: ExecutionData): void;
}

export function graphOf(stateMachine: StateMachineDescription): WorkflowGraph {
  return buildWorkflowGraph(JSON.parse(stateMachine.definition) as AslMachineLike);
}

export function renderExecutionScreen(host: HTMLElement, data: ExecutionData, layout: GraphLayout): ExecutionScreen {
  const graph = graphOf(data.stateMachine);
  const summary = h('div', { class: 'summary', 'data-testid': 'execution-summary' });
  const panel = h('aside', { class: 'panel', 'data-testid': 'state-panel' });
  const executionData = h('div', { class: 'execution-data' });
  let view: ExecutionView = buildExecutionView(graph, data.events, data.execution.status);
  let selected: string | undefined;
  const showState = () =>
    renderStatePanel(
      panel,
      graph.states.find((state) => state.name === selected),
      selected ? view.states.get(selected) : undefined,
    );
  const drawn = drawGraph(layout, (state) => {
    selected = state;
    drawn.select(state);
    showState();
  });
  const frame = h('div', { class: 'graph-frame' }, drawn.element);
  replaceChildren(
    host,
    h('h2', {}, data.execution.name),
    summary,
    legend(),
    h('div', { class: 'workspace' }, frame, panel),
    executionData,
  );
  drawn.showStart(frame);
  const paint = (current: ExecutionData) => {
    view = buildExecutionView(graph, current.events, current.execution.status);
    drawn.paint(view);
    renderSummary(summary, current, view);
    renderExecutionData(executionData, current.execution);
    showState();
  };
  paint(data);
  return { update: paint };
}

function renderSummary(host: HTMLElement, data: ExecutionData, view: ExecutionView): void {
  const { execution, stateMachine } = data;
  const end = execution.stopDate ?? (execution.status === 'RUNNING' ? Date.now() / 1000 : undefined);
  const field = (label: string, value: Node | string) => h('div', {}, h('span', {}, label), value);
  replaceChildren(
    host,
    field(
      'Status',
      h('span', { class: `badge status-${execution.status}`, 'data-testid': 'execution-status' }, execution.status),
    ),
    field('State machine', `${stateMachine.name} (${stateMachine.type.toLowerCase()})`),
    field('Started', formatTime(execution.startDate)),
    field('Stopped', formatTime(execution.stopDate)),
    field('Duration', formatDuration(end !== undefined ? end - execution.startDate : undefined)),
    field('History events', String(view.eventCount)),
  );
}

function renderExecutionData(host: HTMLElement, execution: ExecutionDescription): void {
  replaceChildren(
    host,
    h('h3', {}, 'Execution input'),
    h('pre', { class: 'execution-input' }, prettyJson(execution.input)),
    execution.output !== undefined ? h('h3', {}, 'Execution output') : null,
    execution.output !== undefined ? h('pre', { class: 'execution-output' }, prettyJson(execution.output)) : null,
    execution.error !== undefined ? h('h3', {}, 'Execution error') : null,
    execution.error !== undefined ? h('pre', { class: 'error-text' }, execution.error) : null,
    execution.cause !== undefined ? h('pre', {}, prettyJson(execution.cause)) : null,
  );
}

function legend(): HTMLElement {
  const statuses = ['succeeded', 'retried', 'caught', 'failed', 'running', 'not-taken'] as const;
  return h(
    'div',
    { class: 'legend' },
    ...statuses.map((status) => h('span', { class: `badge ${status}` }, status.replace('-', ' '))),
    h('span', { class: 'muted' }, 'Dashed orange edges: Catch. ↻n: the state has n retriers.'),
  );
}
