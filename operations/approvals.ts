/**
 * Approval requests of the restore and cutover workflows, as operators answer them: list the pending ones, show
 * one, approve or reject it. A decision is a conditional write (a request is decided exactly once, never after it
 * expired) together with its audit-log entry, then the task token's callback (SendTaskSuccess / SendTaskFailure)
 * that lets the waiting execution go on. AWS SDK only: the CLI and the operations API call these alike.
 */
import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  ApprovalAlreadyDecidedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  DecisionNotDeliveredError,
  InvalidDecisionError,
} from './errors';

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

/** An item of rds-approvals as the workflows write it (handlers/restore/request-approval.ts). */
export interface ApprovalRequest {
  readonly requestId: string;
  readonly kind: 'restore' | 'cutover';
  readonly status: ApprovalStatus;
  readonly subject: string;
  readonly table: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly executionArn: string;
  readonly taskToken?: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly decidedBy?: string;
  readonly decidedByLabel?: string;
  readonly decidedAt?: string;
  readonly decisionReason?: string;
}

/** The task-token callbacks of Step Functions (SendTaskSuccess / SendTaskFailure). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

export interface ApprovalStore {
  readonly dynamo: DynamoDBDocumentClient;
  readonly approvalsTable: string;
  readonly auditTable: string;
  readonly callbacks: TaskCallbacks;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

export interface Decision {
  /** Who decides: the caller's IAM identity when known (STS GetCallerIdentity), else an operator's name. */
  readonly actor: string;
  /** The name the operator gave (`--actor`, or $USER), kept beside an identity actor. */
  readonly label?: string;
  readonly reason: string;
}

/** What the waiting execution receives on approval (the workflows read decidedBy and reason from it). */
export interface ApprovalOutput {
  readonly decision: 'APPROVED';
  readonly requestId: string;
  readonly decidedBy: string;
  readonly decidedByLabel?: string;
  readonly decidedAt: string;
  readonly reason: string;
}

/**
 * The error a rejection fails the waiting task with (SendTaskFailure). The workflows catch it and end with
 * their own name: RestoreRejected, CutoverRejected.
 */
export const REJECTION_ERROR = 'Approval.Rejected';

/** The requests in one status (PENDING by default), oldest first, through the byStatus index. */
export async function listApprovals(
  store: ApprovalStore,
  status: ApprovalStatus = 'PENDING',
): Promise<ApprovalRequest[]> {
  const items: ApprovalRequest[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.dynamo.send(
      new QueryCommand({
        TableName: store.approvalsTable,
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as ApprovalRequest[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function getApproval(store: ApprovalStore, requestId: string): Promise<ApprovalRequest> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.approvalsTable, Key: { requestId }, ConsistentRead: true }),
  );
  if (!Item) throw new ApprovalNotFoundError(requestId);
  return Item as ApprovalRequest;
}

export function approveRequest(store: ApprovalStore, requestId: string, decision: Decision): Promise<ApprovalRequest> {
  return decide(store, requestId, 'APPROVED', decision);
}

export function rejectRequest(store: ApprovalStore, requestId: string, decision: Decision): Promise<ApprovalRequest> {
  return decide(store, requestId, 'REJECTED', decision);
}

async function decide(
  store: ApprovalStore,
  requestId: string,
  status: 'APPROVED' | 'REJECTED',
  decision: Decision,
): Promise<ApprovalRequest> {
  if (!decision.reason?.trim())
    throw new InvalidDecisionError('a decision needs a reason (--reason TEXT): it goes to the audit log');
  if (!decision.actor?.trim()) throw new InvalidDecisionError('a decision needs an actor (--actor NAME)');
  const request = await getApproval(store, requestId);
  if (request.status !== 'PENDING') throw new ApprovalAlreadyDecidedError(request);
  const now = store.now();
  if (Date.parse(request.expiresAt) <= now) throw new ApprovalExpiredError(request);
  if (!request.taskToken) throw new ApprovalAlreadyDecidedError(request);
  const decidedAt = new Date(now).toISOString();
  try {
    await store.dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: store.approvalsTable,
              Key: { requestId },
              UpdateExpression: `SET #status = :decided, decidedBy = :actor, decidedAt = :at, decisionReason = :reason${
                decision.label === undefined ? '' : ', decidedByLabel = :label'
              }`,
              ConditionExpression: '#status = :pending AND expiresAt > :at',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':decided': status,
                ':pending': 'PENDING',
                ':actor': decision.actor,
                ':at': decidedAt,
                ':reason': decision.reason,
                ...(decision.label !== undefined && { ':label': decision.label }),
              },
            },
          },
          {
            Put: {
              TableName: store.auditTable,
              Item: {
                subject: request.subject,
                // A decision retried after a failed callback is a second attempt: its own entry.
                at: `${decidedAt}#${requestId}#${status.toLowerCase()}#${randomUUID().slice(0, 8)}`,
                actor: decision.actor,
                ...(decision.label !== undefined && { actorLabel: decision.label }),
                action: `${request.kind}.${status === 'APPROVED' ? 'approval-granted' : 'approval-refused'}`,
                correlationId: request.executionArn,
                reason: decision.reason,
                requestId,
              },
              ConditionExpression: 'attribute_not_exists(subject)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') {
      throw new ApprovalAlreadyDecidedError(await getApproval(store, requestId));
    }
    throw error;
  }
  try {
    if (status === 'APPROVED') {
      const output: ApprovalOutput = {
        decision: 'APPROVED',
        requestId,
        decidedBy: decision.actor,
        ...(decision.label !== undefined && { decidedByLabel: decision.label }),
        decidedAt,
        reason: decision.reason,
      };
      await store.callbacks.succeed(request.taskToken, output);
    } else {
      await store.callbacks.fail(
        request.taskToken,
        REJECTION_ERROR,
        `Rejected by ${decision.label === undefined ? decision.actor : `${decision.label} (${decision.actor})`} at ${decidedAt}: ${decision.reason}`,
      );
    }
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    // The execution no longer waits (it timed out or ended): the decision stands in the record, marked so.
    if (/TaskTimedOut|TaskDoesNotExist|InvalidToken/.test(name)) {
      await markUndelivered(store, requestId);
      throw new DecisionNotDeliveredError(request, name, { cause: error });
    }
    // A transient failure: put the request back to PENDING so the operator can decide again, and say so.
    await store.dynamo.send(
      new PutCommand({
        TableName: store.auditTable,
        Item: {
          subject: request.subject,
          at: `${decidedAt}#${requestId}#not-delivered#${randomUUID().slice(0, 8)}`,
          actor: decision.actor,
          action: `${request.kind}.decision-not-delivered`,
          correlationId: request.executionArn,
          reason: `${name}: ${(error as Error).message}`,
          requestId,
        },
      }),
    );
    await store.dynamo.send(
      new UpdateCommand({
        TableName: store.approvalsTable,
        Key: { requestId },
        UpdateExpression: 'SET #status = :pending REMOVE decidedBy, decidedByLabel, decidedAt, decisionReason',
        ConditionExpression: '#status = :decided AND decidedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING', ':decided': status, ':at': decidedAt },
      }),
    );
    throw error;
  }
  return getApproval(store, requestId);
}

async function markUndelivered(store: ApprovalStore, requestId: string): Promise<void> {
  await store.dynamo.send(
    new UpdateCommand({
      TableName: store.approvalsTable,
      Key: { requestId },
      UpdateExpression: 'SET #status = :expired REMOVE taskToken',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':expired': 'EXPIRED' },
    }),
  );
}
