/// <reference lib="dom" />
/**
 * The local console (`rds-ops local serve`, `/console`): the state machines, each one's graph and executions,
 * and one execution's graph coloured by its path, with live updates while it runs. Everything is read with the
 * Step Functions API (ListStateMachines, DescribeStateMachine, ListExecutions, DescribeExecution,
 * GetExecutionHistory), so the same page could read AWS. The graph is laid out with ELK in the page.
 */
import { type GraphLayout, layoutWorkflowGraph } from '../graph-layout';
import { formatDuration, formatTime, h, replaceChildren } from './dom';
import { type ExecutionScreen, graphOf, renderExecutionScreen } from './execution-screen';
import { drawGraph } from './graph-view';
import {
  type ExecutionDescription,
  SfnClient,
  type StateMachineDescription,
  type StateMachineListItem,
} from './sfn-client';
import { renderStatePanel } from './state-panel';
import { STYLES } from './styles';

const POLL_MS = 500;
const client = new SfnClient('/');
const layouts = new Map<string, Promise<GraphLayout>>();
let machines: StateMachineListItem[] = [];
/** Bumped on every navigation: a screen stops polling when it is no longer the current one. */
let generation = 0;

document.head.append(h('style', {}, STYLES));
const nav = h('nav', { class: 'machines', 'aria-label': 'State machines' });
const content = h('section', { class: 'content' });
document.body.append(
  h('header', { class: 'top' }, h('h1', {}, 'rds-ops local console'), h('a', { href: '#/' }, 'State machines')),
  h('main', {}, nav, content),
);
window.addEventListener('hashchange', () => void route());
void start();

async function start(): Promise<void> {
  try {
    machines = await client.listStateMachines();
  } catch (error) {
    showError(error);
    return;
  }
  renderNav(undefined);
  await route();
}

async function route(): Promise<void> {
  const current = ++generation;
  const [, kind, encoded] = /^#\/(machine|execution)\/(.+)$/.exec(location.hash) ?? [];
  try {
    if (kind === 'machine') await machineScreen(decodeURIComponent(encoded!), current);
    else if (kind === 'execution') await executionScreen(decodeURIComponent(encoded!), current);
    else homeScreen();
  } catch (error) {
    if (current === generation) showError(error);
  }
}

function homeScreen(): void {
  renderNav(undefined);
  document.body.dataset.view = 'home';
  replaceChildren(
    content,
    h('h2', {}, 'State machines'),
    h(
      'p',
      { class: 'muted' },
      `${machines.length} state machines on this endpoint. Pick one to see its graph and executions.`,
    ),
  );
}

async function machineScreen(arn: string, current: number): Promise<void> {
  renderNav(arn);
  const machine = await client.describeStateMachine(arn);
  const layout = await layoutOf(machine);
  if (current !== generation) return;
  const graph = graphOf(machine);
  const panel = h('aside', { class: 'panel', 'data-testid': 'state-panel' });
  const drawn = drawGraph(layout, (state) => {
    drawn.select(state);
    renderStatePanel(
      panel,
      graph.states.find((candidate) => candidate.name === state),
      undefined,
    );
  });
  drawn.paint(undefined);
  renderStatePanel(panel, undefined, undefined);
  const executions = h('div', { 'data-testid': 'executions' });
  const frame = h('div', { class: 'graph-frame' }, drawn.element);
  replaceChildren(
    content,
    h('h2', {}, machine.name),
    h('p', { class: 'muted' }, `${machine.type.toLowerCase()} state machine, ${graph.states.length} states`),
    h('div', { class: 'workspace' }, frame, panel),
    h('h3', {}, 'Executions'),
    executions,
  );
  drawn.showStart(frame);
  document.body.dataset.view = 'machine';
  while (current === generation) {
    renderExecutions(executions, await client.listExecutions(arn));
    await sleep(POLL_MS * 2);
  }
}

function renderExecutions(host: HTMLElement, executions: readonly ExecutionDescription[]): void {
  if (executions.length === 0) {
    replaceChildren(host, h('p', { class: 'muted' }, 'No executions yet.'));
    return;
  }
  replaceChildren(
    host,
    h(
      'table',
      { class: 'list' },
      h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Started'), h('th', {}, 'Duration')),
      ...executions.map((execution) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/execution/${encodeURIComponent(execution.executionArn)}` }, execution.name)),
          h('td', {}, h('span', { class: `badge status-${execution.status}` }, execution.status)),
          h('td', {}, formatTime(execution.startDate)),
          h(
            'td',
            {},
            formatDuration(execution.stopDate !== undefined ? execution.stopDate - execution.startDate : undefined),
          ),
        ),
      ),
    ),
  );
}

async function executionScreen(arn: string, current: number): Promise<void> {
  const execution = await client.describeExecution(arn);
  renderNav(execution.stateMachineArn);
  const stateMachine = await client.describeStateMachine(execution.stateMachineArn);
  const [events, layout] = await Promise.all([client.getExecutionHistory(arn), layoutOf(stateMachine)]);
  if (current !== generation) return;
  content.replaceChildren();
  const back = h(
    'a',
    { href: `#/machine/${encodeURIComponent(stateMachine.stateMachineArn)}` },
    `← ${stateMachine.name}`,
  );
  const host = h('div');
  content.append(back, host);
  const screen: ExecutionScreen = renderExecutionScreen(host, { stateMachine, execution, events }, layout);
  document.body.dataset.view = 'execution';
  let status = execution.status;
  while (status === 'RUNNING' && current === generation) {
    await sleep(POLL_MS);
    if (current !== generation) return;
    const [latest, latestEvents] = await Promise.all([client.describeExecution(arn), client.getExecutionHistory(arn)]);
    if (current !== generation) return;
    screen.update({ stateMachine, execution: latest, events: latestEvents });
    status = latest.status;
  }
}

function layoutOf(machine: StateMachineDescription): Promise<GraphLayout> {
  let layout = layouts.get(machine.stateMachineArn);
  if (!layout) {
    layout = layoutWorkflowGraph(graphOf(machine));
    layouts.set(machine.stateMachineArn, layout);
  }
  return layout;
}

function renderNav(selectedArn: string | undefined): void {
  replaceChildren(
    nav,
    ...machines.map((machine) =>
      h(
        'a',
        {
          href: `#/machine/${encodeURIComponent(machine.stateMachineArn)}`,
          class: machine.stateMachineArn === selectedArn ? 'selected' : undefined,
        },
        machine.name,
        h('div', { class: 'type' }, machine.type.toLowerCase()),
      ),
    ),
  );
}

function showError(error: unknown): void {
  document.body.dataset.view = 'error';
  replaceChildren(
    content,
    h('h2', {}, 'The console could not read the service'),
    h('pre', { class: 'error-text' }, error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
