/**
 * The restore and approval operations the operations API calls, written against the contract of issue 9
 * (`restore-table` input, `rds-approvals` items, SendTaskSuccess / SendTaskFailure) while that work has not landed:
 * the same exported names and signatures as its `operations/restores.ts`, `operations/approvals.ts` and
 * `operations/errors.ts`, so that reconciling is deleting this file and importing from those.
 * AWS SDK only: works against AWS and the local service alike.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

/** What an operator asks `restore-table` for; the workflow checks it (issue 9, "Input"). */
export interface RestoreRequest {
  readonly tableName: string;
  readonly restoreTo: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly approval: 'required' | 'skip';
  readonly targetTableName?: string;
}

export interface RestoreSummary {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/** `health-alerts-20261130091500-3f2a`: readable in the console. */
export function restoreExecutionName(tableName: string, now: number, random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${tableName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50)}-${stamp}-${suffix}`;
}

export async function startRestore(
  sfn: SFNClient,
  stateMachineArn: string,
  request: RestoreRequest,
  name: string,
): Promise<{ executionArn: string; startDate?: Date }> {
  const result = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }));
  return { executionArn: result.executionArn!, ...(result.startDate && { startDate: result.startDate }) };
}

export async function describeRestore(sfn: SFNClient, executionArn: string): Promise<RestoreSummary> {
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const parse = (text: string | undefined) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    executionArn: described.executionArn!,
    name: described.name!,
    status: described.status!,
    ...(described.startDate && { startDate: described.startDate }),
    ...(described.stopDate && { stopDate: described.stopDate }),
    input: parse(described.input),
    ...(described.output !== undefined && { output: parse(described.output) }),
    ...(described.error !== undefined && { error: described.error }),
    ...(described.cause !== undefined && { cause: described.cause }),
  };
}

export async function listRestores(
  sfn: SFNClient,
  stateMachineArn: string,
  maxResults = 20,
): Promise<RestoreSummary[]> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults }));
  return (executions ?? []).map((execution) => ({
    executionArn: execution.executionArn!,
    name: execution.name!,
    status: execution.status!,
    ...(execution.startDate && { startDate: execution.startDate }),
    ...(execution.stopDate && { stopDate: execution.stopDate }),
  }));
}

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

/** An item of rds-approvals as the restore and cutover workflows write it. */
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
  readonly actor: string;
  readonly reason: string;
}

/** The error a rejection fails the waiting task with, per kind of request. */
export const REJECTION_ERRORS: Readonly<Record<ApprovalRequest['kind'], string>> = {
  restore: 'RestoreRejected',
  cutover: 'CutoverRejected',
};

export class ApprovalNotFoundError extends Error {
  constructor(readonly requestId: string) {
    super(`No approval request ${requestId}; list the pending ones with "rds-ops approvals list".`);
    this.name = 'ApprovalNotFoundError';
  }
}

export class ApprovalAlreadyDecidedError extends Error {
  constructor(readonly request: ApprovalRequest) {
    super(
      `Approval request ${request.requestId} is ${request.status}` +
        (request.decidedBy ? ` (by ${request.decidedBy} at ${request.decidedAt}: ${request.decisionReason})` : '') +
        '; nothing changed.',
    );
    this.name = 'ApprovalAlreadyDecidedError';
  }
}

export class ApprovalExpiredError extends Error {
  constructor(readonly request: ApprovalRequest) {
    super(
      `Approval request ${request.requestId} expired at ${request.expiresAt}; the ${request.kind} ends as ` +
        'ApprovalTimedOut. Start it again if it is still needed.',
    );
    this.name = 'ApprovalExpiredError';
  }
}

export class DecisionNotDeliveredError extends Error {
  constructor(
    readonly request: ApprovalRequest,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `The decision on ${request.requestId} was recorded, but execution ${request.executionArn} no longer waits ` +
        `for it (${reason}); the request is now EXPIRED. Start the ${request.kind} again if it is still needed.`,
      options,
    );
    this.name = 'DecisionNotDeliveredError';
  }
}

export class InvalidDecisionError extends Error {
  constructor(problem: string) {
    super(`Invalid decision: ${problem}.`);
    this.name = 'InvalidDecisionError';
  }
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

/**
 * A request is decided exactly once and never after it expired: the decision and its audit entry in one
 * transaction, then the callback that lets the waiting execution go on. An execution that no longer waits marks
 * the request EXPIRED; a transient callback failure puts it back to PENDING so the decision can be made again.
 */
async function decide(
  store: ApprovalStore,
  requestId: string,
  status: 'APPROVED' | 'REJECTED',
  decision: Decision,
): Promise<ApprovalRequest> {
  if (!decision.reason?.trim()) throw new InvalidDecisionError('a decision needs a reason: it goes to the audit log');
  if (!decision.actor?.trim()) throw new InvalidDecisionError('a decision needs an actor');
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
              UpdateExpression: 'SET #status = :decided, decidedBy = :actor, decidedAt = :at, decisionReason = :reason',
              ConditionExpression: '#status = :pending AND expiresAt > :at',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':decided': status,
                ':pending': 'PENDING',
                ':actor': decision.actor,
                ':at': decidedAt,
                ':reason': decision.reason,
              },
            },
          },
          {
            Put: {
              TableName: store.auditTable,
              Item: {
                subject: request.subject,
                at: `${decidedAt}#${requestId}#${status.toLowerCase()}#${randomUUID().slice(0, 8)}`,
                actor: decision.actor,
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
      await store.callbacks.succeed(request.taskToken, {
        decision: 'APPROVED',
        requestId,
        decidedBy: decision.actor,
        decidedAt,
        reason: decision.reason,
      });
    } else {
      await store.callbacks.fail(
        request.taskToken,
        REJECTION_ERRORS[request.kind],
        `Rejected by ${decision.actor} at ${decidedAt}: ${decision.reason}`,
      );
    }
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/TaskTimedOut|TaskDoesNotExist|InvalidToken/.test(name)) {
      await store.dynamo.send(
        new UpdateCommand({
          TableName: store.approvalsTable,
          Key: { requestId },
          UpdateExpression: 'SET #status = :expired REMOVE taskToken',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expired': 'EXPIRED' },
        }),
      );
      throw new DecisionNotDeliveredError(request, name, { cause: error });
    }
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
        UpdateExpression: 'SET #status = :pending REMOVE decidedBy, decidedAt, decisionReason',
        ConditionExpression: '#status = :decided AND decidedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING', ':decided': status, ':at': decidedAt },
      }),
    );
    throw error;
  }
  return getApproval(store, requestId);
}
