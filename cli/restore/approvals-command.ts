/**
 * `rds-ops approvals list | show ID | approve ID --reason TEXT [--actor NAME] | reject ID --reason TEXT
 * [--actor NAME]`: answers the approval requests of the restore and cutover workflows (a conditional decision
 * with its audit entry, then SendTaskSuccess / SendTaskFailure on the waiting execution's task token).
 */
import { parseArgs } from 'node:util';
import {
  type ApprovalRequest,
  type ApprovalStatus,
  type ApprovalStore,
  approveRequest,
  getApproval,
  listApprovals,
  rejectRequest,
} from '../../operations/approvals';
import { EXIT } from '../cli-io';
import { UsageError } from '../errors';

export const APPROVALS_USAGE =
  'usage: rds-ops approvals list [--status PENDING|APPROVED|REJECTED|EXPIRED] [--json] | show ID [--json] | ' +
  'approve ID --reason TEXT [--actor NAME] | reject ID --reason TEXT [--actor NAME]';

export interface ApprovalsCommandDependencies {
  readonly store: ApprovalStore;
  readonly out: (line: string) => void;
  /** Who decides when --actor is absent. */
  readonly defaultActor: string;
  /**
   * The caller's identity (the STS GetCallerIdentity ARN), asked once a decision is complete. When given, it is
   * the decision's actor and the `--actor` name is kept beside it as its label. @default the `--actor` name is
   * the actor
   */
  readonly identity?: () => Promise<string>;
}

const STATUSES: readonly ApprovalStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'];

export async function runApprovalsCommand(
  argv: readonly string[],
  deps: ApprovalsCommandDependencies,
): Promise<number> {
  const { values, positionals } = parse(argv);
  const [verb, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected "${extra[0]}". ${APPROVALS_USAGE}`);
  switch (verb) {
    case 'list': {
      const status = (values.status ?? 'PENDING').toUpperCase() as ApprovalStatus;
      if (!STATUSES.includes(status))
        throw new UsageError(`--status takes one of ${STATUSES.join(', ')}, got "${values.status}".`);
      const requests = await listApprovals(deps.store, status);
      if (values.json) deps.out(JSON.stringify(requests.map(withoutToken)));
      else if (requests.length === 0) deps.out(`No ${status.toLowerCase()} approval requests.`);
      else for (const request of requests) deps.out(summaryLine(request));
      return EXIT.ok;
    }
    case 'show': {
      const request = await getApproval(deps.store, requireId(id));
      if (values.json) deps.out(JSON.stringify(withoutToken(request)));
      else for (const line of details(request)) deps.out(line);
      return EXIT.ok;
    }
    case 'approve':
    case 'reject': {
      const reason = values.reason;
      if (!reason) throw new UsageError(`approvals ${verb} needs --reason TEXT (it goes to the audit log).`);
      const requestId = requireId(id);
      const label = values.actor ?? deps.defaultActor;
      const decision = deps.identity ? { actor: await deps.identity(), label, reason } : { actor: label, reason };
      const decided =
        verb === 'approve'
          ? await approveRequest(deps.store, requestId, decision)
          : await rejectRequest(deps.store, requestId, decision);
      deps.out(
        `${decided.requestId} ${decided.status} by ${decider(decided)}: the ${decided.kind} of ${decided.table} ` +
          `${decided.status === 'APPROVED' ? 'goes on' : 'ends as rejected'} (${decided.executionArn}).`,
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(verb ? `unknown approvals command "${verb}". ${APPROVALS_USAGE}` : APPROVALS_USAGE);
  }
}

function requireId(id: string | undefined): string {
  if (!id) throw new UsageError(`name the approval request (see rds-ops approvals list). ${APPROVALS_USAGE}`);
  return id;
}

function summaryLine(request: ApprovalRequest): string {
  return `${request.requestId}  ${request.status}  ${request.kind} of ${request.table}  asked by ${request.requestedBy} at ${request.requestedAt}  (expires ${request.expiresAt})`;
}

function details(request: ApprovalRequest): string[] {
  return [
    `${request.requestId}: ${request.status}`,
    `  ${request.kind} of ${request.table}, asked by ${request.requestedBy} at ${request.requestedAt}`,
    `  reason: ${request.reason}`,
    ...Object.entries(request.details ?? {}).map(([key, value]) => `  ${key}: ${String(value)}`),
    `  expires: ${request.expiresAt}`,
    `  execution: ${request.executionArn}`,
    ...(request.decidedBy
      ? [`  decided by ${decider(request)} at ${request.decidedAt}: ${request.decisionReason}`]
      : []),
    ...(request.status === 'PENDING'
      ? [
          `  approve: rds-ops approvals approve ${request.requestId} --reason "<why>"`,
          `  reject:  rds-ops approvals reject ${request.requestId} --reason "<why>"`,
        ]
      : []),
  ];
}

function decider(request: ApprovalRequest): string {
  return request.decidedByLabel ? `${request.decidedByLabel} (${request.decidedBy})` : `${request.decidedBy}`;
}

/** The task token stays out of the output: whoever holds it can decide without an audit entry. */
function withoutToken(request: ApprovalRequest): Omit<ApprovalRequest, 'taskToken'> {
  const { taskToken: _token, ...rest } = request;
  return rest;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        reason: { type: 'string' },
        actor: { type: 'string' },
        status: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} ${APPROVALS_USAGE}`);
  }
}
