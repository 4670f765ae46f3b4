import type { LocalRuntime } from '../../local/runtime';
import { startTestRuntime, testMachine } from '../helpers/local-runtime';

const express = (name: string, definition: object) => ({ ...testMachine(name, definition), type: 'EXPRESS' as const });

describe('LocalRuntime.startSyncExecution', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    ({ runtime } = await startTestRuntime({
      stateMachines: [
        express('echo', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }),
        express('refuse', { StartAt: 'Refuse', States: { Refuse: { Type: 'Fail', Error: 'Nope', Cause: 'why' } } }),
        express('sleepy', { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 600, End: true } } }),
        testMachine('standard', { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }),
      ],
    }));
  });
  afterAll(() => runtime.stop());

  it('answers SUCCEEDED with the output as JSON text and an express execution ARN', async () => {
    const result = await runtime.startSyncExecution('echo', { a: 1 }, 'first');

    expect(result).toEqual(
      expect.objectContaining({
        status: 'SUCCEEDED',
        name: 'first',
        output: '{"a":1}',
        input: '{"a":1}',
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:echo',
      }),
    );
    expect(result.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:echo:first:[0-9a-f-]{36}$/);
    expect(result.billingDetails.billedDurationInMilliseconds % 100).toBe(0);
  });

  it('answers FAILED with the error and cause (the call itself succeeds)', async () => {
    const result = await runtime.startSyncExecution('refuse', {});

    expect(result).toEqual(expect.objectContaining({ status: 'FAILED', error: 'Nope', cause: 'why' }));
    expect(result.output).toBeUndefined();
  });

  it('times out after 5 minutes of clock time', async () => {
    const result = await runtime.startSyncExecution('sleepy', {});

    expect(result.status).toBe('TIMED_OUT');
    expect(result.stopDate.getTime() - result.startDate.getTime()).toBe(300_000);
  });

  it('refuses a STANDARD state machine with StateMachineTypeNotSupported', async () => {
    await expect(runtime.startSyncExecution('standard', {})).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });
});
