/**
 * The 256 KB payload quota (AWS quotas: 262,144 bytes of UTF-8 for a task, state or execution). States and
 * tasks fail with States.DataLimitExceeded, worded and catchable as recorded against AWS (LocalStack's
 * test_states_errors snapshots); StartExecution and SendTaskSuccess refuse the call.
 */
import { VirtualClock } from '../../../local/clock';
import { PayloadTooLargeError } from '../../../local/stepfunctions/errors';
import { PAYLOAD_QUOTA_BYTES } from '../../../local/stepfunctions/payload-quota';
import { TaskTokenRegistry } from '../../../local/stepfunctions/task-tokens';
import { localMachine, runDefinition } from '../../helpers/run-definition';

/** A JSON string value whose document `{"a":"..."}` is exactly `bytes` long, using 2-byte characters. */
function documentOfBytes(bytes: number): { a: string } {
  const overhead = Buffer.byteLength(JSON.stringify({ a: '' }), 'utf8');
  const payload = bytes - overhead;
  return { a: 'é'.repeat(Math.floor(payload / 2)) + 'x'.repeat(payload % 2) };
}

const resultOf = (result: unknown) => ({
  StartAt: 'P',
  States: { P: { Type: 'Pass', Result: result, End: true } },
});

describe('payload quota of states and tasks', () => {
  it('lets a state output of exactly 262,144 UTF-8 bytes through and fails one byte more', async () => {
    const atQuota = await runDefinition(resultOf(documentOfBytes(PAYLOAD_QUOTA_BYTES)));
    const overQuota = await runDefinition(resultOf(documentOfBytes(PAYLOAD_QUOTA_BYTES + 1)));

    expect(atQuota.status).toBe('SUCCEEDED');
    expect(overQuota).toEqual({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
  });

  it('fails a task whose result is over the quota, and a Catch on States.ALL catches it (recorded)', async () => {
    const outcome = await runDefinition(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
            ResultPath: null,
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      {},
      { actions: { 'cloudwatch:putMetricData': async () => documentOfBytes(PAYLOAD_QUOTA_BYTES + 1) } },
    );

    expect(outcome).toEqual({
      status: 'SUCCEEDED',
      output: {
        Error: 'States.DataLimitExceeded',
        Cause:
          "The state/task 'aws-sdk:cloudwatch' returned a result with a size exceeding the maximum number of bytes service limit.",
      },
    });
  });

  it('fails a state whose input after Parameters is over the quota, before the task is called', async () => {
    const calls: unknown[] = [];
    const outcome = await runDefinition(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
            Parameters: { 'first.$': '$.half', 'second.$': '$.half' },
            End: true,
          },
        },
      },
      { half: documentOfBytes(PAYLOAD_QUOTA_BYTES / 2 + 10) },
      { actions: { 'cloudwatch:putMetricData': async (params) => calls.push(params) } },
    );

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(calls).toHaveLength(0);
  });
});

describe('payload quota of API calls', () => {
  it('refuses StartExecution with an input over the quota, and starts nothing', () => {
    const machine = localMachine(resultOf('done'));

    expect(() => machine.start(documentOfBytes(PAYLOAD_QUOTA_BYTES + 1), 'too-big')).toThrow(PayloadTooLargeError);
    expect(machine.start({ small: true }, 'too-big').executionArn).toMatch(/:too-big$/);
  });

  it('refuses SendTaskSuccess with an output over the quota and keeps the task waiting', async () => {
    const clock = new VirtualClock();
    const tokens = new TaskTokenRegistry();
    const waiting = tokens.wait({ token: 't-1', executionArn: 'arn', stateName: 'Wait', since: 0 }, { clock });

    expect(() => tokens.sendTaskSuccess('t-1', documentOfBytes(PAYLOAD_QUOTA_BYTES + 1))).toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );
    tokens.sendTaskSuccess('t-1', { ok: true });
    await expect(waiting).resolves.toEqual({ ok: true });
  });
});
