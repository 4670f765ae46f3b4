/**
 * The local event bus wired to state machines: events put on the bus (by a caller or by a Task) start the
 * target machines of the rules they match, with each target's input as the rule derives it.
 */
import type { RuleSpec } from '../../local/events/types';
import type { LocalRuntime } from '../../local/runtime';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import { startTestRuntime, testMachine } from '../helpers/local-runtime';

const ACCOUNT_REGION = 'us-east-1:000000000000';

function machineArn(name: string): string {
  return `arn:aws:states:${ACCOUNT_REGION}:stateMachine:${name}`;
}

function rule(name: string, eventPattern: object, target: Omit<RuleSpec['targets'][number], 'id'>): RuleSpec {
  return {
    name,
    arn: `arn:aws:events:${ACCOUNT_REGION}:rule/${name}`,
    eventBusName: 'default',
    eventPattern,
    state: 'ENABLED',
    targets: [{ id: 'Target0', ...target }],
  };
}

/** A machine that ends with its input as output, so tests can read what the target received. */
function echoMachine(name: string) {
  return testMachine(name, { StartAt: 'Receive', States: { Receive: { Type: 'Pass', End: true } } });
}

/** A machine that announces a restored table on the default bus through the optimized integration. */
const announcer = testMachine('announce-restore', {
  StartAt: 'Announce the restored table',
  States: {
    'Announce the restored table': {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [
          {
            Source: 'rds-ops.disaster-recovery',
            DetailType: 'Table Restored',
            EventBusName: 'default',
            Detail: { 'table.$': '$.table', 'executionId.$': '$$.Execution.Id' },
          },
        ],
      },
      ResultPath: '$.announced',
      End: true,
    },
  },
});

const RULES: RuleSpec[] = [
  rule(
    'restore-requested',
    { source: ['rds-ops.app'], 'detail-type': ['Restore Requested'] },
    {
      arn: machineArn('restore-table'),
      InputTransformer: {
        InputPathsMap: { table: '$.detail.table', minutes: '$.detail.minutes' },
        InputTemplate:
          '{"table": <table>, "minutesBack": <minutes>, "trigger": "event", "rule": "<aws.events.rule-name>"}',
      },
    },
  ),
  rule(
    'table-deleted',
    {
      source: ['aws.dynamodb'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['dynamodb.amazonaws.com'], eventName: ['DeleteTable'] },
    },
    { arn: machineArn('recover-deleted-table'), InputPath: '$.detail.requestParameters' },
  ),
  rule(
    'table-restored',
    { source: ['rds-ops.disaster-recovery'], 'detail-type': ['Table Restored'] },
    { arn: machineArn('verify-restored-table') },
  ),
];

function cloudTrailEvent(eventName: string) {
  return {
    Source: 'aws.dynamodb',
    DetailType: 'AWS API Call via CloudTrail',
    Detail: JSON.stringify({
      eventVersion: '1.08',
      eventSource: 'dynamodb.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::000000000000:assumed-role/ops/alice' },
      requestParameters: { tableName: 'RdsOps-Dev-Data-AuditLogTable' },
    }),
  };
}

function executionsOf(runtime: LocalRuntime, machine: string): ExecutionRecord[] {
  return runtime.executions.filter((execution) => execution.stateMachineName === machine);
}

describe('event bus wired to state machines', () => {
  let runtime: LocalRuntime;
  beforeEach(async () => {
    ({ runtime } = await startTestRuntime({
      stateMachines: [
        echoMachine('restore-table'),
        echoMachine('recover-deleted-table'),
        echoMachine('verify-restored-table'),
        announcer,
      ],
      rules: RULES,
    }));
  });
  afterEach(async () => {
    await runtime?.stop();
  });

  it('starts the target machine with the input the rule transformer builds from the event', async () => {
    const sent = await runtime.sendEvents([
      {
        Source: 'rds-ops.app',
        DetailType: 'Restore Requested',
        Detail: JSON.stringify({ table: 'orders', minutes: 5, requestedBy: 'alice' }),
      },
    ]);

    expect(sent.failedEntryCount).toBe(0);
    expect(sent.deliveries.map((delivery) => delivery.ruleName)).toEqual(['restore-requested']);
    expect(sent.executions).toHaveLength(1);
    expect(sent.executions[0]).toEqual(
      expect.objectContaining({
        stateMachineName: 'restore-table',
        executionArn: sent.deliveries[0].executionArn,
        input: { table: 'orders', minutesBack: 5, trigger: 'event', rule: 'restore-requested' },
        status: 'SUCCEEDED',
      }),
    );
  });

  it('starts nothing for an event no rule matches, including a near miss on one field', async () => {
    const sent = await runtime.sendEvents([
      { Source: 'rds-ops.app', DetailType: 'Restore Approved', Detail: JSON.stringify({ table: 'orders' }) },
      { Source: 'rds-ops.other', DetailType: 'Restore Requested', Detail: JSON.stringify({ table: 'orders' }) },
      cloudTrailEvent('UpdateTable'),
    ]);

    expect(sent.failedEntryCount).toBe(0);
    expect(sent.entries).toHaveLength(3);
    expect(sent.deliveries).toEqual([]);
    expect(sent.executions).toEqual([]);
    expect(runtime.executions).toEqual([]);
  });

  it('matches a CloudTrail DeleteTable event on source, detail-type, eventSource and eventName', async () => {
    const sent = await runtime.sendEvents([cloudTrailEvent('DeleteTable')]);

    expect(sent.deliveries.map((delivery) => delivery.ruleName)).toEqual(['table-deleted']);
    expect(sent.executions.map((execution) => [execution.stateMachineName, execution.input])).toEqual([
      ['recover-deleted-table', { tableName: 'RdsOps-Dev-Data-AuditLogTable' }],
    ]);
    expect(sent.executions[0].status).toBe('SUCCEEDED');
  });

  it('chains workflows: an event put by a Task through events:putEvents starts the machine of another rule', async () => {
    const announcement = await runtime.execute('announce-restore', { table: 'orders' });
    await runtime.settle();
    const followUps = executionsOf(runtime, 'verify-restored-table');

    expect(announcement.status).toBe('SUCCEEDED');
    expect(announcement.output).toEqual(
      expect.objectContaining({ announced: expect.objectContaining({ FailedEntryCount: 0 }) }),
    );
    expect(followUps).toHaveLength(1);
    expect(followUps[0].status).toBe('SUCCEEDED');
    expect(followUps[0].input).toEqual(
      expect.objectContaining({
        source: 'rds-ops.disaster-recovery',
        'detail-type': 'Table Restored',
        account: '000000000000',
        region: 'us-east-1',
        detail: { table: 'orders', executionId: announcement.executionArn },
      }),
    );
  });

  it('delivers the chained event with the EventId that PutEvents returned to the Task, as EventBridge does', async () => {
    const announcement = await runtime.execute('announce-restore', { table: 'orders' });
    await runtime.settle();
    const [followUp] = executionsOf(runtime, 'verify-restored-table');
    const returned = (announcement.output as { announced: { Entries: { EventId: string }[] } }).announced.Entries;

    expect(returned).toHaveLength(1);
    expect((followUp?.input as { id?: string } | undefined)?.id).toBe(returned[0].EventId);
  });
});
