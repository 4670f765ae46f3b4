/**
 * The `.waitForTaskToken` step of the restore and cutover workflows: records a PENDING approval request in
 * rds-approvals (with the task token `rds-ops approvals approve|reject` answers through SendTaskSuccess /
 * SendTaskFailure) and an audit-log entry. It returns at once; the workflow waits until an operator decides or
 * the approval times out.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, requireEnv } from '../shared/clients';
import { ConflictError, fromAwsError, InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

export interface RequestApprovalInput {
  readonly taskToken: string;
  /** What is to be approved. */
  readonly kind: 'restore' | 'cutover';
  readonly requestId: string;
  /** The audit subject, `table#health-alerts`. */
  readonly subject: string;
  /** The table the operation is about, as operators name it. */
  readonly table: string;
  readonly reason: string;
  readonly requestedBy: string;
  /** `$$.State.EnteredTime`. */
  readonly requestedAt: string;
  readonly expiresAt: string;
  readonly executionArn: string;
  /** What the operator is asked to approve, shown by `approvals show` (restore point, target table, ...). */
  readonly details: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
}

export interface RequestApprovalDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly approvalsTable: string;
  readonly auditTable: string;
}

export const PENDING = 'PENDING';

export async function requestApproval(
  input: RequestApprovalInput,
  deps: RequestApprovalDependencies,
): Promise<{ readonly requestId: string }> {
  const missing = [
    'taskToken',
    'kind',
    'requestId',
    'subject',
    'table',
    'requestedAt',
    'expiresAt',
    'executionArn',
  ].filter((field) => typeof (input as unknown as Record<string, unknown>)?.[field] !== 'string');
  if (missing.length > 0) throw new InvalidInputError(`request-approval needs ${missing.join(', ')} (strings).`);
  const item = {
    requestId: input.requestId,
    kind: input.kind,
    status: PENDING,
    subject: input.subject,
    table: input.table,
    reason: input.reason,
    requestedBy: input.requestedBy,
    requestedAt: input.requestedAt,
    expiresAt: input.expiresAt,
    executionArn: input.executionArn,
    taskToken: input.taskToken,
    details: input.details ?? {},
  };
  try {
    // A retried attempt of the same execution refreshes its own pending request; anyone else's is never touched.
    await deps.dynamo.send(
      new PutCommand({
        TableName: deps.approvalsTable,
        Item: item,
        ConditionExpression: 'attribute_not_exists(requestId) OR (executionArn = :execution AND #status = :pending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':execution': input.executionArn, ':pending': PENDING },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
      throw new ConflictError(`Approval request ${input.requestId} exists already and belongs to another decision.`, {
        cause: error,
      });
    }
    throw fromAwsError(error, `PutItem ${input.requestId}`);
  }
  try {
    await deps.dynamo.send(
      new PutCommand({
        TableName: deps.auditTable,
        Item: {
          subject: input.subject,
          at: `${input.requestedAt}#${input.requestId}#approval-requested`,
          actor: `workflow:${input.kind === 'restore' ? 'restore-table' : 'cutover-table'}`,
          action: `${input.kind}.approval-requested`,
          correlationId: input.executionArn,
          reason: input.reason,
          requestedBy: input.requestedBy,
          requestId: input.requestId,
          details: { ...input.details, expiresAt: input.expiresAt },
        },
        ConditionExpression: 'attribute_not_exists(subject)',
      }),
    );
  } catch (error) {
    // The entry of an earlier attempt is already there: nothing to add.
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') {
      throw fromAwsError(error, `PutItem audit entry of ${input.requestId}`);
    }
  }
  return { requestId: input.requestId };
}

export const handler = withErrorHandling('request-approval', (input: RequestApprovalInput) =>
  requestApproval(input, {
    dynamo: dynamo(),
    approvalsTable: requireEnv('APPROVALS_TABLE_NAME'),
    auditTable: requireEnv('AUDIT_TABLE_NAME'),
  }),
);
