/**
 * `POST /approvals/{id}/approve|reject` with `{ "reason": "..." }`: an operator's decision on a restore or cutover
 * waiting for approval, through the shared approval operations (decided exactly once, never after it expired, the
 * decision and its audit entry in one transaction, then SendTaskSuccess / SendTaskFailure with the stored token).
 * The decider is the caller's IAM identity.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { type ApprovalRequest, type ApprovalStore, approveRequest, rejectRequest } from '../../operations/approvals';
import {
  ApprovalAlreadyDecidedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  DecisionNotDeliveredError,
  InvalidDecisionError,
} from '../../operations/errors';
import { dynamo, requireEnv, stepFunctions } from '../shared/clients';
import { ConflictError, fromAwsError, type HandlerError, InvalidInputError, NotFoundError } from '../shared/errors';
import { apiHandler } from '../shared/http';
import { callerArn } from './caller-identity';
import { assertWritable } from './write-holds';

export const DecideApprovalPath = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an approval request id such as restore-health-alerts-20260301'),
});

export const DecideApprovalBody = z.strictObject(
  {
    reason: z
      .string({ error: 'is required: say why, for the audit log' })
      .trim()
      .min(3, 'must say why in at least 3 characters (it goes to the audit log)')
      .max(500, 'must be at most 500 characters'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be a JSON object with reason') },
);

export type DecisionAction = 'approve' | 'reject';

export interface DecideDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sfn: SFNClient;
  readonly approvalsTable: string;
  readonly auditTable: string;
  readonly now: () => number;
}

export async function decideApproval(
  requestId: string,
  action: DecisionAction,
  decision: { readonly actor: string; readonly reason: string },
  deps: DecideDependencies,
): Promise<ApprovalRequest> {
  const store: ApprovalStore = {
    dynamo: deps.dynamo,
    approvalsTable: deps.approvalsTable,
    auditTable: deps.auditTable,
    now: deps.now,
    callbacks: {
      succeed: async (taskToken, output) => {
        await deps.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      },
      fail: async (taskToken, error, cause) => {
        await deps.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
      },
    },
  };
  try {
    const decided =
      action === 'approve'
        ? await approveRequest(store, requestId, decision)
        : await rejectRequest(store, requestId, decision);
    const { taskToken: _token, ...visible } = decided;
    return visible;
  } catch (error) {
    throw asApiError(error, `${action} of ${requestId}`);
  }
}

/** Refusals of the approval operations as the API's typed errors. */
function asApiError(error: unknown, doing: string): HandlerError {
  if (error instanceof ApprovalNotFoundError) return new NotFoundError(error.message, { cause: error });
  if (
    error instanceof ApprovalAlreadyDecidedError ||
    error instanceof ApprovalExpiredError ||
    error instanceof DecisionNotDeliveredError
  ) {
    return new ConflictError(error.message, { cause: error });
  }
  if (error instanceof InvalidDecisionError) return new InvalidInputError(error.message, { cause: error });
  return fromAwsError(error, doing);
}

/** `/approvals/{id}/approve` -> `approve`. */
export function decisionOf(event: Pick<APIGatewayProxyEvent, 'resource'>): DecisionAction {
  const action = event.resource?.split('/').pop();
  if (action !== 'approve' && action !== 'reject') {
    throw new NotFoundError(`No approval decision at ${event.resource}; use approve or reject.`);
  }
  return action;
}

export const handler = apiHandler(
  { operation: 'decide-approval', path: DecideApprovalPath, body: DecideApprovalBody, maxBodyBytes: 4096 },
  async (request) => {
    const approvalsTable = requireEnv('APPROVALS_TABLE_NAME');
    request.annotate({ table: approvalsTable });
    // A decision writes the request and its audit entry: refused while a cutover copies into either table.
    await assertWritable(['rdsApprovals', 'auditLog'], {
      dynamo: dynamo(),
      coordinationTable: requireEnv('COORDINATION_TABLE_NAME'),
      now: () => Date.now(),
    });
    const decided = await decideApproval(
      request.path.id,
      decisionOf(request.event),
      { actor: callerArn(request.event), reason: request.body.reason },
      {
        dynamo: dynamo(),
        sfn: stepFunctions(),
        approvalsTable,
        auditTable: requireEnv('AUDIT_TABLE_NAME'),
        now: () => Date.now(),
      },
    );
    return { body: decided };
  },
);
