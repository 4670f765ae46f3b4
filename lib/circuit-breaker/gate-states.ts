/**
 * The circuit gate and its record states, generated as ASL (JSONPath only, no Lambda): read the circuit
 * item, decide, call, record the outcome with conditional writes, announce transitions. The same rules as
 * `model.ts`. `scripts/sync-circuit-gates.ts` writes these states into the committed ASL files.
 */
import {
  CIRCUIT_EVENT_DETAIL_TYPE,
  CIRCUIT_EVENT_SOURCE,
  CIRCUIT_METRIC_NAMESPACE,
  CIRCUIT_STATE_METRIC,
} from './announcement';
import { clockStates } from './asl-clock';

export type AslState = Record<string, unknown>;
export type AslStates = Record<string, AslState>;
export type TableFailPolicy = 'FAIL_OPEN' | 'FAIL_CLOSED';

/** Every generated state's Comment starts with this, so a re-sync can find and replace them. */
export const GENERATED_MARKER = '[circuit-gate ';

export interface CircuitGateOptions {
  /** Circuit item key, kebab-case: `rds-api`. */
  readonly circuit: string;
  /** How operators call the dependency, used in state names: `RDS API`. */
  readonly label: string;
  /** The Task the circuit protects. Its Retry stays as written; its Next and Catch are generated. */
  readonly protectedState: string;
  /** Where the workflow continues after a successful call has been recorded. */
  readonly next: string;
  /** Where the workflow continues after a failed call (or a refused one) has been recorded. */
  readonly onFailure: string;
  /** Where the protected Task's error (`{ Error, Cause }`) is kept, e.g. `$.failure`. */
  readonly errorPath: string;
  /** Where a refused call goes; the error is at `errorPath`. @default a Fail state named "Fail fast because ..." */
  readonly onOpen?: string;
  /** Error names (after the Task's retries) that count as "the dependency is unhealthy". */
  readonly countedErrors: readonly string[];
  /** Per counted error, Cause patterns (`StringMatches`) of which one must match for it to count. */
  readonly countedCauses?: Readonly<Record<string, readonly string[]>>;
}

export interface CircuitGate {
  /** First state of the gate: point the workflow (and any loop) here instead of at the protected Task. */
  readonly entry: string;
  /** The states before the protected Task: read, decide, take the probe lease, refuse, fail policy. */
  readonly gateStates: AslStates;
  /** The states after it: record the outcome, transition, announce. */
  readonly recordStates: AslStates;
  /** What the protected Task gets: `Next` and `Catch`. */
  readonly protectedPatch: { readonly Next: string; readonly Catch: readonly AslState[] };
}

/** `rds-api` -> `RdsApi`: the prefix of the circuit's placeholders. */
export function pascalCircuitName(circuit: string): string {
  return circuit
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The settings placeholders a machine with this circuit needs (see `circuitSubstitutions`). */
export const SETTING_PLACEHOLDERS = [
  'FailureThreshold',
  'SuccessThreshold',
  'OpenTimeoutSeconds',
  'OpenTimeoutGrowth',
  'MaxOpenTimeoutSeconds',
  'FailureWindowSeconds',
  'ProbeLeaseSeconds',
  'OpenTimeoutLadder',
  'TableFailPolicy',
] as const;
export type SettingPlaceholder = (typeof SETTING_PLACEHOLDERS)[number];

/** `${Name}`: the text a DefinitionSubstitutions placeholder takes in the ASL. */
export function placeholder(name: string): string {
  return `\${${name}}`;
}

export function settingPlaceholder(circuit: string, setting: SettingPlaceholder): string {
  return placeholder(`${pascalCircuitName(circuit)}Circuit${setting}`);
}

const CIRCUIT_TABLE = placeholder('CircuitTableName');
const EVENT_BUS = placeholder('EventBusName');

const DYNAMODB_RETRY = {
  ErrorEquals: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceededException',
    'DynamoDB.ThrottlingException',
    'DynamoDB.InternalServerErrorException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 4,
  JitterStrategy: 'FULL',
};
const EVENTS_RETRY = {
  ErrorEquals: ['EventBridge.AmazonEventBridgeException', 'EventBridge.InternalException', 'EventBridge.FailedEntry'],
  IntervalSeconds: 1,
  MaxAttempts: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 4,
  JitterStrategy: 'FULL',
};
const METRICS_RETRY = {
  ErrorEquals: ['CloudWatch.CloudWatchException', 'CloudWatch.InternalServiceException'],
  IntervalSeconds: 1,
  MaxAttempts: 2,
  BackoffRate: 2,
  MaxDelaySeconds: 4,
  JitterStrategy: 'FULL',
};

/** The state names of one gate, as an operator reads them in the console. */
export function gateStateNames(label: string) {
  return {
    check: `Check ${label} circuit`,
    decide: `Does the ${label} circuit let the call through?`,
    clockRead: `Read the clock for the ${label} circuit`,
    clockConvert: `Compare the ${label} circuit deadlines with the clock`,
    due: `Is the ${label} circuit due for a probe?`,
    takeLease: `Take the ${label} probe lease`,
    takeOverLease: `Take over the expired ${label} probe lease`,
    announceProbe: `Announce that the ${label} circuit is half-open`,
    metricProbe: `Publish the half-open ${label} circuit metric`,
    open: `${label} circuit is open`,
    probeBusy: `${label} probe is already running`,
    failFast: `Fail fast because the ${label} circuit is open`,
    unreachable: `${label} circuit table is unreachable`,
    policy: `Does the ${label} fail policy allow the call?`,
    countUnreachable: `Count the unreachable ${label} circuit table`,
    unavailable: `${label} circuit state is unknown`,
    afterSuccess: `Did the ${label} call run as the probe?`,
    resetFailures: `Clear the ${label} failure count`,
    recordProbeSuccess: `Record the successful ${label} probe`,
    closeReached: `Has the ${label} success threshold been reached?`,
    close: `Close the ${label} circuit`,
    classify: `Does the error mean the ${label} is unhealthy?`,
    releaseLease: `Give back the ${label} probe lease`,
    exists: `Does the ${label} circuit exist yet?`,
    assumeFresh: `Assume a new ${label} circuit`,
    create: `Create the ${label} circuit with its default settings`,
    failureClockRead: `Read the clock to record the ${label} failure`,
    failureClockConvert: `Convert the clock to record the ${label} failure`,
    duringProbe: `Did the ${label} failure happen during the probe?`,
    windowExpired: `Has the ${label} failure window expired?`,
    newWindow: `Start a new ${label} failure window`,
    count: `Count the ${label} failure`,
    thresholdReached: `Has the ${label} failure threshold been reached?`,
    openCircuit: `Open the ${label} circuit`,
    ladderTop: `Is the ${label} open timeout at its longest?`,
    nextRung: `Take the next longer ${label} open timeout`,
    topRung: `Keep the longest ${label} open timeout`,
    reopen: `Reopen the ${label} circuit`,
    announce: `Announce the ${label} circuit state change`,
    metric: `Publish the ${label} circuit state metric`,
    route: `Continue after the ${label} circuit state change`,
  };
}

/** `rds-api` -> `$.rdsApiCircuit`: where the gate keeps what it read and decided. */
export function gateDataPath(circuit: string): string {
  const pascal = pascalCircuitName(circuit);
  return `$.${pascal.charAt(0).toLowerCase()}${pascal.slice(1)}Circuit`;
}

/** Generates the gate, record and announcement states for one protected Task. */
export function circuitGateStates(options: CircuitGateOptions): CircuitGate {
  const { circuit, label } = options;
  const n = gateStateNames(label);
  const K = gateDataPath(circuit);
  const P = options.protectedState;
  const ph = (setting: SettingPlaceholder) => settingPlaceholder(circuit, setting);
  const comment = (purpose: string) =>
    `${GENERATED_MARKER}${circuit}] ${purpose} Generated from state-machines/circuit-gates.json by scripts/sync-circuit-gates.ts; edit those, not this state.`;
  const refused = options.onOpen ?? n.failFast;
  const key = { circuit: { S: circuit } };

  const values: Record<string, unknown> = {
    ':one': { N: '1' },
    ':zero': { N: '0' },
    ':closed': { S: 'CLOSED' },
    ':open': { S: 'OPEN' },
    ':halfOpen': { S: 'HALF_OPEN' },
    ':now': { 'N.$': `States.Format('{}', ${K}.clock.now)` },
    ':me': { 'S.$': '$$.Execution.Id' },
    ':at': { 'S.$': '$$.State.EnteredTime' },
  };
  const names: Record<string, string> = { '#state': 'state', '#version': 'version', '#config': 'config' };

  /** A conditional UpdateItem on the circuit item; only the names and values it uses are sent. */
  const update = (spec: {
    purpose: string;
    update: string;
    condition: string;
    values?: Record<string, unknown>;
    returnValues?: 'ALL_NEW';
    resultSelector?: Record<string, unknown>;
    resultPath: string | null;
    next: string;
    catchTo: string;
    catchPath?: string;
  }): AslState => {
    const text = `${spec.update} ${spec.condition}`;
    const allValues = { ...values, ...(spec.values ?? {}) };
    const usedValues = Object.fromEntries(Object.entries(allValues).filter(([name]) => usesToken(text, name)));
    const usedNames = Object.fromEntries(Object.entries(names).filter(([name]) => usesToken(text, name)));
    return {
      Type: 'Task',
      Comment: comment(spec.purpose),
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: CIRCUIT_TABLE,
        Key: key,
        UpdateExpression: spec.update,
        ConditionExpression: spec.condition,
        ...(Object.keys(usedNames).length > 0 ? { ExpressionAttributeNames: usedNames } : {}),
        ExpressionAttributeValues: usedValues,
        ...(spec.returnValues ? { ReturnValues: spec.returnValues } : {}),
      },
      ...(spec.resultSelector ? { ResultSelector: spec.resultSelector } : {}),
      ResultPath: spec.resultPath,
      Retry: [DYNAMODB_RETRY],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: spec.catchPath ?? `${K}.recordError`, Next: spec.catchTo }],
      Next: spec.next,
    };
  };
  const stamp = 'updatedAt = :at, changedBy = :me';
  const change = (from: string, to: string) => ({
    from,
    to,
    'version.$': 'States.StringToJson($.Attributes.version.N)',
  });

  const announce = (names: { announce: string; metric: string }, path: string, next: string): AslStates => ({
    [names.announce]: {
      Type: 'Task',
      Comment: comment('Tells subscribers (alarms, the timeline, chat) that the circuit changed state.'),
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [
          {
            Source: CIRCUIT_EVENT_SOURCE,
            DetailType: CIRCUIT_EVENT_DETAIL_TYPE,
            EventBusName: EVENT_BUS,
            Detail: {
              circuit,
              label,
              'from.$': `${path}.from`,
              'to.$': `${path}.to`,
              'version.$': `${path}.version`,
              'at.$': '$$.State.EnteredTime',
              'executionId.$': '$$.Execution.Id',
            },
          },
        ],
      },
      ResultPath: null,
      Retry: [EVENTS_RETRY],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `${K}.announceError`, Next: names.metric }],
      Next: names.metric,
    },
    [names.metric]: {
      Type: 'Task',
      Comment: comment('Counts the transition in CloudWatch, by target state, for dashboards and alarms.'),
      Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      Parameters: {
        Namespace: CIRCUIT_METRIC_NAMESPACE,
        MetricData: [
          {
            MetricName: CIRCUIT_STATE_METRIC,
            Dimensions: [
              { Name: 'Circuit', Value: circuit },
              { Name: 'ToState', 'Value.$': `${path}.to` },
            ],
            Value: 1,
            Unit: 'Count',
          },
        ],
      },
      ResultPath: null,
      Retry: [METRICS_RETRY],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `${K}.metricError`, Next: next }],
      Next: next,
    },
  });

  const refusal = (purpose: string, error: string, cause: string): AslState => ({
    Type: 'Pass',
    Comment: comment(purpose),
    Parameters: { Error: error, 'Cause.$': cause },
    ResultPath: options.errorPath,
    Next: refused,
  });

  const gate: AslStates = {
    [n.check]: {
      Type: 'Task',
      Comment: comment('One strongly consistent read of the circuit item; a missing item means CLOSED.'),
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: CIRCUIT_TABLE, Key: key, ConsistentRead: true },
      // Replaces everything the gate kept from an earlier pass (a loop), so no stale lease survives.
      ResultSelector: { 'read.$': '$' },
      ResultPath: K,
      Retry: [{ ...DYNAMODB_RETRY, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `${K}.tableError`, Next: n.unreachable }],
      Next: n.decide,
    },
    [n.decide]: {
      Type: 'Choice',
      Comment: comment('CLOSED or missing: call. Anything else needs the clock.'),
      Choices: [
        { Not: { Variable: `${K}.read.Item`, IsPresent: true }, Next: P },
        { Variable: `${K}.read.Item.state.S`, StringEquals: 'CLOSED', Next: P },
      ],
      Default: n.clockRead,
    },
    ...clockStates({
      readName: n.clockRead,
      convertName: n.clockConvert,
      resultPath: `${K}.clock`,
      comment: comment('Turns the state entry time into epoch seconds to compare with the circuit deadlines.'),
      extraFields: {
        'openUntil.$': `States.StringToJson(${K}.read.Item.openUntil.N)`,
        'probeLeaseUntil.$': `States.StringToJson(${K}.read.Item.probeLeaseUntil.N)`,
      },
      next: n.due,
    }),
    [n.due]: {
      Type: 'Choice',
      Comment: comment('OPEN and due, or HALF_OPEN with no live lease: try to become the probe. Otherwise refuse.'),
      Choices: [
        {
          And: [
            { Variable: `${K}.read.Item.state.S`, StringEquals: 'OPEN' },
            { Variable: `${K}.clock.openUntil`, NumericLessThanEqualsPath: `${K}.clock.now` },
          ],
          Next: n.takeLease,
        },
        {
          And: [
            { Variable: `${K}.read.Item.state.S`, StringEquals: 'HALF_OPEN' },
            { Variable: `${K}.clock.probeLeaseUntil`, NumericLessThanEqualsPath: `${K}.clock.now` },
          ],
          Next: n.takeOverLease,
        },
        { Variable: `${K}.read.Item.state.S`, StringEquals: 'OPEN', Next: n.open },
      ],
      Default: n.probeBusy,
    },
    [n.takeLease]: update({
      purpose:
        'OPEN -> HALF_OPEN: exactly one execution wins this conditional write and probes; the others are refused.',
      update: `SET #state = :halfOpen, #version = #version + :one, probeHolder = :me, probeLeaseUntil = :now + #config.probeLeaseSeconds, ${stamp}`,
      condition: '#state = :open AND #version = :seen AND openUntil <= :now',
      values: { ':seen': { 'N.$': `${K}.read.Item.version.N` } },
      returnValues: 'ALL_NEW',
      resultSelector: change('OPEN', 'HALF_OPEN'),
      resultPath: `${K}.probe`,
      next: n.announceProbe,
      catchTo: n.probeBusy,
    }),
    [n.takeOverLease]: update({
      purpose: 'The last probe never reported back and its lease expired: take the lease over.',
      update: `SET #version = #version + :one, probeHolder = :me, probeLeaseUntil = :now + #config.probeLeaseSeconds, ${stamp}`,
      condition: '#state = :halfOpen AND #version = :seen AND probeLeaseUntil <= :now',
      values: { ':seen': { 'N.$': `${K}.read.Item.version.N` } },
      returnValues: 'ALL_NEW',
      resultSelector: change('HALF_OPEN', 'HALF_OPEN'),
      resultPath: `${K}.probe`,
      next: P,
      catchTo: n.probeBusy,
    }),
    ...announce({ announce: n.announceProbe, metric: n.metricProbe }, `${K}.probe`, P),
    [n.open]: refusal(
      'Fails fast: no call reaches the dependency while the circuit is OPEN.',
      'CircuitOpenError',
      `States.Format('The ${label} circuit (${circuit}) has been OPEN since {} and refuses calls until epoch second {} ({} s timeout, last error {}). No call reached the dependency.', ${K}.read.Item.updatedAt.S, ${K}.clock.openUntil, ${K}.read.Item.openTimeoutSeconds.N, ${K}.read.Item.lastError.S)`,
    ),
    [n.probeBusy]: refusal(
      'Fails fast: another execution holds the HALF_OPEN probe lease (or won the race for it).',
      'CircuitOpenError',
      `States.Format('The ${label} circuit (${circuit}) is HALF_OPEN and another execution is probing the dependency (lease until epoch second {}). No call reached the dependency.', ${K}.clock.probeLeaseUntil)`,
    ),
    [n.unreachable]: {
      Type: 'Pass',
      Comment: comment('The circuit table could not be read or written; the fail policy decides.'),
      Parameters: { policy: ph('TableFailPolicy'), 'tableError.$': `${K}.tableError` },
      ResultPath: K,
      Next: n.policy,
    },
    [n.policy]: {
      Type: 'Choice',
      Comment: comment('FAIL_OPEN calls the dependency without protection; FAIL_CLOSED refuses the call.'),
      Choices: [{ Variable: `${K}.policy`, StringEquals: 'FAIL_OPEN', Next: n.countUnreachable }],
      Default: n.unavailable,
    },
    [n.countUnreachable]: {
      Type: 'Task',
      Comment: comment('Records that the gate failed open, so an alarm can tell the breaker is blind.'),
      Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      Parameters: {
        Namespace: CIRCUIT_METRIC_NAMESPACE,
        MetricData: [
          {
            MetricName: 'CircuitTableUnreachable',
            Dimensions: [{ Name: 'Circuit', Value: circuit }],
            Value: 1,
            Unit: 'Count',
          },
        ],
      },
      ResultPath: null,
      Retry: [METRICS_RETRY],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: `${K}.metricError`, Next: P }],
      Next: P,
    },
    [n.unavailable]: refusal(
      'FAIL_CLOSED: without the circuit state no call is made.',
      'CircuitUnavailableError',
      `States.Format('The ${label} circuit table could not be read ({}) and the circuit fails closed, so no call was made.', ${K}.tableError.Error)`,
    ),
  };
  if (options.onOpen === undefined) {
    gate[n.failFast] = {
      Type: 'Fail',
      Comment: comment('Ends the execution with the refusal as its error.'),
      ErrorPath: `${options.errorPath}.Error`,
      CausePath: `${options.errorPath}.Cause`,
    };
  }

  const countedRule = (name: string) => {
    const isError = { Variable: `${options.errorPath}.Error`, StringEquals: name };
    const patterns = options.countedCauses?.[name];
    if (!patterns) return isError;
    const causeRules = patterns.map((pattern) => ({ Variable: `${options.errorPath}.Cause`, StringMatches: pattern }));
    return { And: [isError, causeRules.length === 1 ? causeRules[0] : { Or: causeRules }] };
  };
  const countedChoice =
    options.countedErrors.length === 1
      ? countedRule(options.countedErrors[0])
      : { Or: options.countedErrors.map(countedRule) };

  const record: AslStates = {
    [n.afterSuccess]: {
      Type: 'Choice',
      Comment: comment('A probe success counts toward closing; a CLOSED success only clears a failure count.'),
      Choices: [
        { Variable: `${K}.probe`, IsPresent: true, Next: n.recordProbeSuccess },
        {
          And: [
            { Variable: `${K}.read.Item.failureCount.N`, IsPresent: true },
            { Not: { Variable: `${K}.read.Item.failureCount.N`, StringEquals: '0' } },
          ],
          Next: n.resetFailures,
        },
      ],
      Default: options.next,
    },
    [n.resetFailures]: update({
      purpose: 'Only consecutive failures open the circuit: a success clears the count.',
      update: `SET failureCount = :zero, windowEndsAt = :zero, ${stamp}`,
      condition: '#state = :closed AND failureCount > :zero',
      resultPath: null,
      next: options.next,
      catchTo: options.next,
    }),
    [n.recordProbeSuccess]: update({
      purpose: 'Counts the probe success and gives the lease back, so the next call can probe too.',
      update: `SET successCount = successCount + :one, #version = #version + :one, probeLeaseUntil = :zero, ${stamp} REMOVE probeHolder`,
      condition: '#state = :halfOpen AND probeHolder = :me',
      returnValues: 'ALL_NEW',
      resultSelector: {
        'successCount.$': 'States.StringToJson($.Attributes.successCount.N)',
        'successThreshold.$': 'States.StringToJson($.Attributes.config.M.successThreshold.N)',
        'version.$': '$.Attributes.version.N',
      },
      resultPath: `${K}.probeResult`,
      next: n.closeReached,
      catchTo: options.next,
    }),
    [n.closeReached]: {
      Type: 'Choice',
      Comment: comment('Enough successful probes close the circuit.'),
      Choices: [
        {
          Variable: `${K}.probeResult.successCount`,
          NumericGreaterThanEqualsPath: `${K}.probeResult.successThreshold`,
          Next: n.close,
        },
      ],
      Default: options.next,
    },
    [n.close]: update({
      purpose:
        'HALF_OPEN -> CLOSED: counters cleared, the open timeout back to its first rung. Conditioned on the ' +
        'threshold, not the version: another execution may take the free lease before this write lands.',
      update: `SET #state = :closed, #version = #version + :one, failureCount = :zero, windowEndsAt = :zero, successCount = :zero, openUntil = :zero, openCount = :zero, openTimeoutSeconds = #config.openTimeoutSeconds, ${stamp}`,
      condition: '#state = :halfOpen AND successCount >= #config.successThreshold',
      returnValues: 'ALL_NEW',
      resultSelector: change('HALF_OPEN', 'CLOSED'),
      resultPath: `${K}.transition`,
      next: n.announce,
      catchTo: options.next,
    }),
    [n.classify]: {
      Type: 'Choice',
      Comment: comment('Only throttling, 5xx and timeouts count against the circuit; other errors leave it alone.'),
      Choices: [
        { ...countedChoice, Next: n.exists },
        { Variable: `${K}.probe`, IsPresent: true, Next: n.releaseLease },
      ],
      Default: options.onFailure,
    },
    [n.releaseLease]: update({
      purpose: 'The probe got an answer that says nothing about health: give the lease back uncounted.',
      update: `SET #version = #version + :one, probeLeaseUntil = :zero, ${stamp} REMOVE probeHolder`,
      condition: '#state = :halfOpen AND probeHolder = :me',
      resultPath: null,
      next: options.onFailure,
      catchTo: options.onFailure,
    }),
    [n.exists]: {
      Type: 'Choice',
      Comment: comment('The first failure ever creates the item, with the settings from CDK config.'),
      Choices: [{ Variable: `${K}.read.Item`, IsPresent: true, Next: n.failureClockRead }],
      Default: n.assumeFresh,
    },
    [n.assumeFresh]: {
      Type: 'Pass',
      Comment: comment('What a missing item means: CLOSED, nothing counted, default settings.'),
      Parameters: {
        Item: {
          circuit: { S: circuit },
          state: { S: 'CLOSED' },
          version: { N: '0' },
          failureCount: { N: '0' },
          windowEndsAt: { N: '0' },
          successCount: { N: '0' },
          openedAt: { N: '0' },
          openUntil: { N: '0' },
          openTimeoutSeconds: { N: ph('OpenTimeoutSeconds') },
          openCount: { N: '0' },
          probeLeaseUntil: { N: '0' },
          updatedAt: { 'S.$': '$$.State.EnteredTime' },
          changedBy: { 'S.$': '$$.Execution.Id' },
          config: {
            M: {
              failureThreshold: { N: ph('FailureThreshold') },
              successThreshold: { N: ph('SuccessThreshold') },
              openTimeoutSeconds: { N: ph('OpenTimeoutSeconds') },
              openTimeoutGrowth: { N: ph('OpenTimeoutGrowth') },
              maxOpenTimeoutSeconds: { N: ph('MaxOpenTimeoutSeconds') },
              failureWindowSeconds: { N: ph('FailureWindowSeconds') },
              probeLeaseSeconds: { N: ph('ProbeLeaseSeconds') },
              openTimeoutLadder: { S: ph('OpenTimeoutLadder') },
            },
          },
        },
      },
      ResultPath: `${K}.read`,
      Next: n.create,
    },
    [n.create]: {
      Type: 'Task',
      Comment: comment('Creates the item unless a concurrent execution already did; either way, count next.'),
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: {
        TableName: CIRCUIT_TABLE,
        'Item.$': `${K}.read.Item`,
        ConditionExpression: 'attribute_not_exists(circuit)',
      },
      ResultPath: null,
      Retry: [DYNAMODB_RETRY],
      Catch: [
        { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: n.failureClockRead },
        { ErrorEquals: ['States.ALL'], ResultPath: `${K}.recordError`, Next: options.onFailure },
      ],
      Next: n.failureClockRead,
    },
    ...clockStates({
      readName: n.failureClockRead,
      convertName: n.failureClockConvert,
      resultPath: `${K}.clock`,
      comment: comment('Epoch seconds for the failure window and the open deadline.'),
      extraFields: {
        'windowEndsAt.$': `States.StringToJson(${K}.read.Item.windowEndsAt.N)`,
        'openCount.$': `States.StringToJson(${K}.read.Item.openCount.N)`,
        'ladder.$': `States.StringSplit(${K}.read.Item.config.M.openTimeoutLadder.S, ',')`,
        'lastRung.$': `States.MathAdd(States.ArrayLength(States.StringSplit(${K}.read.Item.config.M.openTimeoutLadder.S, ',')), -1)`,
      },
      next: n.duringProbe,
    }),
    [n.duringProbe]: {
      Type: 'Choice',
      Comment: comment('A failed probe re-opens at once; other failures are counted.'),
      Choices: [{ Variable: `${K}.probe`, IsPresent: true, Next: n.ladderTop }],
      Default: n.windowExpired,
    },
    [n.windowExpired]: {
      Type: 'Choice',
      Comment: comment('Failures older than the window no longer count.'),
      Choices: [
        { Variable: `${K}.clock.windowEndsAt`, NumericLessThanEqualsPath: `${K}.clock.now`, Next: n.newWindow },
      ],
      Default: n.count,
    },
    [n.newWindow]: update({
      purpose: 'Starts a fresh window; compare-and-set on the old end, so concurrent restarts happen once.',
      update: `SET failureCount = :zero, windowEndsAt = :now + #config.failureWindowSeconds, ${stamp}`,
      condition: '#state = :closed AND windowEndsAt = :seenWindowEnd',
      values: { ':seenWindowEnd': { 'N.$': `${K}.read.Item.windowEndsAt.N` } },
      resultPath: null,
      next: n.count,
      catchTo: n.count,
    }),
    [n.count]: update({
      purpose: 'Atomic ADD: concurrent failures never lose a count.',
      update: `ADD failureCount :one SET ${stamp}`,
      condition: '#state = :closed',
      returnValues: 'ALL_NEW',
      resultSelector: {
        'failureCount.$': 'States.StringToJson($.Attributes.failureCount.N)',
        'failureThreshold.$': 'States.StringToJson($.Attributes.config.M.failureThreshold.N)',
        'version.$': '$.Attributes.version.N',
      },
      resultPath: `${K}.counted`,
      next: n.thresholdReached,
      catchTo: options.onFailure,
    }),
    [n.thresholdReached]: {
      Type: 'Choice',
      Comment: comment('At the threshold, try to open; the conditional write lets exactly one execution do it.'),
      Choices: [
        {
          Variable: `${K}.counted.failureCount`,
          NumericGreaterThanEqualsPath: `${K}.counted.failureThreshold`,
          Next: n.openCircuit,
        },
      ],
      Default: options.onFailure,
    },
    [n.openCircuit]: update({
      purpose: 'CLOSED -> OPEN, guarded by state and version: concurrent executions open it once.',
      update: `SET #state = :open, #version = #version + :one, openedAt = :now, openUntil = :now + #config.openTimeoutSeconds, openTimeoutSeconds = #config.openTimeoutSeconds, openCount = :one, successCount = :zero, lastError = :error, ${stamp}`,
      condition: '#state = :closed AND #version = :seen AND failureCount >= #config.failureThreshold',
      values: {
        ':seen': { 'N.$': `${K}.counted.version` },
        ':error': { 'S.$': `${options.errorPath}.Error` },
      },
      returnValues: 'ALL_NEW',
      resultSelector: change('CLOSED', 'OPEN'),
      resultPath: `${K}.transition`,
      next: n.announce,
      catchTo: options.onFailure,
    }),
    [n.ladderTop]: {
      Type: 'Choice',
      Comment: comment('Each consecutive re-open waits longer, up to the cap (the ladder is precomputed).'),
      Choices: [
        { Variable: `${K}.clock.openCount`, NumericGreaterThanEqualsPath: `${K}.clock.lastRung`, Next: n.topRung },
      ],
      Default: n.nextRung,
    },
    [n.nextRung]: {
      Type: 'Pass',
      Comment: comment('The next rung of the open-timeout ladder.'),
      Parameters: { 'seconds.$': `States.ArrayGetItem(${K}.clock.ladder, ${K}.clock.openCount)` },
      ResultPath: `${K}.timeout`,
      Next: n.reopen,
    },
    [n.topRung]: {
      Type: 'Pass',
      Comment: comment('The cap of the open timeout.'),
      Parameters: { 'seconds.$': `States.ArrayGetItem(${K}.clock.ladder, ${K}.clock.lastRung)` },
      ResultPath: `${K}.timeout`,
      Next: n.reopen,
    },
    [n.reopen]: update({
      purpose: 'HALF_OPEN -> OPEN: only the lease holder can re-open.',
      update: `SET #state = :open, #version = #version + :one, openedAt = :now, openUntil = :now + :timeout, openTimeoutSeconds = :timeout, openCount = openCount + :one, successCount = :zero, probeLeaseUntil = :zero, lastError = :error, ${stamp} REMOVE probeHolder`,
      condition: '#state = :halfOpen AND probeHolder = :me',
      values: { ':timeout': { 'N.$': `${K}.timeout.seconds` }, ':error': { 'S.$': `${options.errorPath}.Error` } },
      returnValues: 'ALL_NEW',
      resultSelector: change('HALF_OPEN', 'OPEN'),
      resultPath: `${K}.transition`,
      next: n.announce,
      catchTo: options.onFailure,
    }),
    ...announce({ announce: n.announce, metric: n.metric }, `${K}.transition`, n.route),
    [n.route]: {
      Type: 'Choice',
      Comment: comment('Back to the workflow: a close follows a success, an open follows a failure.'),
      Choices: [{ Variable: `${K}.transition.to`, StringEquals: 'CLOSED', Next: options.next }],
      Default: options.onFailure,
    },
  };

  return {
    entry: n.check,
    gateStates: gate,
    recordStates: record,
    protectedPatch: {
      Next: n.afterSuccess,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: options.errorPath, Next: n.classify }],
    },
  };
}

function usesToken(text: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}(?![A-Za-z0-9_])`).test(text);
}
