import fc from 'fast-check';
import { VirtualClock } from '../../../local/clock';
import { parseFaultPlan } from '../../../local/faults/fault-plan';
import type { TraceEvent } from '../../../local/stepfunctions/trace';
import { startTestRuntime, testMachine } from '../../helpers/local-runtime';

const ALWAYS_THROTTLED = parseFaultPlan({
  seed: 7,
  faults: [{ target: { state: 'List RDS instances' }, error: 'Rds.RdsException', cause: 'Rate exceeded', rate: 1 }],
});

function retryingMachine(retrier: Record<string, unknown>) {
  return testMachine('retrying', {
    StartAt: 'List RDS instances',
    States: {
      'List RDS instances': {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
        Retry: [{ ErrorEquals: ['Rds.RdsException'], ...retrier }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RDS API unavailable' }],
        End: true,
      },
      'RDS API unavailable': { Type: 'Fail', Error: 'DependencyUnavailableError', Cause: 'RDS API kept throttling' },
    },
  });
}

function failureTimes(trace: readonly TraceEvent[], state: string): number[] {
  return trace
    .filter((event) => event.type === 'StateFailed' && event.state === state)
    .map((event) => Date.parse(event.at));
}

function retryDelays(trace: readonly TraceEvent[]): number[] {
  return trace.flatMap((event) => (event.type === 'StateRetried' ? [event.delayMs] : []));
}

describe('Retry on the virtual clock', () => {
  it('waits IntervalSeconds x BackoffRate^n, capped by MaxDelaySeconds, then takes the Catch', async () => {
    const { runtime } = await startTestRuntime(
      { stateMachines: [retryingMachine({ IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4, MaxDelaySeconds: 5 })] },
      { faultPlan: ALWAYS_THROTTLED },
    );

    const execution = await runtime.execute('retrying', {});
    await runtime.stop();

    const times = failureTimes(execution.trace, 'List RDS instances');
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    expect(retryDelays(execution.trace)).toEqual([2000, 4000, 5000, 5000]);
    expect(gaps).toEqual([2000, 4000, 5000, 5000]);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'DependencyUnavailableError' });
    expect(execution.trace).toContainEqual(
      expect.objectContaining({ type: 'StateCaught', next: 'RDS API unavailable' }),
    );
  });

  it('counts retries in $$.State.RetryCount', async () => {
    const { runtime } = await startTestRuntime(
      {
        stateMachines: [
          testMachine('retry-count', {
            StartAt: 'Publish attempt',
            States: {
              'Publish attempt': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sns:publish',
                Parameters: {
                  TopicArn: 'arn:aws:sns:us-east-1:000000000000:ops',
                  'Message.$': "States.Format('attempt {}', $$.State.RetryCount)",
                },
                Retry: [{ ErrorEquals: ['SNS.AmazonSNSException'], IntervalSeconds: 1, MaxAttempts: 3 }],
                End: true,
              },
            },
          }),
        ],
      },
      {
        faultPlan: parseFaultPlan({
          seed: 1,
          faults: [{ target: { state: 'Publish attempt' }, error: 'SNS.AmazonSNSException', rate: 1, count: 2 }],
        }),
      },
    );

    const execution = await runtime.execute('retry-count', {});
    await runtime.stop();

    expect(execution.status).toBe('SUCCEEDED');
    expect(runtime.services.sns.published.map((message) => message.message)).toEqual(['attempt 2']);
  });

  it('keeps FULL jitter delays between 0 and the capped interval', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 0.999999, noNaN: true }), async (random) => {
        const { runtime } = await startTestRuntime(
          {
            stateMachines: [
              retryingMachine({
                IntervalSeconds: 3,
                BackoffRate: 2,
                MaxAttempts: 3,
                MaxDelaySeconds: 10,
                JitterStrategy: 'FULL',
              }),
            ],
          },
          { faultPlan: ALWAYS_THROTTLED, random: () => random },
        );
        const execution = await runtime.execute('retrying', {});
        await runtime.stop();
        const caps = [3000, 6000, 10000];
        const delays = retryDelays(execution.trace);
        expect(delays).toHaveLength(3);
        delays.forEach((delay, index) => {
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(caps[index]);
          expect(delay).toBe(Math.floor(random * (caps[index] + 1)));
        });
      }),
      { numRuns: 8 },
    );
  });
});

describe('Wait states and timestamps on the virtual clock', () => {
  it('advances the clock by the Wait and stamps $$.State.EnteredTime from it, without sleeping', async () => {
    const clock = new VirtualClock({ startAt: Date.parse('2026-03-01T12:00:00Z') });
    const { runtime } = await startTestRuntime(
      {
        stateMachines: [
          testMachine('waiting', {
            StartAt: 'Wait an hour',
            States: {
              'Wait an hour': { Type: 'Wait', Seconds: 3600, Next: 'Note the time' },
              'Note the time': { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, End: true },
            },
          }),
        ],
      },
      { clock },
    );
    const wallStart = Date.now();

    const execution = await runtime.execute('waiting', {});
    await runtime.stop();

    expect(execution.output).toEqual({ at: '2026-03-01T13:00:00.000Z' });
    expect(Date.now() - wallStart).toBeLessThan(5000);
  });
});

describe('Map states', () => {
  it('gives every iteration the root execution in $$.Execution and its own $$.Map.Item', async () => {
    const { runtime } = await startTestRuntime({
      stateMachines: [
        testMachine('mapping', {
          StartAt: 'Tag each instance',
          States: {
            'Tag each instance': {
              Type: 'Map',
              ItemsPath: '$.instances',
              ItemSelector: { 'index.$': '$$.Map.Item.Index', 'id.$': '$$.Map.Item.Value' },
              ItemProcessor: {
                StartAt: 'Describe the item',
                States: {
                  'Describe the item': {
                    Type: 'Pass',
                    Parameters: {
                      'id.$': '$.id',
                      'index.$': '$.index',
                      'execution.$': '$$.Execution.Name',
                      'state.$': '$$.State.Name',
                    },
                    End: true,
                  },
                },
              },
              End: true,
            },
          },
        }),
      ],
    });

    const execution = await runtime.execute('mapping', { instances: ['db-a', 'db-b'] }, 'root-run');
    await runtime.stop();

    expect(execution.output).toEqual([
      { id: 'db-a', index: 0, execution: 'root-run', state: 'Describe the item' },
      { id: 'db-b', index: 1, execution: 'root-run', state: 'Describe the item' },
    ]);
  });
});
