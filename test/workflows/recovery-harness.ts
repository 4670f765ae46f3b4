/**
 * Builders for the recovery workflow tests: a local runtime of the synthesized app on a virtual clock, health
 * alerts to restore, corruption, the approval store wired to the runtime's task tokens, and readers for what
 * the workflows leave behind (tables, locks, audit entries, notifications).
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../local/clock';
import type { FaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime } from '../../local/runtime';
import type { AppModel } from '../../local/template/app-model';
import type { ApprovalStore, TaskCallbacks } from '../../operations/approvals';

export const START = Date.parse('2026-11-30T09:00:00.000Z');
export const MINUTE = 60_000;

export async function startRecoveryRuntime(
  model: AppModel,
  options: { faultPlan?: FaultPlan; restoreDurationMs?: number } = {},
): Promise<LocalRuntime> {
  return LocalRuntime.start({
    model,
    clock: new VirtualClock({ startAt: START }),
    handlerLogLevel: 'SILENT',
    random: () => 0.5,
    ...options,
  });
}

export function documents(runtime: LocalRuntime): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(runtime.dynamoDbClient);
}

export function alert(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alertId: `alert-${String(index).padStart(3, '0')}`,
    instanceId: `db-${index % 4}`,
    raisedAt: new Date(START - (index + 1) * MINUTE).toISOString(),
    severity: index % 3 === 0 ? 'CRITICAL' : 'WARNING',
    status: 'OPEN',
    ...overrides,
  };
}

export async function putAlerts(runtime: LocalRuntime, items: readonly Record<string, unknown>[]): Promise<void> {
  for (const Item of items) {
    await documents(runtime).send(new PutCommand({ TableName: runtime.tableName('healthAlerts'), Item }));
  }
}

/** Every item of a table, sorted by the JSON of its key, for exact comparisons. */
export async function scanTable(runtime: LocalRuntime, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents(runtime).send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

export async function tableNames(runtime: LocalRuntime): Promise<string[]> {
  const { TableNames } = await runtime.dynamoDbClient.send(new ListTablesCommand({}));
  return TableNames ?? [];
}

export async function coordinationItem(
  runtime: LocalRuntime,
  key: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents(runtime).send(
    new GetCommand({ TableName: runtime.tableName('coordination'), Key: { key }, ConsistentRead: true }),
  );
  return Item;
}

export async function auditActions(runtime: LocalRuntime, subject: string): Promise<string[]> {
  const { Items } = await documents(runtime).send(
    new QueryCommand({
      TableName: runtime.tableName('auditLog'),
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': subject },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => String(item.action));
}

/** The runtime's task tokens as SendTaskSuccess / SendTaskFailure would reach them. */
export function tokenCallbacks(runtime: LocalRuntime): TaskCallbacks {
  return {
    succeed: async (token, output) => runtime.tokens.sendTaskSuccess(token, output),
    fail: async (token, error, cause) => runtime.tokens.sendTaskFailure(token, error, cause),
  };
}

export function approvalStore(runtime: LocalRuntime): ApprovalStore {
  return {
    dynamo: documents(runtime),
    approvalsTable: runtime.tableName('rdsApprovals'),
    auditTable: runtime.tableName('auditLog'),
    callbacks: tokenCallbacks(runtime),
    now: () => runtime.clock.now(),
  };
}

/** Resolves once the execution waits for its task token (an approval request exists). */
export async function untilWaitingForApproval(runtime: LocalRuntime, executionArn: string): Promise<void> {
  await runtime.tokens.next((task) => task.executionArn === executionArn);
}

export function restoreRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tableName: 'health-alerts',
    restoreTo: 'latest',
    reason: 'bad writes from deploy 4711',
    requestedBy: 'alice',
    approval: 'skip',
    ...overrides,
  };
}
