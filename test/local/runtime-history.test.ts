import { VirtualClock } from '../../local/clock';
import { LocalRuntime } from '../../local/runtime';
import { testMachine, testModel } from '../helpers/local-runtime';

describe('execution history', () => {
  it('keeps only the most recent executions, so a long run does not grow without bound', async () => {
    const noop = testMachine('noop', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } });
    const runtime = await LocalRuntime.start({
      model: testModel({ stateMachines: [noop] }),
      clock: new VirtualClock(),
      executionHistoryLimit: 3,
    });

    for (const name of ['a', 'b', 'c', 'd', 'e']) await runtime.execute('noop', {}, name);
    await runtime.stop();

    expect(runtime.executions.map((execution) => execution.name)).toEqual(['c', 'd', 'e']);
  });
});
