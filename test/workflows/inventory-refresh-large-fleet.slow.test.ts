/**
 * inventory-refresh above the fleet size that used to hit the 25,000-event history cap (3,045 instances,
 * when every instance was saved by its own states): 156 pages on the synthesized app, each page saved by one
 * `save-inventory-page` execution, 25 history events per page. Slow: it runs 156 breaker handshakes.
 */
import { VirtualClock } from '../../local/clock';
import { LocalRuntime } from '../../local/runtime';
import { seedFleet } from '../../local/services';
import { parseDefinition } from '../../local/stepfunctions/definition';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';

const OLD_LIMIT = 3045;
const EVENTS_PER_PAGE = 25;
const EVENTS_ONCE = 14;

/** The page saver replaced by one Pass: what the refresh's own history sees of it is the same Task. */
const countingSaver = parseDefinition({
  StartAt: 'Count the page',
  States: {
    'Count the page': { Type: 'Pass', Parameters: { 'saved.$': 'States.ArrayLength($.instances)' }, End: true },
  },
});

function withCountingSaver(app: AppModel): AppModel {
  return {
    ...app,
    stateMachines: app.stateMachines.map((machine) =>
      machine.workflow === 'save-inventory-page' ? { ...machine, definition: countingSaver } : machine,
    ),
  };
}

let runtime: LocalRuntime | undefined;

afterEach(async () => {
  await runtime?.stop();
});

it(`completes a refresh of a fleet above the old limit of ${OLD_LIMIT} instances, far below the cap`, async () => {
  // Prepare
  const fleet = OLD_LIMIT + 55;
  const pages = Math.ceil(fleet / 20);
  runtime = await LocalRuntime.start({
    model: withCountingSaver(loadAppModel()),
    clock: new VirtualClock(),
    handlerLogLevel: 'SILENT',
    fleet: seedFleet({ seed: 1, count: fleet }),
  });

  // Act
  const execution = await runtime.execute('inventory-refresh', { trigger: 'manual' });

  // Assess
  expect({ status: execution.status, error: execution.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
  expect(execution.output).toEqual(
    expect.objectContaining({ refresh: expect.objectContaining({ pages, instancesSeen: fleet }) }),
  );
  expect(execution.historyEventCount).toBe(EVENTS_ONCE + EVENTS_PER_PAGE * pages);
});
