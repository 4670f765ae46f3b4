/**
 * 0, false, "" and null are values like any other on AWS (the developer guide's input and output
 * processing: a path selects whatever is there; Result is the result). The upstream engine treated
 * some as "nothing": a Pass Result of 0 passed its input through, and "$" over a falsy value failed.
 */
import { choose, evaluate, runDefinition } from '../../helpers/run-definition';

const FALSY = [0, false, '', null] as const;

describe.each(FALSY)('the falsy value %j', (value) => {
  it('is a Pass state Result', async () => {
    const outcome = await runDefinition(
      { StartAt: 'P', States: { P: { Type: 'Pass', Result: value, End: true } } },
      { a: 1 },
    );

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: value });
  });

  it('is kept as a static Parameters value and selected by a path', async () => {
    const outcome = await runDefinition(
      { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { static: value, 'byPath.$': '$.v' }, End: true } } },
      { v: value },
    );

    expect(outcome.output).toEqual({ static: value, byPath: value });
  });

  it('is a task result that ResultSelector "$", ResultPath and OutputPath carry', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
            ResultSelector: { 'whole.$': '$' },
            ResultPath: '$.result',
            OutputPath: '$.result.whole',
            End: true,
          },
        },
      },
      {},
      { actions: { 'cloudwatch:putMetricData': async () => value } },
    );

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: value });
  });

  it('is a whole state input that InputPath "$" and a Choice on "$" read', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'Select',
        States: {
          Select: { Type: 'Pass', InputPath: '$.v', Next: 'Decide' },
          Decide: { Type: 'Choice', Choices: [{ Variable: '$', IsPresent: true, Next: 'Done' }] },
          Done: { Type: 'Pass', End: true },
        },
      },
      { v: value },
    );

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: value });
  });

  it('is an item a Map iteration receives and returns', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { items: [value, value] },
    );

    expect(outcome.output).toEqual([value, value]);
  });

  it('goes through States.Array and States.JsonToString unchanged', async () => {
    const array = await evaluate('States.Array($.v)', { v: value });
    const text = await evaluate('States.JsonToString($.v)', { v: value });

    expect(array.output).toEqual([value]);
    expect(text.output).toBe(JSON.stringify(value));
  });
});

describe('falsy values in Choice rules and intrinsics', () => {
  it.each([
    [{ BooleanEquals: false }, false, 'matched'],
    [{ NumericEquals: 0 }, 0, 'matched'],
    [{ StringEquals: '' }, '', 'matched'],
    [{ IsNull: true }, null, 'matched'],
    [{ NumericEquals: 0 }, false, 'default'],
    [{ StringEquals: '' }, null, 'default'],
    [{ BooleanEquals: false }, 0, 'default'],
  ])('%j with %j is %s', async (comparison, value, expected) => {
    const outcome = await choose({ Variable: '$.v', ...comparison }, { v: value });

    expect(outcome.output).toBe(expected);
  });

  it('States.Format prints 0, false, "" and null', async () => {
    const outcome = await evaluate("States.Format('{}|{}|{}|{}', $.z, $.f, $.e, $.n)", {
      z: 0,
      f: false,
      e: '',
      n: null,
    });

    expect(outcome.output).toBe('0|false||null');
  });

  it('States.ArrayContains finds false and 0, and States.ArrayGetItem returns them', async () => {
    const contains = await evaluate('States.ArrayContains($.a, $.f)', { a: [0, false], f: false });
    const item = await evaluate('States.ArrayGetItem($.a, 0)', { a: [0, false] });

    expect([contains.output, item.output]).toEqual([true, 0]);
  });

  it('a Wait of 0 seconds is a wait, not a missing field', async () => {
    const outcome = await runDefinition(
      { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 0, End: true } } },
      { v: 1 },
    );

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: { v: 1 } });
  });

  it('ResultPath "$" replaces the input with the result, even a falsy one', async () => {
    const outcome = await runDefinition(
      { StartAt: 'P', States: { P: { Type: 'Pass', Result: false, ResultPath: '$', End: true } } },
      { v: 1 },
    );

    expect(outcome.output).toBe(false);
  });
});
