/**
 * `rds-ops restore` and `rds-ops approvals` end to end over the AWS SDK against the local service, as against
 * AWS: the restore state machine found by its workflow tag, the approval tables by their table tags, an operator
 * approving while the restore command follows the execution live, the caller's STS identity on the decision, no
 * runtime booted by the commands. The service runs the synthesized app on a clock 100 times real time.
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { ScaledClock } from '../../local/clock';
import type { LocalService } from '../../local/server/local-service';
import { loadAppModel } from '../../local/template/synthesize';
import { tempFile } from '../helpers/cdk';
import { runCli } from '../helpers/cli';
import { startTestService, useEndpoint } from '../helpers/local-service';

const LOCAL_USER = 'arn:aws:iam::000000000000:user/local';

let service: LocalService;

beforeAll(async () => {
  service = await startTestService(loadAppModel(), { clock: new ScaledClock(100) });
  // LatestRestorableDateTime trails the clock by 5 minutes (as on AWS): let the tables' first 5 minutes pass.
  const createdAt = service.runtime.clock.now();
  while (service.runtime.clock.now() < createdAt + 301_000) await new Promise((resolve) => setTimeout(resolve, 200));
});
afterAll(() => service?.stop());

async function pendingApprovals(): Promise<{ requestId: string; executionArn: string }[]> {
  const listed = await runCli(['approvals', 'list', '--json', '--endpoint', service.endpoint]);
  if (listed.code !== 0) throw new Error(listed.err);
  return JSON.parse(listed.out);
}

async function untilPendingApproval(): Promise<{ requestId: string; executionArn: string }> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const [pending] = await pendingApprovals();
    if (pending) return pending;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('no approval request appeared within 30 s');
}

describe('rds-ops restore and approvals against the local service', () => {
  it('restores a table after an approval given from another command, following the execution live', async () => {
    // Act
    const restoring = runCli([
      'restore',
      '--table',
      'health-alerts',
      '--to',
      'latest',
      '--reason',
      'end-to-end check of the CLI',
      '--endpoint',
      service.endpoint,
    ]);
    const pending = await untilPendingApproval();
    const approved = await runCli([
      'approvals',
      'approve',
      pending.requestId,
      '--reason',
      'checked the alarm',
      '--actor',
      'carol',
      '--endpoint',
      service.endpoint,
    ]);
    const restored = await restoring;
    const status = await runCli(['restore', 'status', pending.executionArn, '--json', '--endpoint', service.endpoint]);
    const listed = await runCli(['restore', 'list', '--json', '--endpoint', service.endpoint]);

    // Assess
    expect({ code: approved.code, err: approved.err }).toEqual({ code: 0, err: '' });
    expect(approved.out).toContain(`APPROVED by carol (${LOCAL_USER})`);
    expect({ code: restored.code, err: restored.err }).toEqual({ code: 0, err: '' });
    expect(restored.out).toMatch(/^Started restore health-alerts-/);
    expect(restored.out).toContain('Ask an operator to approve the restore');
    expect(restored.out).toContain('Wait for the restored table to become ACTIVE');
    expect(restored.out).toMatch(/Restored health-alerts into RdsOps-Dev-Data-\S+-restored-\d{14} \(the live/);
    expect(restored.out).toMatch(/RTO [\d.]+ s from the trigger to the validated table/);
    expect(restored.out).toMatch(/RPO [\d.]+ s: the data is as of /);
    expect(JSON.parse(status.out)).toEqual(
      expect.objectContaining({ executionArn: pending.executionArn, status: 'SUCCEEDED' }),
    );
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ executionArn: pending.executionArn, status: 'SUCCEEDED' }),
    ]);
    const restore = useEndpoint(service.endpoint);
    const dynamo = new DynamoDBClient({});
    try {
      const { Item } = await dynamo.send(
        new GetItemCommand({
          TableName: service.runtime.tableName('rdsApprovals'),
          Key: { requestId: { S: pending.requestId } },
        }),
      );
      expect(Item).toMatchObject({
        status: { S: 'APPROVED' },
        decidedBy: { S: LOCAL_USER },
        decidedByLabel: { S: 'carol' },
      });
    } finally {
      dynamo.destroy();
      restore();
    }
  });

  it('runs a drill with --wait and prints its RTO table, then reports it from the audit log', async () => {
    // Act
    const run = await runCli(['drills', 'run', '--wait', '--reason', 'CLI check', '--endpoint', service.endpoint]);
    const report = await runCli(['drills', 'report', '--last', '1', '--json', '--endpoint', service.endpoint]);

    // Assess
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(run.out).toMatch(/^Started dr-drill: arn:aws:states:/);
    expect(run.out).toMatch(/Drill drill-\d{14} passed/);
    for (const table of ['rds-inventory', 'health-alerts', 'audit-log', 'cost-snapshots', 'rds-approvals']) {
      expect(run.out).toMatch(new RegExp(`${table}\\s+passed\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+7200\\s+yes`));
    }
    expect(report.code).toBe(0);
    const [last] = JSON.parse(report.out) as { requestedBy: string; tables: unknown[]; passed: boolean }[];
    expect(last).toMatchObject({ requestedBy: LOCAL_USER, passed: true });
    expect(last!.tables).toHaveLength(5);
  });

  it('refuses a bad --last in one line (exit 2)', async () => {
    const result = await runCli(['drills', 'report', '--last', 'ten', '--endpoint', service.endpoint]);

    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toEqual([expect.stringContaining('--last takes a whole number')]);
  });

  it('recovers a table deleted through the SDK against the local service, from the CloudTrail event', async () => {
    // Prepare
    const restore = useEndpoint(service.endpoint);
    const dynamo = new DynamoDBClient({});
    const table = service.runtime.tableName('costSnapshots');
    try {
      // Act
      await dynamo.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
      await dynamo.send(new DeleteTableCommand({ TableName: table }));
      await service.runtime.settle();

      // Assess
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
      expect(Table).toMatchObject({ TableStatus: 'ACTIVE', DeletionProtectionEnabled: true });
      const recovery = service.runtime.executions.find(
        (execution) => execution.stateMachineArn === service.runtime.stateMachine('recover-deleted-table').arn,
      );
      expect(recovery).toMatchObject({ status: 'SUCCEEDED', input: { tableName: table } });
    } finally {
      dynamo.destroy();
      restore();
    }
  });

  it('writes the import change set that re-attaches the retained tables, found by their tags', async () => {
    // Prepare
    const template = tempFile(
      'RdsOps-Dev-Data.template.json',
      JSON.stringify(service.runtime.model.names.templateOf('RdsOps-Dev-Data')),
    );
    const out = dirname(template);

    // Act
    const result = await runCli([
      'reattach-tables',
      '--template',
      template,
      '--out',
      out,
      '--endpoint',
      service.endpoint,
    ]);

    // Assess
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: '' });
    expect(result.out).toContain('--change-set-type IMPORT');
    const mapping = JSON.parse(readFileSync(join(out, 'resources-to-import.json'), 'utf8')) as {
      ResourceIdentifier: { TableName: string };
    }[];
    expect(mapping.map((entry) => entry.ResourceIdentifier.TableName).sort()).toEqual(
      service.runtime.model.tables.map((table) => table.tableName).sort(),
    );
  });

  it('says in one line that nothing answers at an endpoint where no service runs', async () => {
    const result = await runCli(['restore', 'list', '--endpoint', 'http://127.0.0.1:9']);

    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toEqual([
      expect.stringContaining('nothing answers at http://127.0.0.1:9: start the local service first'),
    ]);
  });
});
