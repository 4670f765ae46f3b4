/**
 * `rds-ops restore` over the Step Functions API (mocked with aws-sdk-client-mock): start and follow with live
 * progress (child executions, waits, the approval command), the RTO/RPO at the end, Ctrl-C that stops following
 * and not the restore, status, list and usage errors.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runRestoreCommand } from '../../cli/restore/restore-command';
import { runCli } from '../helpers/cli';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:restore-table';
const PARENT = 'arn:aws:states:us-east-1:123456789012:execution:restore-table:health-alerts-20261130091500-8000';
const CHILD = 'arn:aws:states:us-east-1:123456789012:execution:wait-for-table-active:child-1';
const AT = Date.parse('2026-11-30T09:15:00Z');

const FIGURES = {
  table: 'health-alerts',
  restoredTableName: 'RdsOps-Prod-Data-HealthAlertsTable-restored-20261130091500',
  restorePoint: '2026-11-30T09:04:59.000Z',
  recoveryPointSeconds: 601,
  recoveryTimeSeconds: 412,
  approvalSeconds: 300,
  restoreSeconds: 75,
  waitSeconds: 75,
  settingsSeconds: 2,
  validationSeconds: 1,
};

function event(id: number, seconds: number, type: string, details: Partial<HistoryEvent> = {}): HistoryEvent {
  return { id, timestamp: new Date(AT + seconds * 1000), type: type as HistoryEvent['type'], ...details };
}

function entered(id: number, seconds: number, type: string, name: string, input: unknown = {}): HistoryEvent {
  return event(id, seconds, type, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
}

afterEach(() => {
  sfn.reset();
});

function deps(overrides: Partial<Parameters<typeof runRestoreCommand>[1]> = {}) {
  const lines: string[] = [];
  const statuses: string[] = [];
  return {
    lines,
    statuses,
    deps: {
      stepFunctions: new SFNClient({ region: 'us-east-1' }),
      stateMachineArn: async () => MACHINE,
      out: (line: string) => lines.push(line),
      err: (line: string) => lines.push(`ERR ${line}`),
      requester: async () => 'alice',
      now: () => AT,
      sleep: async () => undefined,
      status: (line: string) => statuses.push(line),
      ...overrides,
    },
  };
}

describe('rds-ops restore (start and follow)', () => {
  it('starts the restore, shows each state, the approval command, the child wait, and ends with RTO and RPO', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: PARENT, startDate: new Date(AT) });
    sfn
      .on(GetExecutionHistoryCommand, { executionArn: PARENT })
      .resolvesOnce({
        events: [
          event(1, 0, 'ExecutionStarted'),
          entered(2, 0, 'TaskStateEntered', 'Check the restore request'),
          entered(3, 1, 'ChoiceStateEntered', 'Is the restore request valid?'),
          entered(4, 1, 'TaskStateEntered', 'Ask an operator to approve the restore', {
            plan: { approval: { command: 'rds-ops approvals approve restore-x --reason "<why>"' } },
          }),
        ],
      })
      .resolves({
        events: [
          entered(5, 300, 'TaskStateEntered', 'Wait for the restored table to become ACTIVE'),
          event(6, 300, 'TaskSubmitted', {
            taskSubmittedEventDetails: {
              resourceType: 'states',
              resource: 'startExecution.sync:2',
              output: JSON.stringify({ ExecutionArn: CHILD }),
            },
          }),
          event(7, 412, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(FIGURES) } }),
        ],
      });
    sfn.on(GetExecutionHistoryCommand, { executionArn: CHILD }).resolves({
      events: [
        entered(1, 300, 'TaskStateEntered', 'Check whether the table is ACTIVE'),
        entered(2, 300, 'WaitStateEntered', 'Wait before checking the table again', { wait: { interval: 20 } }),
      ],
    });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: PARENT,
      name: 'health-alerts-20261130091500-8000',
      status: 'SUCCEEDED',
      output: JSON.stringify(FIGURES),
    });
    const { lines, deps: dependencies } = deps();

    // Act
    const code = await runRestoreCommand(
      ['--table', 'health-alerts', '--to', 'latest', '--reason', 'bad writes'],
      dependencies,
    );

    // Assess
    expect(code).toBe(0);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input!);
    expect(input).toEqual({
      tableName: 'health-alerts',
      restoreTo: 'latest',
      reason: 'bad writes',
      requestedBy: 'alice',
      approval: 'required',
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.name).toMatch(
      /^health-alerts-20261130091500-[0-9a-f]{4}$/,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '[09:15:00]  -> Check the restore request',
        '[09:15:01]  -> Ask an operator to approve the restore\n          waiting for an operator: rds-ops approvals approve restore-x --reason "<why>"   (or: rds-ops approvals reject ...)',
        '[09:20:00]  -> Wait for the restored table to become ACTIVE',
        '[09:20:00]    -> Wait before checking the table again: 20 s, until 09:20:20',
        '[09:21:52]  SUCCEEDED',
        'RPO 601 s: the data is as of 2026-11-30T09:04:59.000Z.',
      ]),
    );
    expect(lines.find((line) => line.startsWith('RTO'))).toBe(
      'RTO 412 s from the trigger to the validated table (approval 300 s, restore 75 s, settings 2 s, validation 1 s).',
    );
    expect(lines.join('\n')).not.toContain('Is the restore request valid?');
  });

  it('stops following on Ctrl-C and leaves the restore running', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: PARENT });
    sfn
      .on(GetExecutionHistoryCommand)
      .resolves({ events: [entered(2, 0, 'TaskStateEntered', 'Check the restore request')] });
    const aborter = new AbortController();
    const { lines, deps: dependencies } = deps({
      signal: aborter.signal,
      sleep: async () => {
        aborter.abort();
      },
    });

    // Act
    const code = await runRestoreCommand(
      ['--table', 'health-alerts', '--to', '2026-11-30T09:04:59Z', '--reason', 'x', '--approval', 'skip'],
      dependencies,
    );

    // Assess
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe(
      `Stopped following; the restore goes on. Follow it again: rds-ops restore status ${PARENT}`,
    );
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('exits 1 with the error and cause when the restore fails', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: PARENT });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        event(1, 0, 'ExecutionFailed', {
          executionFailedEventDetails: { error: 'InvalidInputError', cause: 'unknown table "orders"' },
        }),
      ],
    });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: PARENT,
      name: 'n',
      status: 'FAILED',
      error: 'InvalidInputError',
      cause: 'unknown table "orders"',
    });
    const { lines, deps: dependencies } = deps();

    // Act
    const code = await runRestoreCommand(['--table', 'orders', '--to', 'latest', '--reason', 'x'], dependencies);

    // Assess
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('The restore ended FAILED with InvalidInputError: unknown table "orders"');
  });

  it('does not follow with --no-follow and says how to', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: PARENT });
    const { lines, deps: dependencies } = deps();

    const code = await runRestoreCommand(
      ['--table', 'health-alerts', '--to', 'latest', '--reason', 'x', '--no-follow'],
      dependencies,
    );

    expect(code).toBe(0);
    expect(lines.at(-1)).toBe(`Follow it with: rds-ops restore status ${PARENT}`);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
  });
});

describe('rds-ops restore status and list', () => {
  it('describes a finished restore with its figures, and exits 1 for a failed one', async () => {
    // Prepare
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({
        executionArn: PARENT,
        name: 'a',
        status: 'SUCCEEDED',
        output: JSON.stringify(FIGURES),
        startDate: new Date(AT),
      })
      .resolvesOnce({
        executionArn: PARENT,
        name: 'b',
        status: 'FAILED',
        error: 'RestoreRejected',
        cause: 'Rejected by dave',
      });
    const { lines, deps: dependencies } = deps();

    // Act
    const succeeded = await runRestoreCommand(['status', PARENT], dependencies);
    const failed = await runRestoreCommand(['status', PARENT, '--json'], dependencies);

    // Assess
    expect(succeeded).toBe(0);
    expect(lines).toContain('  RPO 601 s: the data is as of 2026-11-30T09:04:59.000Z.');
    expect(failed).toBe(1);
    expect(JSON.parse(lines.at(-1)!)).toEqual(expect.objectContaining({ status: 'FAILED', error: 'RestoreRejected' }));
  });

  it('lists the recent restores of the restore-table machine', async () => {
    sfn.on(ListExecutionsCommand, { stateMachineArn: MACHINE, maxResults: 5 }).resolves({
      executions: [
        {
          executionArn: PARENT,
          name: 'health-alerts-1',
          status: 'RUNNING',
          stateMachineArn: MACHINE,
          startDate: new Date(AT),
        },
      ],
    });
    const { lines, deps: dependencies } = deps();

    const code = await runRestoreCommand(['list', '--max', '5'], dependencies);

    expect(code).toBe(0);
    expect(lines).toEqual([`RUNNING   2026-11-30T09:15:00.000Z  health-alerts-1  ${PARENT}`]);
  });

  it.each([
    [['restore', '--table', 'health-alerts', '--to', 'latest'], '--reason is required'],
    [['restore', '--table', 't', '--to', 'latest', '--reason', 'x', '--approval', 'never'], '--approval takes "skip"'],
    [['restore', 'status'], 'restore status takes one execution ARN'],
    [['restore', 'list', '--max', '0'], '--max takes a number from 1 to 1000'],
    [['restore', '--colour', 'red'], "Unknown option '--colour'"],
  ])('exits 2 with one line for %j', async (argv, expected) => {
    const result = await runCli(['restore', ...argv.slice(1), '--state-machine', MACHINE]);

    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain(expected);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
