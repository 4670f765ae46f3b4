import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import fc from 'fast-check';
import { CLOCK_FIRST_YEAR, CLOCK_LAST_YEAR, clockTables } from '../../lib/circuit-breaker';

const breaker = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'state-machines', 'circuit-breaker.asl.json'), 'utf8'),
) as { States: Record<string, { Parameters?: Record<string, unknown>; Next?: string }> };
const read = breaker.States['Read the clock']!;
const convert = breaker.States['Convert the clock']!;

// The breaker's two clock states as they are in the file, ending in a Succeed.
const definition = {
  StartAt: 'Read the clock',
  States: {
    'Read the clock': read,
    'Convert the clock': { ...convert, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
const deadlines = { N: '0' };
const input = {
  read: { Item: { openUntil: deadlines, probeLeaseUntil: deadlines, windowEndsAt: deadlines, openCount: deadlines } },
  circuit: { settings: { openTimeoutLadder: [60, 120] } },
};

let instant = 0;
const clock = { now: () => instant, sleep: async () => {}, setTimer: () => () => {}, track: <T>(p: Promise<T>) => p };
// One instance: validating a definition costs ~60 ms.
const machine = new StateMachine(definition as never, { clock } as never);

async function aslNow(epochMs: number): Promise<number> {
  instant = epochMs;
  const output = (await machine.run(input).result) as { clock: { now: number } };
  return output.clock.now;
}

describe('the breaker clock', () => {
  it('carries the calendar tables the clock module computes', () => {
    expect(read.Next).toBe('Convert the clock');
    expect(read.Parameters?.tables).toEqual(clockTables());
  });

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

  it('nests at most 10 intrinsic functions per field, as Step Functions requires (every breaker state)', () => {
    const fields = Object.values(breaker.States).flatMap(
      (state) => JSON.stringify(state).match(/"States\.[A-Za-z]+\((?:[^"\\]|\\.)*"/g) ?? [],
    );
    expect(fields.length).toBeGreaterThan(20);
    for (const field of fields) {
      let depth = 0;
      let deepest = 0;
      // Parentheses inside quoted literals ('... ({}) ...') are text, not nesting.
      for (const match of field.replace(/'(?:[^'\\]|\\.)*'/g, "''").matchAll(/States\.[A-Za-z]+\(|\)/g)) {
        depth += match[0] === ')' ? -1 : 1;
        deepest = Math.max(deepest, depth);
      }
      expect({ field: field.slice(0, 80), tooDeep: deepest > 10 }).toEqual({
        field: field.slice(0, 80),
        tooDeep: false,
      });
    }
  });
});
