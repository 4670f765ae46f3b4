/** Shapes shared by the local EventBridge bus: events as targets see them, rules, targets and deliveries. */

/** An event as EventBridge delivers it to a target (the envelope PutEvents builds around `Detail`). */
export interface EventBridgeEvent {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** How a target's input is derived from the event; at most one of the three may be set, as on AWS. */
export interface RuleTargetInput {
  /** Constant JSON text sent instead of the event. */
  readonly Input?: string;
  /** JSONPath into the event (`$.detail`); the selected part is sent. */
  readonly InputPath?: string;
  readonly InputTransformer?: {
    /** Variable name -> JSONPath into the event. */
    readonly InputPathsMap?: Readonly<Record<string, string>>;
    /** Text with `<variable>` placeholders; JSON after substitution, or a plain string. */
    readonly InputTemplate: string;
  };
}

export interface RuleTargetSpec extends RuleTargetInput {
  readonly id: string;
  readonly arn: string;
  readonly roleArn?: string;
  /** Where failed deliveries go on AWS (an SQS queue ARN); locally they land in `bus.deadLetters` either way. */
  readonly deadLetterArn?: string;
  /**
   * Total delivery attempts before the event is dead-lettered. AWS retries for up to 24 hours (185 attempts)
   * with exponential backoff and jitter; locally the attempts run back to back.
   * @default 1
   */
  readonly maxAttempts?: number;
}

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleSpec {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  /** An event pattern as an object or as the JSON text PutRule takes. */
  readonly eventPattern?: unknown;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly targets: readonly RuleTargetSpec[];
}

/** One call the bus makes to a target. */
export interface TargetDelivery {
  readonly rule: RuleSpec;
  readonly target: RuleTargetSpec;
  /** What the target receives after Input / InputPath / InputTransformer. */
  readonly input: unknown;
  readonly event: EventBridgeEvent;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export interface TargetInvocationResult {
  /** Set when the target started a Step Functions execution. */
  readonly executionArn?: string;
  readonly detail?: unknown;
}

/** An entry as the PutEvents API takes it. */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** JSON text of an object. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** Name or ARN of the bus. @default 'default' */
  readonly EventBusName?: string;
  /** @default the bus clock's now */
  readonly Time?: Date | string | number;
}

export interface PutEventsResultEntry {
  readonly eventId?: string;
  /** As AWS reports per-entry failures: `InvalidArgument`, `MalformedDetail`. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface DeliveryError {
  readonly name: string;
  readonly message: string;
}

export interface DeliveryRecord {
  readonly eventId: string;
  readonly ruleName: string;
  readonly targetId: string;
  readonly input: unknown;
  readonly attempts: number;
  readonly executionArn?: string;
  readonly detail?: unknown;
  /** Set when every attempt failed; the event then sits in `bus.deadLetters`. */
  readonly error?: DeliveryError;
}

export interface PutEventsResult {
  readonly entries: readonly PutEventsResultEntry[];
  readonly failedEntryCount: number;
  readonly deliveries: readonly DeliveryRecord[];
}

/** What a dead-letter queue would hold: the event plus the attributes AWS attaches to the message. */
export interface DeadLetter {
  readonly event: EventBridgeEvent;
  readonly input: unknown;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  /** Undefined when the target has no DLQ: on AWS the event would be dropped. */
  readonly deadLetterArn?: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attempts: number;
  /** Epoch milliseconds on the bus clock. */
  readonly failedAt: number;
}
