/**
 * "Data corruption in health-alerts": a bad deploy writes broken alerts; the scheduled integrity check counts
 * them, the table's integrity alarm goes to ALARM, its EventBridge rule starts restore-table, an operator approves,
 * the table is restored into a new one, its settings re-applied and its data validated, and the timeline prints
 * the measured RTO and RPO. The cutover then brings the restored alerts back into the live table.
 */
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type ApprovalStore, approveRequest } from '../../operations/approvals';
import type { LocalRuntime } from '../runtime';
import type { Scenario } from './scenario';

const ALERTS = 24;
const MINUTE = 60_000;

export const dataCorruption: Scenario = {
  title: 'Data corruption in health-alerts',
  story:
    'A bad deploy writes broken alerts; the integrity check counts them, the alarm fires, its rule starts the ' +
    'restore, an operator approves, the table comes back validated, and the timeline prints the RTO and RPO.',

  async run({ runtime, log, check }) {
    const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
    const table = runtime.tableName('healthAlerts');
    const start = runtime.clock.now();
    const healthy = Array.from({ length: ALERTS }, (_, index) => alert(index, start));
    for (const Item of healthy) await documents.send(new PutCommand({ TableName: table, Item }));
    log(`health-alerts holds ${ALERTS} alerts; PITR records every write`);

    const integrityRule = runtime.model.rules.find((rule) => rule.name.includes('TableIntegritySchedule'));
    if (!integrityRule) throw new Error('The app has no integrity check schedule.');
    await runtime.clock.sleep(5 * MINUTE);
    await runtime.fireSchedule(integrityRule.name);
    await runtime.evaluateAlarms();
    log(`integrity check: ${violations(runtime)} violations; every integrity alarm OK`);

    await runtime.clock.sleep(2.5 * MINUTE);
    for (let index = 0; index < 6; index++) {
      await documents.send(
        new PutCommand({
          TableName: table,
          Item: { ...alert(index * 4, start), severity: 'SEV?', raisedAt: 'now-ish' },
        }),
      );
    }
    for (const index of [1, 2]) {
      await documents.send(new DeleteCommand({ TableName: table, Key: { alertId: alertId(index) } }));
    }
    log('deploy 4711 overwrites 6 alerts with broken severity and time, and deletes 2');

    await runtime.clock.sleep(2.5 * MINUTE);
    await runtime.fireSchedule(integrityRule.name);
    log(`integrity check: ${violations(runtime)} violations in health-alerts`);
    const { changes, startedExecutions } = await runtime.evaluateAlarms();
    const alarm = changes.find((change) => change.current.value === 'ALARM');
    log(`alarm ${alarm?.alarm.name ?? '(none)'} -> ALARM: ${alarm?.current.reason ?? ''}`);
    check(
      'only the health-alerts integrity alarm goes to ALARM',
      changes.filter((change) => change.current.value === 'ALARM').length === 1 &&
        Boolean(alarm?.alarm.name.endsWith('-health-alerts-IntegrityViolated')),
    );
    check('its EventBridge rule starts exactly one restore', startedExecutions.length === 1);
    const restoreArn = startedExecutions[0]!;
    log(`EventBridge rule starts restore-table ${restoreArn.split(':').pop()}`);

    await runtime.tokens.next((task) => task.executionArn === restoreArn);
    const request = runtime.services.sns.published.find((message) => message.subject?.startsWith('Approval needed'));
    log(`SNS: "${request?.subject}"; the message says: ${request?.message.split('\n')[2]?.trim()}`);
    await runtime.clock.sleep(2 * MINUTE);
    const approvals = approvalStore(runtime, documents);
    await approveRequest(approvals, `restore-${restoreArn.split(':').pop()}`, {
      actor: 'oncall-carol',
      reason: 'alerts broken since deploy 4711',
    });
    log('oncall-carol approves: rds-ops approvals approve ... --reason "alerts broken since deploy 4711"');

    const restore = await runtime.waitForExecution(restoreArn);
    const output = (restore.output ?? {}) as Record<
      string,
      number | string | { itemCount?: number; invalidItems?: number }
    >;
    const validation = output.validation as { itemCount?: number; invalidItems?: number } | undefined;
    log(
      `restore ${restore.status}: ${output.restoredTableName} is ACTIVE after ${output.polls} polls ` +
        `(${output.restoreSeconds} s), settings re-applied, ${validation?.itemCount} items validated, ` +
        `${validation?.invalidItems} invalid`,
    );
    log(
      `RTO ${output.recoveryTimeSeconds} s (alarm to validated table, ${output.approvalSeconds} s of it waiting for approval)`,
    );
    log(`RPO ${output.recoveryPointSeconds} s (data as of ${output.restorePoint}, the alarm time minus the margin)`);
    check(
      'the restore succeeds and its data passes validation',
      restore.status === 'SUCCEEDED' && validation?.invalidItems === 0,
    );
    const restored = await scan(documents, String(output.restoredTableName));
    check(
      'the restored table holds exactly the alerts from before the bad deploy',
      JSON.stringify(sortById(restored)) === JSON.stringify(sortById(healthy)),
    );

    const cutover = runtime.start('cutover-table', {
      restoredTableName: output.restoredTableName,
      tableName: 'health-alerts',
      reason: 'bring back the alerts from before deploy 4711',
      requestedBy: 'oncall-carol',
    });
    await runtime.tokens.next((task) => task.executionArn === cutover.executionArn);
    await approveRequest(approvals, `cutover-${cutover.record.name}`, {
      actor: 'oncall-dave',
      reason: 'second pair of eyes',
    });
    const copied = await cutover.done;
    const live = await scan(documents, table);
    log(`cutover ${copied.status}: live table backed up, ${live.length} alerts copied back, writers resumed`);
    check(
      'after the cutover the live table holds the alerts from before the bad deploy',
      copied.status === 'SUCCEEDED' && JSON.stringify(sortById(live)) === JSON.stringify(sortById(healthy)),
    );
  },
};

function alertId(index: number): string {
  return `alert-${String(index).padStart(3, '0')}`;
}

function alert(index: number, start: number): Record<string, unknown> {
  return {
    alertId: alertId(index),
    instanceId: `db-${index % 6}`,
    raisedAt: new Date(start - (index + 1) * MINUTE).toISOString(),
    severity: index % 5 === 0 ? 'CRITICAL' : 'WARNING',
    status: 'OPEN',
  };
}

function violations(runtime: LocalRuntime): number {
  const points = runtime.services.cloudwatch.datapoints.filter(
    (point) => point.metricName === 'IntegrityViolations' && point.dimensions[0]?.Value === 'health-alerts',
  );
  return points.at(-1)?.maximum ?? 0;
}

/** Approvals through the runtime's task tokens: what SendTaskSuccess does on AWS. */
function approvalStore(runtime: LocalRuntime, dynamo: DynamoDBDocumentClient): ApprovalStore {
  return {
    dynamo,
    approvalsTable: runtime.tableName('rdsApprovals'),
    auditTable: runtime.tableName('auditLog'),
    callbacks: {
      succeed: async (token, output) => runtime.tokens.sendTaskSuccess(token, output),
      fail: async (token, error, cause) => runtime.tokens.sendTaskFailure(token, error, cause),
    },
    now: () => runtime.clock.now(),
  };
}

async function scan(documents: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function sortById(items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return [...items]
    .map((item) => Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))))
    .sort((a, b) => String(a.alertId).localeCompare(String(b.alertId)));
}
