/// <reference lib="dom" />
/**
 * The panel beside the graph: for the clicked state its status, runs (one per entry, or per Map iteration),
 * input, output, error and cause, each attempt with its timings and outcome. For the definition only: its
 * type and settings.
 */
import type { GraphState } from '../asl-graph';
import type { StateRun, StateView } from '../execution-view';
import { formatDuration, formatTime, h, prettyJson, replaceChildren } from './dom';

/** Runs shown at once in the run picker: a Map over thousands of items stays quick. */
const RUN_PAGE = 200;

export function renderStatePanel(panel: HTMLElement, state: GraphState | undefined, view: StateView | undefined): void {
  if (!state) {
    replaceChildren(
      panel,
      h('p', { class: 'muted' }, 'Click a state to see its input, output, error, retries and timings.'),
    );
    return;
  }
  const status = view?.status;
  replaceChildren(
    panel,
    h('h3', { class: 'state-name' }, state.name),
    h(
      'p',
      {},
      h('span', { class: 'muted' }, `${state.type} `),
      status ? h('span', { class: `badge ${status}`, 'data-testid': 'state-status' }, status.replace('-', ' ')) : null,
      view && view.retries > 0
        ? h('span', { class: 'muted' }, ` ${view.retries} retr${view.retries === 1 ? 'y' : 'ies'}`)
        : null,
    ),
    state.state.Comment ? h('p', { class: 'muted' }, state.state.Comment) : null,
    state.state.Resource
      ? h('p', {}, h('span', { class: 'muted' }, 'Resource '), h('code', {}, state.state.Resource))
      : null,
  );
  if (!view || view.runs.length === 0) {
    panel.append(h('p', { class: 'muted' }, view ? 'Not taken in this execution.' : ''));
    return;
  }
  const runHost = h('div', { class: 'run' });
  if (view.runs.length > 1) {
    const shown = view.runs.slice(0, RUN_PAGE);
    const picker = h(
      'select',
      { 'aria-label': 'Run' },
      ...shown.map((run, index) =>
        h(
          'option',
          { value: index },
          `Run ${index + 1} of ${view.runs.length}${run.iteration !== undefined ? ` (item ${run.iteration})` : ''}: ${run.status}`,
        ),
      ),
    );
    picker.addEventListener('change', () => renderRun(runHost, shown[Number(picker.value)]!));
    panel.append(picker);
    if (view.runs.length > RUN_PAGE) panel.append(h('p', { class: 'muted' }, `First ${RUN_PAGE} runs listed.`));
  }
  panel.append(runHost);
  renderRun(runHost, view.runs[0]!);
}

function renderRun(host: HTMLElement, run: StateRun): void {
  const duration = run.exitedAt !== undefined ? run.exitedAt - run.enteredAt : undefined;
  replaceChildren(
    host,
    h(
      'table',
      { class: 'list timings' },
      h('tr', {}, h('th', {}, 'Entered'), h('td', {}, formatTime(run.enteredAt))),
      h('tr', {}, h('th', {}, 'Exited'), h('td', {}, formatTime(run.exitedAt))),
      h('tr', {}, h('th', {}, 'Duration'), h('td', {}, formatDuration(duration))),
      run.iteration !== undefined ? h('tr', {}, h('th', {}, 'Map item'), h('td', {}, run.iteration)) : null,
    ),
    run.error ? h('h3', {}, 'Error') : null,
    run.error ? h('pre', { class: 'error-text state-error' }, run.error) : null,
    run.cause ? h('pre', { class: 'state-cause' }, prettyJson(run.cause)) : null,
    run.attempts.length > 0 ? h('h3', {}, `Attempts (${run.attempts.length})`) : null,
    run.attempts.length > 0
      ? h(
          'table',
          { class: 'list attempts' },
          h('tr', {}, h('th', {}, '#'), h('th', {}, 'Outcome'), h('th', {}, 'Took'), h('th', {}, 'Error')),
          ...run.attempts.map((attempt, index) =>
            h(
              'tr',
              {},
              h('td', {}, index + 1),
              h('td', {}, attempt.outcome),
              h(
                'td',
                {},
                formatDuration(attempt.endedAt !== undefined ? attempt.endedAt - attempt.scheduledAt : undefined),
              ),
              h('td', { class: 'error-text' }, attempt.error ?? ''),
            ),
          ),
        )
      : null,
    h('h3', {}, 'Input'),
    h('pre', { class: 'state-input' }, prettyJson(run.input)),
    h('h3', {}, 'Output'),
    h('pre', { class: 'state-output' }, run.output === undefined ? '(none)' : prettyJson(run.output)),
  );
}
