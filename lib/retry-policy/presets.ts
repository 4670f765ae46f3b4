/**
 * The one retry policy: named retry presets, each an exact ASL retrier (`ErrorEquals` and timing) that a
 * Task's `Retry` uses as it is. Timings live once per category, so every throttling retry of every service
 * backs off alike; presets add the error names of one integration. The policy check
 * (`policy-check.ts`) refuses a retrier that is not one of these, and docs/error-handling.md shows them
 * with their worst-case added delay (computed by `worst-case.ts`, checked by a test).
 */

/** The timing fields of an ASL retrier. `JitterStrategy: FULL` and a `MaxDelaySeconds` cap, always. */
export interface RetryTiming {
  readonly IntervalSeconds: number;
  readonly BackoffRate: number;
  readonly MaxAttempts: number;
  readonly MaxDelaySeconds: number;
  readonly JitterStrategy: 'FULL';
}

/** An ASL retrier as the files spell it. */
export interface AslRetrier extends Partial<Omit<RetryTiming, 'JitterStrategy'>> {
  readonly ErrorEquals: readonly string[];
  readonly JitterStrategy?: string;
  readonly Comment?: string;
}

export const RETRY_CATEGORIES = {
  /**
   * The service said slow down. Four retries over 15 s at most: a throttle that lasts longer is an outage
   * for the Catch and the circuit (and the probe lease of a protected call must outlast its retries).
   */
  'aws-throttling': { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 4, MaxDelaySeconds: 8, JitterStrategy: 'FULL' },
  /** A 5xx from the service: a few quick tries, then let the Catch and the circuit decide. */
  'aws-service-errors': {
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 3,
    MaxDelaySeconds: 8,
    JitterStrategy: 'FULL',
  },
  /** Lambda's own failures (not the handler's): AWS's recommended 1 s, x2, 3 retries, capped. */
  'lambda-service-errors': {
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 3,
    MaxDelaySeconds: 4,
    JitterStrategy: 'FULL',
  },
  /**
   * A handler's typed transient failure (ThrottledError, DependencyUnavailableError, DependencyTimeoutError),
   * after the SDK inside it already retried: wait a little longer before calling it again.
   */
  'handler-transient-errors': {
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 3,
    MaxDelaySeconds: 8,
    JitterStrategy: 'FULL',
  },
  /** Another transaction holds the item: it finishes in milliseconds, so retry soon and briefly. */
  'dynamodb-transaction-conflicts': {
    IntervalSeconds: 1,
    BackoffRate: 1.5,
    MaxAttempts: 3,
    MaxDelaySeconds: 4,
    JitterStrategy: 'FULL',
  },
  /** Control-plane calls (restores, table status) have low rate limits and long-running operations. */
  'control-plane': { IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
  /**
   * Calls a caller waits on synchronously: the circuit breaker's own Tasks (10 s TimeoutSeconds each) and the
   * callers' startSyncExecution of it (60 s). Short, so a slow breaker ends in the caller's catchable
   * States.Timeout and fail policy rather than in a long wait.
   */
  'synchronous-path': {
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 3,
    MaxDelaySeconds: 4,
    JitterStrategy: 'FULL',
  },
} as const satisfies Record<string, RetryTiming>;

export type RetryCategory = keyof typeof RETRY_CATEGORIES;

/**
 * What a Task calls, from its Resource: `lambda` (optimized invoke or a function ARN), an optimized
 * integration (`dynamodb`, `events`, `sns`, `states`), or an AWS SDK integration (`aws-sdk:rds`).
 */
export type Integration = string;

export interface RetryPreset {
  readonly name: string;
  readonly category: RetryCategory;
  /** The Task integrations whose transient failures this preset absorbs. */
  readonly integrations: readonly Integration[];
  readonly errorEquals: readonly string[];
  /** Why these names, for the docs. */
  readonly reason: string;
}

export const RETRY_PRESETS = [
  {
    name: 'lambda-service-errors',
    category: 'lambda-service-errors',
    integrations: ['lambda'],
    errorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    reason: 'the Lambda service failed or throttled the invocation; the handler did not run or its result was lost',
  },
  {
    name: 'handler-transient-errors',
    category: 'handler-transient-errors',
    integrations: ['lambda'],
    errorEquals: ['ThrottledError', 'DependencyUnavailableError', 'DependencyTimeoutError'],
    reason: "the retryable entries of the handler error catalog (a test keeps them equal to the catalog's)",
  },
  {
    name: 'dynamodb-throttling',
    category: 'aws-throttling',
    integrations: ['dynamodb'],
    errorEquals: [
      'DynamoDB.ProvisionedThroughputExceededException',
      'DynamoDB.RequestLimitExceededException',
      'DynamoDB.ThrottlingException',
    ],
    reason: 'optimized DynamoDB integration: table, account and control-plane throttling',
  },
  {
    name: 'dynamodb-service-errors',
    category: 'aws-service-errors',
    integrations: ['dynamodb'],
    errorEquals: ['DynamoDB.InternalServerErrorException'],
    reason: 'optimized DynamoDB integration: a 500 from DynamoDB',
  },
  {
    name: 'dynamodb-sdk-throttling',
    category: 'aws-throttling',
    integrations: ['aws-sdk:dynamodb'],
    errorEquals: [
      'DynamoDb.ProvisionedThroughputExceededException',
      'DynamoDb.RequestLimitExceededException',
      'DynamoDb.ThrottlingException',
    ],
    reason: 'AWS SDK DynamoDB integration (Java SDK v2 casing `DynamoDb`): throttling',
  },
  {
    name: 'dynamodb-sdk-service-errors',
    category: 'aws-service-errors',
    integrations: ['aws-sdk:dynamodb'],
    errorEquals: ['DynamoDb.InternalServerErrorException'],
    reason: 'AWS SDK DynamoDB integration: a 500 from DynamoDB',
  },
  {
    name: 'dynamodb-transaction-conflicts',
    category: 'dynamodb-transaction-conflicts',
    integrations: ['aws-sdk:dynamodb'],
    errorEquals: ['DynamoDb.TransactionConflictException', 'DynamoDb.TransactionInProgressException'],
    reason:
      'a concurrent transaction on the same item; a ConditionalCheckFailed is an answer, never retried (Catch it)',
  },
  {
    name: 'dynamodb-control-plane',
    category: 'control-plane',
    integrations: ['aws-sdk:dynamodb'],
    errorEquals: ['DynamoDb.LimitExceededException'],
    reason: 'too many concurrent control-plane operations (restores, table updates) in the account',
  },
  {
    name: 'dynamodb-table-not-ready',
    category: 'control-plane',
    integrations: ['aws-sdk:dynamodb'],
    errorEquals: ['DynamoDb.ContinuousBackupsUnavailableException', 'DynamoDb.ResourceInUseException'],
    reason:
      'a table just restored or still updating: PITR cannot be enabled yet, or another update of the table is in progress',
  },
  {
    name: 'step-functions-errors',
    category: 'aws-throttling',
    integrations: ['states'],
    errorEquals: ['StepFunctions.ExecutionLimitExceededException', 'StepFunctions.AWSStepFunctionsException'],
    reason:
      'starting a nested workflow (startExecution.sync:2): too many running executions, or the unmodeled base exception (throttling, 5xx)',
  },
  {
    name: 'eventbridge-sdk-errors',
    category: 'aws-throttling',
    integrations: ['aws-sdk:eventbridge'],
    errorEquals: [
      'EventBridge.EventBridgeException',
      'EventBridge.InternalException',
      'EventBridge.ConcurrentModificationException',
    ],
    reason:
      'AWS SDK EventBridge integration (rule describe, disable, enable): the unmodeled base exception (throttling), a 500, or a concurrent update of the rule',
  },
  {
    name: 'application-auto-scaling-errors',
    category: 'aws-throttling',
    integrations: ['aws-sdk:applicationautoscaling'],
    errorEquals: [
      'ApplicationAutoScaling.ApplicationAutoScalingException',
      'ApplicationAutoScaling.ConcurrentUpdateException',
      'ApplicationAutoScaling.InternalServiceException',
    ],
    reason:
      'Application Auto Scaling: the unmodeled base exception (throttling), a concurrent update of the target, or a 500',
  },
  {
    name: 'rds-api-errors',
    category: 'aws-throttling',
    integrations: ['aws-sdk:rds'],
    errorEquals: ['Rds.RdsException', 'States.Timeout'],
    reason:
      'RDS throttling and 5xx are not in the RDS model, so the integration reports them as the base exception; a hung call ends in States.Timeout (TimeoutSeconds)',
  },
  {
    name: 'cloudwatch-errors',
    category: 'aws-throttling',
    integrations: ['aws-sdk:cloudwatch'],
    errorEquals: ['CloudWatch.CloudWatchException', 'CloudWatch.InternalServiceException'],
    reason: 'CloudWatch throttling is unmodeled (the base exception); InternalServiceFault is its 500',
  },
  {
    name: 'eventbridge-errors',
    category: 'aws-throttling',
    integrations: ['events'],
    errorEquals: ['EventBridge.AmazonEventBridgeException', 'EventBridge.InternalException', 'EventBridge.FailedEntry'],
    reason: 'PutEvents throttling (unmodeled), a 500, or entries the bus failed to take (retried whole)',
  },
  {
    name: 'sfn-errors',
    category: 'synchronous-path',
    integrations: ['aws-sdk:sfn'],
    errorEquals: ['Sfn.SfnException'],
    reason:
      'Step Functions API throttling and 5xx are unmodeled: the base exception. Today: the calls to the circuit breaker (startSyncExecution)',
  },
  {
    name: 'dynamodb-in-synchronous-path',
    category: 'synchronous-path',
    integrations: ['dynamodb'],
    errorEquals: [
      'DynamoDB.ProvisionedThroughputExceededException',
      'DynamoDB.RequestLimitExceededException',
      'DynamoDB.ThrottlingException',
      'DynamoDB.InternalServerErrorException',
    ],
    reason: "the circuit breaker's reads and conditional writes of the circuit table: throttling and 500s, briefly",
  },
  {
    name: 'eventbridge-in-synchronous-path',
    category: 'synchronous-path',
    integrations: ['events'],
    errorEquals: ['EventBridge.AmazonEventBridgeException', 'EventBridge.InternalException', 'EventBridge.FailedEntry'],
    reason: "the circuit breaker's state-change announcement (best effort)",
  },
  {
    name: 'cloudwatch-in-synchronous-path',
    category: 'synchronous-path',
    integrations: ['aws-sdk:cloudwatch'],
    errorEquals: ['CloudWatch.CloudWatchException', 'CloudWatch.InternalServiceException'],
    reason: "the circuit breaker's metrics (best effort)",
  },
  {
    name: 'sns-errors',
    category: 'aws-throttling',
    integrations: ['sns'],
    errorEquals: ['SNS.AmazonSNSException', 'SNS.ThrottledException', 'SNS.InternalErrorException'],
    reason: 'optimized SNS integration (Java SDK v1 names): throttling, a 500, and the unmodeled base exception',
  },
  {
    name: 'cost-explorer-errors',
    category: 'aws-throttling',
    integrations: ['aws-sdk:costexplorer'],
    errorEquals: ['CostExplorer.LimitExceededException', 'CostExplorer.CostExplorerException'],
    reason: 'Cost Explorer throttles with LimitExceededException; its 5xx are unmodeled',
  },
] as const satisfies readonly RetryPreset[];

export type RetryPresetName = (typeof RETRY_PRESETS)[number]['name'];

/** The ASL retrier of a preset, exactly as a Task's `Retry` lists it. */
export function presetRetrier(preset: RetryPreset): AslRetrier & RetryTiming {
  return { ErrorEquals: [...preset.errorEquals], ...RETRY_CATEGORIES[preset.category] };
}

export function findPreset(name: string): RetryPreset | undefined {
  return (RETRY_PRESETS as readonly RetryPreset[]).find((preset) => preset.name === name);
}
