import { StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { CLOCK_FIRST_YEAR, CLOCK_LAST_YEAR, clockStates } from '../../lib/circuit-breaker';

const definition = {
  StartAt: 'Read',
  States: {
    ...clockStates({ readName: 'Read', convertName: 'Convert', resultPath: '$.clock', next: 'Done', comment: 'test' }),
    Done: { Type: 'Succeed' },
  },
};

let instant = 0;
const clock = { now: () => instant, sleep: async () => {}, setTimer: () => () => {}, track: <T>(p: Promise<T>) => p };
// One instance: validating a definition costs ~60 ms.
const machine = new StateMachine(definition as never, { clock } as never);

async function aslNow(epochMs: number): Promise<number> {
  instant = epochMs;
  const output = (await machine.run({}).result) as { clock: { now: number } };
  return output.clock.now;
}

describe('ASL clock', () => {
  it('turns $$.State.EnteredTime into the epoch second, across the whole table range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: Date.UTC(CLOCK_FIRST_YEAR, 0, 1), max: Date.UTC(CLOCK_LAST_YEAR, 11, 31, 23, 59, 59, 999) }),
        async (epochMs) => {
          expect(await aslNow(epochMs)).toBe(Math.floor(epochMs / 1000));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is exact on leap days and year ends', async () => {
    for (const iso of ['2028-02-29T12:00:00.000Z', '2028-03-01T00:00:00.000Z', '2030-12-31T23:59:59.999Z']) {
      expect(await aslNow(Date.parse(iso))).toBe(Math.floor(Date.parse(iso) / 1000));
    }
  });

  it('nests at most 10 intrinsic functions per field, as Step Functions requires', () => {
    for (const state of Object.values(definition.States) as { Parameters?: Record<string, unknown> }[]) {
      for (const value of Object.values(state.Parameters ?? {})) {
        if (typeof value !== 'string') continue;
        let depth = 0;
        let deepest = 0;
        for (const match of value.matchAll(/States\.[A-Za-z]+\(|\)/g)) {
          depth += match[0] === ')' ? -1 : 1;
          deepest = Math.max(deepest, depth);
        }
        expect(deepest).toBeLessThanOrEqual(10);
      }
    }
  });
});
