/**
 * The retry-rate metric filters every workflow gets: what they synthesize to, and that the events they
 * count give the same rate as the local trace's retry summary for a run with retries.
 */
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AslStateMachine } from '../../lib/constructs/asl-state-machine';
import { VirtualClock } from '../../local/clock';
import { LocalRuntime } from '../../local/runtime';
import { retrySummary } from '../../local/stepfunctions/retry-summary';
import { scratchStack, tempFile } from '../helpers/cdk';
import { captureOutput } from '../helpers/lambda';
import { testFunction, testMachine, testModel, testTable } from '../helpers/local-runtime';

const DEFINITION = {
  StartAt: 'Call the traced task',
  States: {
    'Call the traced task': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:traced-task',
        Payload: { 'id.$': '$.id', 'failTimes.$': '$.failTimes' },
      },
      Retry: [{ ErrorEquals: ['ThrottledError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      End: true,
    },
  },
};

function synthesize() {
  const stack = scratchStack();
  const machine = new AslStateMachine(stack, 'Traced', {
    name: 'traced',
    definitionFile: tempFile('traced.asl.json', JSON.stringify(DEFINITION)),
    substitutions: {},
  });
  return { machine, template: Template.fromStack(stack) };
}

/**
 * The `type` values a `{ $.type = "A" }` or `{ ($.type = "A") || ($.type = "B") }` pattern matches; any
 * other pattern fails the test (this reads only the two shapes the construct synthesizes).
 */
function typesMatchedBy(pattern: string): string[] {
  const types = [...pattern.matchAll(/\$\.type = "([A-Za-z]+)"/g)].map((match) => match[1]!);
  const expected =
    types.length === 1
      ? `{ $.type = "${types[0]}" }`
      : `{ ${types.map((type) => `($.type = "${type}")`).join(' || ')} }`;
  expect(pattern).toBe(expected);
  return types;
}

describe('workflow retry metrics', () => {
  it('count task attempts and task entries from the state machine log group, one namespace per workflow', () => {
    const { template } = synthesize();

    const logGroups = template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') },
    });
    const [logGroupId] = Object.keys(logGroups);
    expect(Object.keys(logGroups)).toHaveLength(1);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroupId },
      FilterPattern:
        '{ ($.type = "TaskScheduled") || ($.type = "LambdaFunctionScheduled") || ($.type = "ActivityScheduled") }',
      MetricTransformations: [
        { MetricNamespace: 'RdsOps/Workflows/traced', MetricName: 'TaskAttempts', MetricValue: '1' },
      ],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroupId },
      FilterPattern: '{ $.type = "TaskStateEntered" }',
      MetricTransformations: [
        { MetricNamespace: 'RdsOps/Workflows/traced', MetricName: 'TaskStateEntries', MetricValue: '1' },
      ],
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('give the retry rate the local trace reports, as a percentage by metric math', async () => {
    const { machine, template } = synthesize();
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((resource) => ({
      metric: resource.Properties.MetricTransformations[0].MetricName as string,
      types: typesMatchedBy(resource.Properties.FilterPattern as string),
    }));
    captureOutput();
    const fixture = path.join(__dirname, '..', 'fixtures', 'handlers', 'traced-task.ts');
    const runtime = await LocalRuntime.start({
      model: testModel({
        tables: [testTable('fixture-table')],
        stateMachines: [testMachine('traced', DEFINITION)],
        functions: [testFunction('traced-task', fixture, { FIXTURE_TABLE: 'fixture-table' })],
      }),
      clock: new VirtualClock(),
    });
    try {
      const execution = await runtime.execute('traced', { id: 'a', failTimes: 2 });
      // What the vended logs carry: the execution history, one event per line, `type` as in the history API.
      const events = runtime
        .stateMachine('traced')
        .historyOf(execution)
        .map((event) => event.type);
      const counted = (metric: string) =>
        events.filter((type) => filters.find((filter) => filter.metric === metric)!.types.includes(type)).length;
      const attempts = counted('TaskAttempts');
      const entries = counted('TaskStateEntries');

      expect([attempts, entries]).toEqual([3, 1]);
      expect((attempts - entries) / attempts).toBe(retrySummary(execution.trace).retryRate);
      expect(machine.retryMetrics.retryRatePercent.expression).toBe(
        'IF(attempts > 0, 100 * (attempts - entries) / attempts, 0)',
      );
      expect(Object.keys(machine.retryMetrics.retryRatePercent.usingMetrics).sort()).toEqual(['attempts', 'entries']);
    } finally {
      await runtime.stop();
      jest.restoreAllMocks();
    }
  });
});
