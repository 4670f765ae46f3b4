/**
 * The one place the API handlers reach the restore and approval operations. Until issue 9 lands they come from
 * `operations/recovery-contract.ts` (its contract, same names and signatures); then this file imports from
 * `operations/restores`, `operations/approvals` and `operations/errors` instead, and nothing else changes.
 */
export {
  ApprovalAlreadyDecidedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  type ApprovalRequest,
  type ApprovalStore,
  approveRequest,
  DecisionNotDeliveredError,
  describeRestore,
  InvalidDecisionError,
  listRestores,
  type RestoreRequest,
  type RestoreSummary,
  rejectRequest,
  restoreExecutionName,
  startRestore,
} from '../../operations/recovery-contract';
