/**
 * The HTTP status AWS answers a known error code with, so a stand-in or injected error carries
 * `Status Code: 500` in its Cause when AWS would (a circuit counting `*Status Code: 5*` depends on it).
 * Sources: the "Common Errors" page shared by the Query and JSON APIs, and each service's API reference
 * (Errors sections). An unknown code is a client error: 400.
 */

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // Common errors (every service): throttling and validation are client errors, failures are server errors.
  AccessDeniedException: 400,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  NotAuthorized: 400,
  OptInRequired: 403,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  Throttling: 400,
  ThrottlingException: 400,
  ValidationError: 400,
  ValidationException: 400,
  // DynamoDB
  InternalServerError: 500,
  ProvisionedThroughputExceededException: 400,
  RequestLimitExceeded: 400,
  // Lambda
  ServiceException: 500,
  TooManyRequestsException: 429,
  ResourceNotFoundException: 404,
  EC2UnexpectedException: 502,
  ENILimitReachedException: 502,
  // RDS
  DBInstanceNotFound: 404,
  DBClusterNotFoundFault: 404,
  DBSnapshotNotFound: 404,
  DBParameterGroupNotFound: 404,
  // SNS
  InternalError: 500,
  NotFound: 404,
  Throttled: 429,
  AuthorizationError: 403,
  // CloudWatch
  InternalServiceError: 500,
  ResourceNotFound: 404,
  // EventBridge
  InternalException: 500,
};

/** The HTTP status AWS answers `code` with: 500/503 for service failures, 429 where a service says so, else 400. */
export function httpStatusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}
