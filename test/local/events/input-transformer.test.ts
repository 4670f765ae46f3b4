import { InvalidInputTransformerError } from '../../../local/events/errors';
import { transformTargetInput, validateRuleTargetInput } from '../../../local/events/input-transformer';
import type { EventBridgeEvent, RuleTargetInput } from '../../../local/events/types';

/** The example event of "Amazon EventBridge input transformation". */
const event: EventBridgeEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', size: 3, tags: { team: 'ops' } },
};
const rule = { name: 'example', arn: 'arn:aws:events:us-east-2:123456789012:rule/example' };
const pathsMap = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };

function transform(target: RuleTargetInput, options = {}): unknown {
  return transformTargetInput(target, event, rule, options);
}

function template(InputTemplate: string, InputPathsMap: Record<string, string> = pathsMap): RuleTargetInput {
  return { InputTransformer: { InputPathsMap, InputTemplate } };
}

function rejection(target: RuleTargetInput): InvalidInputTransformerError {
  try {
    validateRuleTargetInput(target);
  } catch (error) {
    if (error instanceof InvalidInputTransformerError) return error;
    throw error;
  }
  throw new Error('expected the target input to be rejected');
}

describe('transformTargetInput', () => {
  it('sends the whole event when no input option is set', () => {
    // Act
    const input = transform({});

    // Assess
    expect(input).toBe(event);
  });

  it('sends the parsed constant of Input', () => {
    // Act
    const input = transform({ Input: '{"action":"check","limit":5}' });

    // Assess
    expect(input).toEqual({ action: 'check', limit: 5 });
  });

  it.each([
    ['$.detail', event.detail],
    ['$.detail.instance-id', 'i-0123456789'],
    ["$.detail['instance-id']", 'i-0123456789'],
    ['$.resources[0]', event.resources[0]],
    ['$.detail.tags.*', ['ops']],
    ['$', event],
    ['$.detail.nope', null],
  ])('InputPath %s selects that part of the event (null when it is missing)', (path, expected) => {
    // Act
    const input = transform({ InputPath: path });

    // Assess
    expect(input).toEqual(expected);
  });

  it('quotes string variables outside JSON strings ("Simple JSON" example)', () => {
    // Act
    const input = transform(template('{"instance" : <instance>, "state": <state>}'));

    // Assess
    expect(input).toEqual({ instance: 'i-0123456789', state: 'RUNNING' });
  });

  it('inserts values raw inside JSON strings ("JSON with strings and variables" example)', () => {
    // Act
    const input = transform(
      template(
        '{"instance": <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}',
      ),
    );

    // Assess
    expect(input).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      instanceStatus: 'instance "i-0123456789" is in RUNNING',
    });
  });

  it('yields a string for a quoted-string template ("Simple string" example)', () => {
    // Act
    const input = transform(template('"instance <instance> is in <state>"'));

    // Assess
    expect(input).toBe('instance i-0123456789 is in RUNNING');
  });

  it('inserts numbers and objects as JSON outside strings, and numbers raw inside them', () => {
    // Act
    const input = transform(
      template('{"size": <size>, "tags": <tags>, "text": "size=<size>"}', {
        size: '$.detail.size',
        tags: '$.detail.tags',
      }),
    );

    // Assess
    expect(input).toEqual({ size: 3, tags: { team: 'ops' }, text: 'size=3' });
  });

  it('does not escape an object inserted inside a string, so the target gets text', () => {
    // Act
    const input = transform(template('{"text": "tags=<tags>"}', { tags: '$.detail.tags' }));

    // Assess
    expect(input).toBe('{"text": "tags={"team":"ops"}"}');
  });

  it('renders a path that matches nothing as null outside strings and as nothing inside them', () => {
    // Act
    const input = transform(template('{"missing": <gone>, "text": "[<gone>]"}', { gone: '$.detail.nope' }));

    // Assess
    expect(input).toEqual({ missing: null, text: '[]' });
  });

  it('fills every reserved variable', () => {
    // Act
    const input = transform(
      template(
        '{"arn": <aws.events.rule-arn>, "name": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>, ' +
          '"event": <aws.events.event>, "json": <aws.events.event.json>}',
        {},
      ),
      { ingestionTime: '2015-11-11T21:29:55Z' },
    );

    // Assess
    const { detail: _detail, ...withoutDetail } = event;
    expect(input).toEqual({
      arn: rule.arn,
      name: 'example',
      at: '2015-11-11T21:29:55Z',
      event: withoutDetail,
      json: event,
    });
  });

  it('uses reserved variables inside strings ("Including reserved variables in a string")', () => {
    // Act
    const input = transform(template('"<aws.events.rule-name> triggered at <aws.events.event.ingestion-time>"', {}));

    // Assess
    expect(input).toBe('example triggered at 2015-11-11T21:29:54Z');
  });

  it('hands the target the text itself when the filled template is not JSON', () => {
    // Act
    const plain = transform(template('Instance <instance> is <state>'));
    const brokenByQuote = transformTargetInput(
      template('{"note": <note>}', { note: '$.detail.note' }),
      { ...event, detail: { note: 'say "hi"' } },
      rule,
    );

    // Assess
    expect(plain).toBe('Instance "i-0123456789" is "RUNNING"');
    expect(brokenByQuote).toBe('{"note": "say "hi""}');
  });

  it('leaves placeholders that name no variable alone', () => {
    // Act
    const input = transform(template('"a <b> c <state>"'));

    // Assess
    expect(input).toBe('a <b> c RUNNING');
  });
});

describe('invalid target input', () => {
  it.each([
    ['two input options', { Input: '{}', InputPath: '$.detail' }, 'Input + InputPath', 'mutually exclusive'],
    ['an Input that is not JSON', { Input: '{nope' }, 'Input', 'is not valid JSON'],
    ['an InputPath without $', { InputPath: 'detail.state' }, 'InputPath', 'starting with "$"'],
    ['a broken bracket', { InputPath: '$.detail[abc]' }, 'InputPath', 'unsupported bracket expression'],
    [
      'a reserved variable name',
      template('<aws.x>', { 'aws.x': '$.id' }),
      'InputTransformer.InputPathsMap.aws.x',
      'reserved',
    ],
    ['a bad variable path', template('<x>', { x: 'id' }), 'InputTransformer.InputPathsMap.x', 'JSONPath'],
    ['an empty template', template('', {}), 'InputTransformer.InputTemplate', 'missing or empty'],
    [
      'the raw event inside a string',
      template('"event: <aws.events.event>"', {}),
      'InputTransformer.InputTemplate',
      'inside a JSON string',
    ],
  ])('rejects %s', (_name, target, path, problem) => {
    // Act
    const error = rejection(target as RuleTargetInput);

    // Assess
    expect(error.name).toBe('InvalidInputTransformerError');
    expect(error.path).toBe(path);
    expect(error.message).toContain(problem);
  });
});
