/**
 * Conformance of the local engine to behaviour recorded against AWS, one describe per family. Sources
 * (see docs/local-runtime.md, "Conformance tests"): the AWS Step Functions developer guide's examples and
 * the snapshot files of LocalStack's parity suite, which are recorded against AWS (`*.snapshot.json` under
 * tests/aws/services/stepfunctions/v2: intrinsic_functions, choice_operators, base, error_handling).
 */
import { choose, evaluate, runDefinition } from '../../helpers/run-definition';

describe('States.StringSplit (recorded: test_string_operations)', () => {
  it.each([
    ['1,2,3,4,5', ',', ['1', '2', '3', '4', '5']],
    ['This.is+a,test=string', '.+,=', ['This', 'is', 'a', 'test', 'string']],
    ['split on T and \nnew line', 'T\n', ['split on ', ' and ', 'new line']],
    [' , ', ',', [' ', ' ']],
    [', , ,', ',', [' ', ' ']],
    [',,,,', ',', []],
    [' ', ',', [' ']],
  ])('splits %j on each character of %j, dropping empty pieces', async (text, delimiter, pieces) => {
    const outcome = await evaluate('States.StringSplit($.text, $.delimiter)', { text, delimiter });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: pieces });
  });
});

describe('States.MathAdd (recorded: test_math_operations)', () => {
  it.each([
    [-9, 3, -6],
    [1.49, 1.5, 3],
    [1.5, 1.51, 4],
    [-1.49, -1.5, -2],
    [-1.5, -1.51, -3],
    [1.49, -1.49, 0],
    [0.5, 0, 1],
    [2.5, 0, 3],
    [-0.5, 0, 0],
    [-1.5, 0, -1],
    [-2.5, 0, -2],
    [-0.5, 0.5, 1],
  ])('rounds each argument half up before adding: %d + %d = %d', async (first, second, sum) => {
    const outcome = await evaluate('States.MathAdd($.first, $.second)', { first, second });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: sum });
  });
});

describe('States.StringToJson (recorded: test_json_manipulation)', () => {
  it.each([
    ['', null],
    [' ', null],
    ['null', null],
    ['-0', 0],
    ['1.1', 1.1],
    ['"HelloWorld"', 'HelloWorld'],
    ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }],
  ])('parses %j as %j', async (text, value) => {
    const outcome = await evaluate('States.StringToJson($.text)', { text });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: value });
  });

  it('fails the execution with States.Runtime on text that is not JSON', async () => {
    const outcome = await evaluate('States.StringToJson($.text)', { text: '{nope' });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('States.Format (recorded: test_generic; escapes from the developer guide)', () => {
  it.each([
    [{ Arg1: 1, Arg2: [] }, 'fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.'],
    ['{"Arg1": 1, "Arg2": []}', 'fst={"Arg1": 1, "Arg2": []} and snd={"Arg1": 1, "Arg2": []}.'],
    [null, 'fst=null and snd=null.'],
    [1.1, 'fst=1.1 and snd=1.1.'],
    ['', 'fst= and snd=.'],
  ])('prints %j as AWS does', async (value, text) => {
    const outcome = await evaluate("States.Format('fst={} and snd={}.', $.fst, $.snd)", { fst: value, snd: value });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: text });
  });

  it('prints nested arrays and objects without quotes, elements separated by ", "', async () => {
    const outcome = await evaluate("States.Format('{}', $.value)", { value: [1, 'x', { a: [true, null] }] });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: '[1, x, {a=[true, null]}]' });
  });

  it("keeps escaped braces literal and unescapes \\' (reserved characters)", async () => {
    const outcome = await evaluate(String.raw`States.Format('\{\} {} \'q\'', $.value)`, { value: 'v' });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: "{} v 'q'" });
  });

  it('fails the execution on an open escape backslash', async () => {
    const outcome = await evaluate(String.raw`States.Format('a\b')`);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('Choice type tests written with false (recorded: test_is_operators)', () => {
  // [operator, a value the test is true for, a value it is false for]
  it.each([
    ['IsBoolean', false, 0],
    ['IsNull', null, 0],
    ['IsNumeric', 0, '0'],
    ['IsString', '', null],
    ['IsTimestamp', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55'],
  ])('%s: false matches exactly the values %s: true does not', async (operator, typed, untyped) => {
    const whenTrue = await choose({ Variable: '$.value', [operator]: false }, { value: typed });
    const whenFalse = await choose({ Variable: '$.value', [operator]: false }, { value: untyped });

    expect(whenTrue.output).toBe('default');
    expect(whenFalse.output).toBe('matched');
  });

  it('IsPresent: false matches a missing field and not a null one', async () => {
    const missing = await choose({ Variable: '$.value', IsPresent: false }, {});
    const present = await choose({ Variable: '$.value', IsPresent: false }, { value: null });

    expect(missing.output).toBe('matched');
    expect(present.output).toBe('default');
  });
});

describe('Choice comparisons are typed (recorded: test_numeric, test_timestamp_operators)', () => {
  it.each([
    [{ NumericLessThan: 1 }, null],
    [{ NumericLessThan: 1 }, '0'],
    [{ NumericGreaterThanEquals: 0 }, false],
    [{ StringLessThan: 'b' }, 1],
    [{ TimestampEquals: '1970-01-01T00:00:00Z' }, 0],
    [{ StringMatches: '*' }, 5],
  ])('%j never matches %j', async (comparison, value) => {
    const outcome = await choose({ Variable: '$.value', ...comparison }, { value });

    expect(outcome.output).toBe('default');
  });

  it('StringMatches treats \\* as a literal star', async () => {
    const literal = await choose(
      { Variable: '$.value', StringMatches: String.raw`log-\*.txt` },
      { value: 'log-*.txt' },
    );
    const wildcard = await choose(
      { Variable: '$.value', StringMatches: String.raw`log-\*.txt` },
      { value: 'log-1.txt' },
    );

    expect([literal.output, wildcard.output]).toEqual(['matched', 'default']);
  });
});

describe('JSONPath wildcards and slices over missing data (Jayway semantics, as AWS)', () => {
  it.each(['$.items[*].id', '$.items[0:2]', '$..id', '$.items[?(@.id)]'])(
    'Parameters %s over an input without items gives an empty list',
    async (path) => {
      const outcome = await evaluate(path, { other: 1 });

      expect(outcome).toEqual({ status: 'SUCCEEDED', output: [] });
    },
  );

  it('a wildcard matching one value still gives a list', async () => {
    const outcome = await evaluate('$.items[*].id', { items: [{ id: 7 }] });

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: [7] });
  });

  it('a definite path to a missing field still fails with States.Runtime', async () => {
    const outcome = await evaluate('$.items[0].id', {});

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('Fail states (recorded: test_base test_state_fail_*)', () => {
  it('takes ErrorPath and CausePath as intrinsic functions', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'Fail',
        States: {
          Fail: {
            Type: 'Fail',
            ErrorPath: "States.Format('{}', $.Error)",
            CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
          },
        },
      },
      { Error: 'error string', Cause: 'cause string' },
    );

    expect(outcome).toEqual({
      status: 'FAILED',
      error: 'error string',
      cause: 'This is a custom error message for error string, caused by cause string.',
    });
  });

  it('reports no error name and no cause when the Fail state gives none', async () => {
    const outcome = await runDefinition({ StartAt: 'Fail', States: { Fail: { Type: 'Fail' } } });

    expect(outcome).toEqual({ status: 'FAILED' });
  });
});

describe('Wait beyond the longest AWS allows (AWS quota: one year; Express runs into its 5-minute duration instead, see runtime-sync-execution)', () => {
  const waitFor = (field: object) => ({ StartAt: 'Wait', States: { Wait: { Type: 'Wait', ...field, End: true } } });

  it('fails a Standard execution whose wait is longer than a year', async () => {
    const outcome = await runDefinition(waitFor({ SecondsPath: '$.seconds' }), { seconds: 365 * 24 * 3600 + 1 });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('fails a Standard execution whose timestamp is more than a year ahead', async () => {
    const outcome = await runDefinition(waitFor({ TimestampPath: '$.until' }), { until: '2999-01-01T00:00:00Z' });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('lets a Standard execution wait a year exactly', async () => {
    const outcome = await runDefinition(waitFor({ Seconds: 365 * 24 * 3600 }));

    expect(outcome.status).toBe('SUCCEEDED');
  });

  it('accepts a timestamp with nanoseconds (recorded: test_wait_timestamp NANOSECONDS)', async () => {
    const outcome = await runDefinition(waitFor({ Timestamp: '2016-03-05T21:29:29.243167252Z' }));

    expect(outcome.status).toBe('SUCCEEDED');
  });
});

describe('other intrinsics against the developer guide and recordings', () => {
  it.each([
    ['States.JsonToString($.value)', { value: { s: 'say "hi"' } }, '{"s":"say \\"hi\\""}'],
    ['States.Base64Decode(States.Base64Encode($.value))', { value: 'héllo ✓' }, 'héllo ✓'],
    ["States.Base64Encode('Data to encode')", {}, 'RGF0YSB0byBlbmNvZGU='],
    [
      "States.Hash('héllo', 'SHA-256')",
      {},
      '3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179', // sha256 of the UTF-8 bytes
    ],
    ['States.JsonMerge($.a, $.b, false)', { a: { x: { y: 1 }, k: 1 }, b: { x: { z: 2 } } }, { x: { z: 2 }, k: 1 }],
    [
      "States.Array('Foo', 2022, $.someJson, null)",
      { someJson: { random: 'abcdefg' } },
      ['Foo', 2022, { random: 'abcdefg' }, null],
    ],
    ['States.MathRandom($.bound, $.bound)', { bound: 1.4 }, 1],
  ])('%s', async (expression, input, value) => {
    const outcome = await evaluate(expression, input);

    expect(outcome).toEqual({ status: 'SUCCEEDED', output: value });
  });

  it('States.JsonMerge leaves the state input unchanged', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'Merge',
        States: {
          Merge: {
            Type: 'Pass',
            Parameters: { 'merged.$': 'States.JsonMerge($.a, $.b, false)', 'a.$': '$.a' },
            End: true,
          },
        },
      },
      { a: { x: 1 }, b: { y: 2 } },
    );

    expect(outcome.output).toEqual({ merged: { x: 1, y: 2 }, a: { x: 1 } });
  });
});
