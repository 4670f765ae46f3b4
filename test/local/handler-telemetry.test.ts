/**
 * What handlers emit through Powertools shows up locally as it would on AWS: X-Ray subsegments (sent to the
 * local daemon) as spans on the Task's call record, EMF lines as CloudWatch datapoints. This file must not
 * import handlers/shared itself: the handler modules have to be loaded inside the function's environment.
 */
import path from 'node:path';
import { VirtualClock } from '../../local/clock';
import { LocalRuntime } from '../../local/runtime';
import { retrySummary } from '../../local/stepfunctions/retry-summary';
import { captureOutput } from '../helpers/lambda';
import { testFunction, testMachine, testModel, testTable } from '../helpers/local-runtime';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'handlers', 'traced-task.ts');
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:traced-task';

const machine = testMachine('traced', {
  StartAt: 'Call the traced task',
  States: {
    'Call the traced task': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: FUNCTION_ARN,
        Payload: { 'id.$': '$.id', 'failTimes.$': '$.failTimes', 'correlationId.$': '$$.Execution.Id' },
      },
      OutputPath: '$.Payload',
      Retry: [{ ErrorEquals: ['ThrottledError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      End: true,
    },
  },
});

describe('handler telemetry on the local runtime', () => {
  let runtime: LocalRuntime;

  beforeEach(async () => {
    captureOutput();
    runtime = await LocalRuntime.start({
      model: testModel({
        tables: [testTable('fixture-table')],
        stateMachines: [machine],
        functions: [
          testFunction('traced-task', FIXTURE, { FIXTURE_TABLE: 'fixture-table', POWERTOOLS_SERVICE_NAME: 'fixture' }),
        ],
      }),
      clock: new VirtualClock(),
    });
  });
  afterEach(async () => {
    await runtime.stop();
    jest.restoreAllMocks();
  });

  it('shows each attempt as X-Ray spans under one execution trace, with the handler annotations', async () => {
    const execution = await runtime.execute('traced', { id: 'a', failTimes: 2 });
    const attempts = execution.calls.map((call) => call.telemetry!);

    expect(execution.status).toBe('SUCCEEDED');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((attempt) => attempt.spans[0]?.traceId)).size).toBe(1);
    for (const [index, attempt] of attempts.entries()) {
      const failed = index < 2;
      const functionSegment = attempt.spans.find((span) => span.origin === 'AWS::Lambda::Function')!;
      const handlerSpan = attempt.spans.find((span) => span.name === '## traced-task')!;
      const dynamoSpan = attempt.spans.find((span) => span.name === 'DynamoDB')!;

      expect(attempt.overlapped).toBe(false);
      expect(attempt.traceHeader).toBe(`Root=${functionSegment.traceId};Parent=${functionSegment.id};Sampled=1`);
      expect(functionSegment).toMatchObject({ name: 'traced-task', fault: failed });
      expect(handlerSpan).toMatchObject({
        parentId: functionSegment.id,
        fault: failed,
        annotations: {
          correlationId: execution.executionArn,
          table: 'fixture-table',
          circuit: 'fixture-dependency',
          Service: 'fixture',
          ColdStart: index === 0,
        },
      });
      if (failed) expect(handlerSpan.exceptions).toEqual([expect.objectContaining({ type: 'ThrottledError' })]);
      expect(dynamoSpan).toMatchObject({
        parentId: handlerSpan.id,
        namespace: 'aws',
        aws: expect.objectContaining({ operation: 'UpdateItem', table_name: 'fixture-table' }),
      });
    }
  });

  it('turns the EMF lines of failed attempts into CloudWatch datapoints, and counts retries per state', async () => {
    const execution = await runtime.execute('traced', { id: 'b', failTimes: 2 });

    const stats = runtime.services.cloudwatch.getMetricStatistics({
      Namespace: 'RdsOps/Handlers',
      MetricName: 'HandlerErrors',
      Dimensions: [
        { Name: 'service', Value: 'fixture' },
        { Name: 'ErrorName', Value: 'ThrottledError' },
      ],
      StartTime: Date.parse(execution.startDate),
      EndTime: Date.parse(execution.stopDate!) + 1,
      Period: 3600,
      Statistics: ['Sum'],
    });
    expect(stats.Datapoints).toEqual([expect.objectContaining({ Sum: 2, Unit: 'Count' })]);
    expect(execution.calls.map((call) => call.telemetry!.metrics.length)).toEqual([1, 1, 0]);
    expect(retrySummary(execution.trace)).toEqual({
      states: [
        {
          state: 'Call the traced task',
          entries: 1,
          attempts: 3,
          retries: 2,
          retriedErrors: { ThrottledError: 2 },
        },
      ],
      taskAttempts: 3,
      retries: 2,
      retryRate: 2 / 3,
    });
  });

  it('keeps the EMF lines out of the terminal and lets the log lines through', async () => {
    const output = captureOutput();

    await runtime.execute('traced', { id: 'c', failTimes: 1 });

    expect(output.emf()).toEqual([]);
    expect(output.logs().map((line) => line.message)).toEqual([
      'traced-task failed with ThrottledError',
      'fixture done',
    ]);
  });

  it('flags invocations that overlapped in the process, whose spans the shared X-Ray SDK may mix', async () => {
    const [first, second] = await Promise.all([
      runtime.execute('traced', { id: 'd', failTimes: 0 }),
      runtime.execute('traced', { id: 'e', failTimes: 0 }),
    ]);

    expect([first.calls[0]!.telemetry!.overlapped, second.calls[0]!.telemetry!.overlapped]).toEqual([true, true]);
    expect(runtime.functions.invocations.map((invocation) => invocation.outcome)).toEqual(['succeeded', 'succeeded']);
  });
});
