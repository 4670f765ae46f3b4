/**
 * The Error and Cause a Step Functions Task reports when a service call fails, per integration kind, so
 * local Retry/Catch route exactly as they would on AWS.
 *
 * Verified (sources in docs/fault-injection.md, "Error names"):
 * - AWS SDK integrations: `ServiceName.ErrorName`, both PascalCase, and the error always ends in `Exception`
 *   even when the API reference omits it (AWS docs: S3 `BucketAlreadyExists` -> `S3.BucketAlreadyExistsException`,
 *   ACM PCA -> `AcmPca.ResourceNotFoundException`).
 * - The names are those of the AWS SDK for Java v2: acronyms are cased as words (`DynamoDb`, `Sfn`,
 *   `Rds.DbInstanceNotFoundException`, `Rds.InvalidDbInstanceStateException`) and a `...Fault` shape becomes
 *   `...Exception` (RDS `DBInstanceNotFoundFault`, wire code `DBInstanceNotFound`). Seen in public state
 *   machines that Catch `Rds.DbInstanceNotFoundException` and `Rds.InvalidDbInstanceStateException`.
 * - An error the service model does not list for that service surfaces as the service's base exception:
 *   RDS `InvalidParameterCombination` is reported as `Rds.RdsException` (observed by sqlxpert/step-stay-stopped-
 *   aws-rds-aurora), and `DynamoDb.DynamoDbException`, `Rds.RdsException` were measured by iwamot/sfnx.
 *   So an RDS `Throttling` ("Rate exceeded") is `Rds.RdsException`, not `Rds.ThrottlingException`.
 * - Optimized DynamoDB: `DynamoDB.ConditionalCheckFailedException`; unmodeled errors `DynamoDB.AmazonDynamoDBException`
 *   (AWS sample). Optimized Lambda: `Lambda.ServiceException`, `Lambda.AWSLambdaException`, ... (AWS docs).
 *   Optimized EventBridge putEvents with FailedEntryCount > 0: `EventBridge.FailedEntry` (AWS docs).
 * - aws-sdk Cause: `<message> (Service: Rds, Status Code: 400, Request ID: <uuid>)` (LocalStack's parity-tested
 *   emulator; the same Java v2 text appears in CloudFormation errors). The status is the code's HTTP status on
 *   AWS (`http-status.ts`): an RDS `InternalFailure` reads `Status Code: 500`.
 *
 * NOT verified against AWS (best evidence, change here if AWS shows otherwise):
 * - DynamoDB, Lambda and SFN modeled errors are read from the installed @aws-sdk clients at run time. RDS, SNS,
 *   CloudWatch, EventBridge and Cost Explorer tables are partial and come from the API references (their clients
 *   are not dependencies); only `DBInstanceNotFound` -> `DBInstanceNotFoundFault` was checked against a model.
 *   A code missing from its table is treated as unmodeled (`<Service>.<Service>Exception`).
 * - Optimized SNS and EventBridge error names (`SNS.<Java v1 class>`, `SNS.AmazonSNSException`,
 *   `EventBridge.AmazonEventBridgeException`) and the optimized Cause text follow the AWS SDK for Java v1 and
 *   LocalStack; no AWS page states them.
 */

import { UnsupportedIntegrationError } from './errors';
import { httpStatusOf } from './http-status';

export type IntegrationKind = 'aws-sdk' | 'optimized';

export interface IntegrationErrorInput {
  readonly integration: IntegrationKind;
  /** The service as the resource ARN spells it: 'rds', 'dynamodb', 'sns', 'events' / 'eventbridge', 'cloudwatch', ... */
  readonly service: string;
  /** The raw AWS error code on the wire: 'Throttling', 'DBInstanceNotFound', 'ConditionalCheckFailedException'. */
  readonly errorCode: string;
}

export interface IntegrationCauseInput extends IntegrationErrorInput {
  /** The service's error message, e.g. 'Rate exceeded'. */
  readonly message: string;
  /** @default the code's HTTP status on AWS (`httpStatusOf`: InternalFailure 500, ServiceUnavailable 503, ...) */
  readonly statusCode?: number;
  /** @default '00000000-0000-4000-8000-000000000000' */
  readonly requestId?: string;
}

/** How a name was derived, for diagnostics and docs. */
export type IntegrationErrorBasis = 'modeled' | 'unmodeled' | 'documented';

interface ServiceNaming {
  /** AWS SDK for Java v2 service name: the prefix of aws-sdk integration errors. */
  readonly sdkPrefix: string;
  /** Raw wire code -> model shape name, for the errors the service model lists. */
  readonly modeled: () => Readonly<Record<string, string>>;
  readonly optimized?: {
    /** Prefix of optimized integration errors. */
    readonly prefix: string;
    /** AWS SDK for Java v1 base exception: the name of errors the model does not list. */
    readonly baseException: string;
    /** Service name in the Java v1 Cause text. */
    readonly causeService: string;
  };
}

const SAME = (codes: readonly string[]): Record<string, string> =>
  Object.fromEntries(codes.map((code) => [code, code]));

/**
 * The errors an installed AWS SDK v3 client models: every exception class it exports (a subclass of its
 * service base exception). These services speak a JSON protocol, so the wire code is the class name. Read at
 * run time, lazily, so the tables follow the pinned clients and cannot drift from them.
 */
function sdkModeledErrors(load: () => Record<string, unknown>, baseException: string): () => Record<string, string> {
  let cached: Record<string, string> | undefined;
  return () => {
    if (cached) return cached;
    const client = load();
    const Base = client[baseException] as abstract new (...args: never[]) => Error;
    const names = Object.entries(client)
      .filter(
        ([name, value]) => name !== baseException && typeof value === 'function' && value.prototype instanceof Base,
      )
      .map(([name]) => name);
    cached = SAME(names);
    return cached;
  };
}

const DYNAMODB_ERRORS = sdkModeledErrors(() => require('@aws-sdk/client-dynamodb'), 'DynamoDBServiceException');
const LAMBDA_ERRORS = sdkModeledErrors(() => require('@aws-sdk/client-lambda'), 'LambdaServiceException');
const SFN_ERRORS = sdkModeledErrors(() => require('@aws-sdk/client-sfn'), 'SFNServiceException');

/** RDS (Query protocol): wire codes differ from shape names. Common errors such as Throttling are not modeled. */
const RDS_ERRORS: Record<string, string> = {
  DBInstanceNotFound: 'DBInstanceNotFoundFault',
  DBInstanceAlreadyExists: 'DBInstanceAlreadyExistsFault',
  InvalidDBInstanceState: 'InvalidDBInstanceStateFault',
  DBClusterNotFoundFault: 'DBClusterNotFoundFault',
  InvalidDBClusterStateFault: 'InvalidDBClusterStateFault',
  DBSnapshotNotFound: 'DBSnapshotNotFoundFault',
  DBSnapshotAlreadyExists: 'DBSnapshotAlreadyExistsFault',
  InvalidDBSnapshotState: 'InvalidDBSnapshotStateFault',
  SnapshotQuotaExceeded: 'SnapshotQuotaExceededFault',
  InsufficientDBInstanceCapacity: 'InsufficientDBInstanceCapacityFault',
  InstanceQuotaExceeded: 'InstanceQuotaExceededFault',
  StorageQuotaExceeded: 'StorageQuotaExceededFault',
  DBParameterGroupNotFound: 'DBParameterGroupNotFoundFault',
};

const SNS_ERRORS: Record<string, string> = {
  AuthorizationError: 'AuthorizationErrorException',
  EndpointDisabled: 'EndpointDisabledException',
  InternalError: 'InternalErrorException',
  InvalidParameter: 'InvalidParameterException',
  ParameterValueInvalid: 'InvalidParameterValueException',
  InvalidSecurity: 'InvalidSecurityException',
  KMSAccessDenied: 'KMSAccessDeniedException',
  KMSDisabled: 'KMSDisabledException',
  KMSInvalidState: 'KMSInvalidStateException',
  KMSNotFound: 'KMSNotFoundException',
  KMSOptInRequired: 'KMSOptInRequired',
  KMSThrottling: 'KMSThrottlingException',
  NotFound: 'NotFoundException',
  PlatformApplicationDisabled: 'PlatformApplicationDisabledException',
  Throttled: 'ThrottledException',
  ValidationException: 'ValidationException',
};

/** CloudWatch models its parameter errors (unlike RDS); Throttling is not modeled. */
const CLOUDWATCH_ERRORS: Record<string, string> = {
  InternalServiceError: 'InternalServiceFault',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  LimitExceeded: 'LimitExceededFault',
  ResourceNotFound: 'ResourceNotFound',
  ResourceNotFoundException: 'ResourceNotFoundException',
  InvalidNextToken: 'InvalidNextToken',
};

const EVENTBRIDGE_ERRORS = SAME([
  'ConcurrentModificationException',
  'IllegalStatusException',
  'InternalException',
  'InvalidEventPatternException',
  'LimitExceededException',
  'ManagedRuleException',
  'OperationDisabledException',
  'ResourceAlreadyExistsException',
  'ResourceNotFoundException',
]);

const COST_EXPLORER_ERRORS = SAME([
  'BillExpirationException',
  'DataUnavailableException',
  'InvalidNextTokenException',
  'LimitExceededException',
  'RequestChangedException',
  'UnresolvableUsageUnitException',
]);

/** Application Auto Scaling (JSON protocol): the API reference's errors. */
const APPLICATION_AUTO_SCALING_ERRORS = SAME([
  'ConcurrentUpdateException',
  'FailedResourceAccessException',
  'InternalServiceException',
  'InvalidNextTokenException',
  'LimitExceededException',
  'ObjectNotFoundException',
  'ResourceNotFoundException',
  'TooManyTagsException',
  'ValidationException',
]);

const EVENTBRIDGE: ServiceNaming = {
  sdkPrefix: 'EventBridge',
  modeled: () => EVENTBRIDGE_ERRORS,
  optimized: { prefix: 'EventBridge', baseException: 'AmazonEventBridgeException', causeService: 'AmazonEventBridge' },
};

/** Keyed by the resource ARN spelling. `events` is the optimized ARN (`arn:aws:states:::events:putEvents`). */
const SERVICES: Readonly<Record<string, ServiceNaming>> = {
  rds: { sdkPrefix: 'Rds', modeled: () => RDS_ERRORS },
  dynamodb: {
    sdkPrefix: 'DynamoDb',
    modeled: DYNAMODB_ERRORS,
    optimized: { prefix: 'DynamoDB', baseException: 'AmazonDynamoDBException', causeService: 'AmazonDynamoDBv2' },
  },
  sns: {
    sdkPrefix: 'Sns',
    modeled: () => SNS_ERRORS,
    optimized: { prefix: 'SNS', baseException: 'AmazonSNSException', causeService: 'AmazonSNS' },
  },
  cloudwatch: { sdkPrefix: 'CloudWatch', modeled: () => CLOUDWATCH_ERRORS },
  costexplorer: { sdkPrefix: 'CostExplorer', modeled: () => COST_EXPLORER_ERRORS },
  sfn: { sdkPrefix: 'Sfn', modeled: SFN_ERRORS },
  lambda: {
    sdkPrefix: 'Lambda',
    modeled: LAMBDA_ERRORS,
    optimized: { prefix: 'Lambda', baseException: 'AWSLambdaException', causeService: 'AWSLambda' },
  },
  eventbridge: EVENTBRIDGE,
  events: EVENTBRIDGE,
  applicationautoscaling: { sdkPrefix: 'ApplicationAutoScaling', modeled: () => APPLICATION_AUTO_SCALING_ERRORS },
};

/** The Error of an optimized `events:putEvents` Task whose response has a non-zero FailedEntryCount (AWS docs). */
export const EVENTBRIDGE_FAILED_ENTRY = 'EventBridge.FailedEntry';

/** Services this module can name errors for, as resource ARNs spell them. */
export const KNOWN_INTEGRATION_SERVICES: readonly string[] = Object.keys(SERVICES);

const PLACEHOLDER_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The words of a name as the AWS SDK for Java v2 splits them before casing: `DBInstanceNotFound` is
 * DB / Instance / Not / Found, `EC2AccessDenied` is EC2 / Access / Denied.
 * @internal
 */
export function javaWords(name: string): string[] {
  let text = name.replace(/[^A-Za-z0-9]+/g, ' ');
  text = text.replace(/([^a-z]{2,})v([0-9]+)/g, '$1 v$2 ');
  text = text.replace(/([^A-Z]{2,})V([0-9]+)/g, '$1 V$2 ');
  text = text.split(/(?<=[a-z])(?=[A-Z](?:[a-zA-Z]|[0-9]))/).join(' ');
  text = text.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  text = text.replace(/([0-9])([a-zA-Z])/g, '$1 $2');
  return text.split(/\s+/).filter((word) => word.length > 0);
}

/** PascalCase as the AWS SDK for Java v2 writes it: `DBInstance` is `DbInstance`, `KMSDisabled` is `KmsDisabled`. */
export function javaPascalCase(name: string): string {
  return javaWords(name)
    .map((word) => word[0].toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}

/**
 * A request or response member as aws-sdk integrations spell it (AWS SDK for Java v2): the capitals a name
 * starts with are lowered, all but the last when a lowercase letter follows, then the first letter is raised.
 * `DBInstanceIdentifier` -> `DbInstanceIdentifier`, `DBInstances` -> `DbInstances`, `MultiAZ` stays `MultiAZ`.
 */
export function sdkMemberName(member: string): string {
  const run = member.length - member.replace(/^[A-Z]+/, '').length;
  let lowered: string;
  if (run === member.length) lowered = member.toLowerCase();
  else if (run > 1 && /[a-z]/.test(member[run]))
    lowered = member.slice(0, run - 1).toLowerCase() + member.slice(run - 1);
  else lowered = member.slice(0, run).toLowerCase() + member.slice(run);
  return lowered[0].toUpperCase() + lowered.slice(1);
}

function javaV2ExceptionName(shape: string, prefix: string): string {
  let name: string;
  if (shape.endsWith('Fault')) name = `${javaPascalCase(shape.slice(0, -'Fault'.length))}Exception`;
  else if (shape.endsWith('Exception')) name = javaPascalCase(shape);
  else name = `${javaPascalCase(shape)}Exception`;
  // The SDK reserves <Service>Exception for the base class, so a modeled shape of that name is renamed.
  return name === `${prefix}Exception` ? `Default${name}` : name;
}

function javaV1ExceptionName(shape: string): string {
  if (shape.endsWith('Fault')) return `${shape.slice(0, -'Fault'.length)}Exception`;
  return shape.endsWith('Exception') ? shape : `${shape}Exception`;
}

function namingOf(service: string): ServiceNaming {
  const naming = SERVICES[service];
  if (!naming) {
    throw new UnsupportedIntegrationError(
      `No error naming is known for service '${service}'. Use the resource ARN spelling, one of: ` +
        `${KNOWN_INTEGRATION_SERVICES.join(', ')}; or add the service to local/services/integration-error-names.ts.`,
    );
  }
  return naming;
}

/** The Error name and how it was derived. */
export function explainIntegrationErrorName(input: IntegrationErrorInput): {
  readonly name: string;
  readonly basis: IntegrationErrorBasis;
} {
  const naming = namingOf(input.service);
  const shape = naming.modeled()[input.errorCode];
  if (input.integration === 'aws-sdk') {
    if (shape === undefined) return { name: `${naming.sdkPrefix}.${naming.sdkPrefix}Exception`, basis: 'unmodeled' };
    return { name: `${naming.sdkPrefix}.${javaV2ExceptionName(shape, naming.sdkPrefix)}`, basis: 'modeled' };
  }
  const optimized = naming.optimized;
  if (!optimized) {
    throw new UnsupportedIntegrationError(
      `Step Functions has no optimized integration for '${input.service}'; call it through ` +
        `arn:aws:states:::aws-sdk:${input.service}:<action> and pass integration: 'aws-sdk'.`,
    );
  }
  if (shape === undefined) return { name: `${optimized.prefix}.${optimized.baseException}`, basis: 'unmodeled' };
  return { name: `${optimized.prefix}.${javaV1ExceptionName(shape)}`, basis: 'modeled' };
}

/** The `Error` Step Functions reports (and Retry/Catch `ErrorEquals` match) when a service call fails. */
export function integrationErrorName(input: IntegrationErrorInput): string {
  return explainIntegrationErrorName(input).name;
}

/**
 * The `Cause` Step Functions reports with that error. aws-sdk (Java v2):
 * `Rate exceeded (Service: Rds, Status Code: 400, Request ID: <uuid>)`; optimized (Java v1):
 * `<message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)`.
 */
export function integrationCause(input: IntegrationCauseInput): string {
  const naming = namingOf(input.service);
  const statusCode = input.statusCode ?? httpStatusOf(input.errorCode);
  const requestId = input.requestId ?? PLACEHOLDER_REQUEST_ID;
  if (input.integration === 'aws-sdk') {
    return `${input.message} (Service: ${naming.sdkPrefix}, Status Code: ${statusCode}, Request ID: ${requestId})`;
  }
  if (!naming.optimized) {
    throw new UnsupportedIntegrationError(`Step Functions has no optimized integration for '${input.service}'.`);
  }
  return (
    `${input.message} (Service: ${naming.optimized.causeService}; Status Code: ${statusCode}; ` +
    `Error Code: ${input.errorCode}; Request ID: ${requestId}; Proxy: null)`
  );
}

/** A service error as a Task failure: `{ error, cause }` ready for a Catch's `$.Error` / `$.Cause`. */
export function integrationFailure(
  failure: {
    readonly code: string;
    readonly message: string;
    readonly statusCode?: number;
    readonly requestId?: string;
  },
  integration: IntegrationKind,
  service: string,
): { readonly error: string; readonly cause: string } {
  const input = { integration, service, errorCode: failure.code };
  return {
    error: integrationErrorName(input),
    cause: integrationCause({
      ...input,
      message: failure.message,
      statusCode: failure.statusCode,
      requestId: failure.requestId,
    }),
  };
}
