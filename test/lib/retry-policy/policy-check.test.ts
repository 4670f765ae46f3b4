import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AslStates, checkRetryPolicy, integrationOf, type PolicyRule } from '../../../lib/retry-policy';
import { validateAsl } from '../../state-machines/asl-fixtures';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'retry-policy');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.asl.json`), 'utf8')) as AslStates;
const check = (
  name: string,
  declared: { idempotentTasks?: Record<string, string>; handledOutcomes?: Record<string, string> } = {},
) => checkRetryPolicy(fixture(name), { file: `${name}.asl.json`, ...declared }).map(({ state, rule }) => [state, rule]);

describe('the retry policy check', () => {
  it('passes a definition that follows every rule, which is valid ASL', () => {
    expect(validateAsl(fixture('valid')).isValid).toBe(true);
    expect(check('valid')).toEqual([]);
  });

  it.each<[string, [string, PolicyRule][]]>([
    ['retry-preset', [['Read the item', 'retry-preset']]],
    [
      'jitter-and-cap',
      [
        ['Read the item', 'jitter-and-cap'],
        ['Read the item', 'retry-preset'],
      ],
    ],
    ['transient-retry', [['Record the failure', 'transient-retry']]],
    ['lambda-service-retry', [['Process each item > Call the handler', 'lambda-service-retry']]],
    ['catch-all', [['Read the item', 'catch-all']]],
    ['catch-swallowed', [['Read the item', 'catch-all']]],
    [
      'no-retry-all-on-non-idempotent',
      [
        ['Read the item', 'retry-preset'],
        ['Record the failure', 'retry-preset'],
        ['Record the failure', 'no-retry-all-on-non-idempotent'],
      ],
    ],
    ['no-retry-terminal', [['Process each item', 'no-retry-terminal']]],
    ['fail-named', [['Processing failed', 'fail-named']]],
  ])('finds what breaks %s, naming the state', (name, expected) => {
    expect(validateAsl(fixture(name)).isValid).toBe(true);
    expect(check(name)).toEqual(expected);
  });

  it('says what a retrier lacks to be its closest preset, and names the file', () => {
    const [violation] = checkRetryPolicy(fixture('retry-preset'), { file: 'retry-preset.asl.json' });

    expect(violation).toEqual({
      file: 'retry-preset.asl.json',
      state: 'Read the item',
      rule: 'retry-preset',
      message:
        'retrier 3 (DynamoDB.InternalServerErrorException) is not a retry preset. Closest is ' +
        '"dynamodb-service-errors", which needs MaxAttempts 3 (is 9).',
    });
  });

  it('lets a Task declared idempotent retry States.ALL, and flags a declaration of no Task', () => {
    const idempotentTasks = { 'Record the failure': 'writes one fixed key' };
    expect(check('no-retry-all-on-non-idempotent', { idempotentTasks })).toEqual([
      ['Read the item', 'retry-preset'],
      ['Record the failure', 'retry-preset'],
    ]);
    expect(check('valid', { idempotentTasks: { 'Save the report': 'a typo' } })).toEqual([
      ['Save the report', 'declaration'],
    ]);
  });

  it('accepts a catch into a declared handled outcome (a helper answering its caller), and flags a stale one', () => {
    expect(
      check('catch-swallowed', { handledOutcomes: { 'Ignore the failure': 'the caller reads the answer' } }),
    ).toEqual([]);
    expect(check('valid', { handledOutcomes: { 'Answer the caller': 'renamed since' } })).toEqual([
      ['Answer the caller', 'declaration'],
    ]);
  });

  it('refuses a preset of another integration', () => {
    const definition = fixture('valid');
    const readItem = definition.States['Read the item']!;
    const lambdaPreset =
      fixture('valid').States['Process each item']!.ItemProcessor!.States['Call the handler']!.Retry!;
    Object.assign(readItem, { Retry: [...readItem.Retry!, lambdaPreset[0]] });

    expect(checkRetryPolicy(definition, { file: 'x' })).toEqual([
      expect.objectContaining({
        state: 'Read the item',
        rule: 'retry-preset',
        message: expect.stringContaining(
          'is preset "lambda-service-errors", which is for lambda; this Task calls dynamodb',
        ),
      }),
    ]);
  });

  it.each([
    ['arn:aws:states:::lambda:invoke', 'lambda'],
    ['arn:aws:states:::lambda:invoke.waitForTaskToken', 'lambda'],
    ['arn:aws:lambda:eu-west-1:123456789012:function:reconcile', 'lambda'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder standing for a function ARN
    ['${ReconcileInventoryFunctionArn}', 'lambda'],
    ['arn:aws:states:::dynamodb:putItem', 'dynamodb'],
    ['arn:aws:states:::aws-sdk:rds:describeDBInstances', 'aws-sdk:rds'],
    ['arn:aws:states:::aws-sdk:sfn:startSyncExecution', 'aws-sdk:sfn'],
    ['arn:aws:states:::states:startExecution.sync:2', 'states'],
    ['arn:aws:states:::events:putEvents', 'events'],
  ])('reads the integration of %s as %s', (resource, integration) => {
    expect(integrationOf(resource)).toBe(integration);
  });
});
