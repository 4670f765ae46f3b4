import { VirtualClock } from '../../../local/clock';
import { buildWorkflowGraph } from '../../../local/console/asl-graph';
import { executionData } from '../../../local/console/execution-report';
import { buildExecutionView, edgeKey } from '../../../local/console/execution-view';
import type { LocalService } from '../../../local/server/local-service';
import {
  CONSOLE_FIXTURE,
  FIXTURE_STATE_NAMES,
  startConsoleService,
  startUntilApproval,
} from '../../helpers/console-fixture';

const graph = buildWorkflowGraph(CONSOLE_FIXTURE);
let service: LocalService;

beforeEach(async () => {
  service = await startConsoleService(new VirtualClock({ startAt: Date.parse('2026-11-30T09:00:00Z') }));
});

afterEach(async () => {
  await service.stop();
});

async function viewOf(executionArn: string) {
  const data = executionData(service.runtime, executionArn);
  return { data, view: buildExecutionView(graph, data.events, data.execution.status) };
}

function statuses(view: ReturnType<typeof buildExecutionView>) {
  return Object.fromEntries(FIXTURE_STATE_NAMES.map((name) => [name, view.states.get(name)?.status]));
}

describe('the execution view, read from GetExecutionHistory', () => {
  it('gives every state its status: succeeded, retried, caught, not taken', async () => {
    // Prepare
    const run = await startUntilApproval(service, { urgent: false }, 'finished');
    service.runtime.tokens.sendTaskSuccess(run.token, { approvedBy: 'operator-1' });
    expect((await run.done).status).toBe('SUCCEEDED');

    // Act
    const { view } = await viewOf(run.executionArn);

    // Assess
    expect(statuses(view)).toEqual({
      'Prepare the order': 'succeeded',
      'Is it urgent?': 'succeeded',
      Escalate: 'not-taken',
      'Process each item': 'succeeded',
      'Handle item': 'succeeded',
      'Call the flaky service': 'retried',
      'Call the broken service': 'caught',
      'Wait for approval': 'succeeded',
      Done: 'succeeded',
    });
  });

  it('keeps per-state data: Map iterations, attempts with their errors, the caught error and cause', async () => {
    // Prepare
    const run = await startUntilApproval(service, { urgent: false }, 'details');
    service.runtime.tokens.sendTaskSuccess(run.token, {});
    await run.done;

    // Act
    const { view } = await viewOf(run.executionArn);

    // Assess
    const items = view.states.get('Handle item')!;
    expect(items.runs.map((entry) => [entry.iteration, JSON.parse(entry.input!)])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    const flaky = view.states.get('Call the flaky service')!;
    expect(flaky.retries).toBe(1);
    expect(flaky.runs[0]!.attempts.map((attempt) => [attempt.outcome, attempt.error])).toEqual([
      ['failed', 'ThrottledError'],
      ['succeeded', undefined],
    ]);
    const broken = view.states.get('Call the broken service')!.runs[0]!;
    expect(broken.error).toBe('BrokenServiceError');
    expect(broken.cause).toContain('the service is down');
    expect(JSON.parse(broken.output!).failure.Error).toBe('BrokenServiceError');
  });

  it('marks the edges the execution went along, the Catch and the Map start included', async () => {
    // Prepare
    const run = await startUntilApproval(service, { urgent: true }, 'urgent');
    service.runtime.tokens.sendTaskSuccess(run.token, {});
    await run.done;

    // Act
    const { view } = await viewOf(run.executionArn);

    // Assess
    for (const [from, to] of [
      ['start:', 'Prepare the order'],
      ['Is it urgent?', 'Escalate'],
      ['Escalate', 'Process each item'],
      ['start:Process each item', 'Handle item'],
      ['Handle item', 'end:Process each item'],
      ['Call the broken service', 'Wait for approval'],
      ['Done', 'end:'],
    ]) {
      expect({ from, to, taken: view.takenEdges.has(edgeKey(from!, to!)) }).toEqual({ from, to, taken: true });
    }
    expect(view.takenEdges.has(edgeKey('Is it urgent?', 'Process each item'))).toBe(false);
  });

  it('shows a waiting state as running, and the state that ended a failed execution as failed', async () => {
    // Prepare
    const run = await startUntilApproval(service, { urgent: false }, 'rejected');

    // Act: while it waits
    const waiting = await viewOf(run.executionArn);

    // Assess
    expect(waiting.data.execution.status).toBe('RUNNING');
    expect(waiting.view.states.get('Wait for approval')!.status).toBe('running');
    expect(waiting.view.states.get('Done')!.status).toBe('not-taken');

    // Act: the approval is rejected
    service.runtime.tokens.sendTaskFailure(run.token, 'ApprovalRejectedError', 'not today');
    await run.done;
    const failed = await viewOf(run.executionArn);

    // Assess
    const approval = failed.view.states.get('Wait for approval')!;
    expect([approval.status, approval.runs[0]!.error, approval.runs[0]!.cause]).toEqual([
      'failed',
      'ApprovalRejectedError',
      'not today',
    ]);
  });
});
