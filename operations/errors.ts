/** Errors of the shared operations (approvals, restores): each says what is wrong and what to do. */
import type { ApprovalRequest } from './approvals';

/** No approval request has this id. */
export class ApprovalNotFoundError extends Error {
  constructor(readonly requestId: string) {
    super(`No approval request ${requestId}; list the pending ones with "rds-ops approvals list".`);
    this.name = 'ApprovalNotFoundError';
  }
}

/** The request was decided already (or expired): a request is decided exactly once. */
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

/** The request's approval window has passed; the workflow ends (or ended) as ApprovalTimedOut. */
export class ApprovalExpiredError extends Error {
  constructor(readonly request: ApprovalRequest) {
    super(
      `Approval request ${request.requestId} expired at ${request.expiresAt}; the ${request.kind} ends as ` +
        'ApprovalTimedOut. Start it again if it is still needed.',
    );
    this.name = 'ApprovalExpiredError';
  }
}

/** The decision was recorded but its execution no longer waits for it (timed out or ended). */
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

/** A decision without a reason or an actor. */
export class InvalidDecisionError extends Error {
  constructor(problem: string) {
    super(`Invalid decision: ${problem}.`);
    this.name = 'InvalidDecisionError';
  }
}
