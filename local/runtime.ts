/**
 * The local runtime: the synthesized app on one machine. Tables from the template in an in-process
 * DynamoDB (with the PITR emulator in front), every state machine on the local engine with its Tasks
 * bound to local implementations, EventBridge rules on a local bus, stand-ins for the AWS control plane,
 * one clock, and fault injection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, TagResourceCommand } from '@aws-sdk/client-dynamodb';
import { substitutePlaceholders } from '../lib/constructs/asl-definition';
import { TABLE_TAG } from '../lib/stacks/data-stack';
import { type AlarmStateChange, LocalAlarms } from './alarms/local-alarms';
import { type Clock, createClock } from './clock';
import type { ConsumedCapacity } from './dynamodb/consumed-capacity';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb/local-dynamodb';
import { LocalEventBus } from './events';
import { cloudTrailEvent, type RecordedApiCall } from './events/cloudtrail-events';
import { DEFAULT_EVENT_BUS } from './events/event-envelope';
import type {
  DeliveryRecord,
  EventBridgeEvent,
  PutEventsEntry,
  TargetDelivery,
  TargetInvocationResult,
} from './events/types';
import { FaultInjector } from './faults/fault-injector';
import type { FaultPlan } from './faults/fault-plan';
import { createServiceStandIns, type RdsInstanceFixture, type ServiceStandIns } from './services';
import { recordConsumedCapacity } from './services/cloudwatch-metric-data';
import { LocalFunctions } from './stepfunctions/bindings/lambda-function';
import type { ChildExecutionStarter } from './stepfunctions/bindings/step-functions';
import { parseDefinition } from './stepfunctions/definition';
import {
  InvalidDefinitionError,
  StateMachineTypeNotSupportedError,
  UnknownExecutionError,
  UnknownStateMachineError,
  UnknownTableError,
} from './stepfunctions/errors';
import { ExecutionRegistry } from './stepfunctions/execution-registry';
import { loadExecutions, saveExecutions } from './stepfunctions/execution-store';
import { type ExecutionRecord, LocalStateMachine, type TaskTarget } from './stepfunctions/local-state-machine';
import { type SyncExecutionResult, syncExecutionResult } from './stepfunctions/sync-execution';
import { TaskTokenRegistry } from './stepfunctions/task-tokens';
import type { AppModel, StateMachineModel, TableModel } from './template/app-model';

export type { SyncExecutionResult } from './stepfunctions/sync-execution';

export interface LocalRuntimeOptions {
  /** The app to run; `loadAppModel()` synthesizes the CDK app in-process. */
  readonly model: AppModel;
  /** @default real time */
  readonly clock?: Clock;
  readonly faultPlan?: FaultPlan;
  /** Persist DynamoDB (and the PITR log) here instead of in memory. */
  readonly dataDir?: string;
  /** Use another DynamoDB-compatible endpoint instead of the in-process one. @default process.env.DYNAMODB_ENDPOINT */
  readonly dynamoDbEndpoint?: string;
  /** The RDS fleet the stand-in serves. @default a seeded fleet of 36 instances */
  readonly fleet?: readonly RdsInstanceFixture[];
  /** Random source for Retry jitter. @default Math.random */
  readonly random?: () => number;
  /** Seconds `LatestRestorableDateTime` lags behind now. @default 300, as on AWS */
  readonly latestRestorableLagSeconds?: number;
  /** How long a restored table stays CREATING, in ms of clock time. @default 60_000 */
  readonly restoreDurationMs?: number;
  /**
   * Overrides every handler's POWERTOOLS_LOG_LEVEL (e.g. 'WARN' to keep a timeline readable, 'SILENT'
   * when stdout carries JSON). @default each function's own level, as deployed
   */
  readonly handlerLogLevel?: string;
  /** How many finished executions `runtime.executions` keeps, newest last. @default 10_000 */
  readonly executionHistoryLimit?: number;
}

/** A CloudTrail event the runtime put on the bus, and what its rules delivered. */
export interface CloudTrailDelivery {
  readonly event: EventBridgeEvent;
  readonly deliveries: DeliveryRecord[];
}

/** How many of the newest finished executions a data directory keeps across restarts. */
const SAVED_EXECUTIONS_LIMIT = 1000;

/** How often (in clock time) expired TTL items are swept: checked whenever an execution starts. */
const TTL_SWEEP_INTERVAL_MS = 60_000;

export class LocalRuntime {
  private readonly registry: ExecutionRegistry;
  private lastTtlSweep = Number.NEGATIVE_INFINITY;
  private readonly machines = new Map<string, LocalStateMachine>();
  private readonly pending = new Set<Promise<ExecutionRecord>>();
  private readonly background = new Set<Promise<unknown>>();
  /** The app's CloudWatch alarms, evaluated against the metrics the CloudWatch stand-in stores. */
  alarms!: LocalAlarms;
  private readonly recordedApiCalls: CloudTrailDelivery[] = [];

  private constructor(
    readonly model: AppModel,
    readonly clock: Clock,
    readonly dynamoDb: LocalDynamoDb,
    readonly dynamoDbClient: DynamoDBClient,
    readonly services: ServiceStandIns,
    readonly bus: LocalEventBus,
    readonly tokens: TaskTokenRegistry,
    readonly functions: LocalFunctions,
    readonly faults: FaultInjector,
    private readonly random: (() => number) | undefined,
    executionHistoryLimit: number,
    private readonly dataDir: string | undefined,
  ) {
    this.registry = new ExecutionRegistry(executionHistoryLimit);
  }

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const clock = options.clock ?? createClock();
    const runtime: { current?: LocalRuntime } = {};
    // The CloudWatch stand-in exists only after DynamoDB has started; usage reported before that is not kept.
    const usage: { record?: (consumed: readonly ConsumedCapacity[]) => void } = {};
    const dynamoDb = await startLocalDynamoDb({
      // What a trail logging management events delivers to EventBridge (DeleteTable of any table).
      onApiCall: (call) => runtime.current?.recordApiCall(call),
      clock,
      dataDir: options.dataDir,
      upstreamEndpoint: options.dynamoDbEndpoint ?? process.env.DYNAMODB_ENDPOINT,
      latestRestorableLagSeconds: options.latestRestorableLagSeconds,
      restoreDurationMs: options.restoreDurationMs,
      onConsumedCapacity: (consumed) => usage.record?.(consumed),
    });
    try {
      for (const table of options.model.tables) await dynamoDb.createTable(table);
      const dynamoDbClient = new DynamoDBClient({
        endpoint: dynamoDb.endpoint,
        region: options.model.env.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      for (const table of options.model.tables) await tagWithTableId(dynamoDbClient, table);
      const bus = new LocalEventBus({
        clock,
        account: options.model.env.account,
        region: options.model.env.region,
        invokeTarget: (delivery) => runtime.current!.deliver(delivery),
      });
      const services = createServiceStandIns({
        clock,
        fleet: options.fleet,
        region: options.model.env.region,
        accountId: options.model.env.account,
        onPutEvents: async (deliveries) => {
          await bus.routeEvents(deliveries);
        },
        rules: {
          get: (name, busName) => bus.describeRule(name, busName),
          setState: (name, busName, state) => bus.setRuleState(name, busName, state),
        },
      });
      // DynamoDB publishes consumed capacity per table, as AWS/DynamoDB does (what `capacity advise` reads).
      usage.record = (consumed) => recordConsumedCapacity(services.cloudwatch, consumed, clock.now());
      const faults = new FaultInjector(options.faultPlan ?? { seed: 1, faults: [] }, clock);
      runtime.current = new LocalRuntime(
        options.model,
        clock,
        dynamoDb,
        dynamoDbClient,
        services,
        bus,
        new TaskTokenRegistry(),
        new LocalFunctions(
          options.model.functions,
          clock,
          {
            AWS_REGION: options.model.env.region,
            AWS_DEFAULT_REGION: options.model.env.region,
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
          },
          options.handlerLogLevel ? { POWERTOOLS_LOG_LEVEL: options.handlerLogLevel } : {},
          // Handlers' EMF lines become CloudWatch datapoints; their X-Ray segments go to the local daemon.
          { cloudwatch: services.cloudwatch },
        ),
        faults,
        options.random,
        options.executionHistoryLimit ?? 10_000,
        options.dataDir,
      );
      runtime.current.alarms = new LocalAlarms({
        clock,
        alarms: options.model.alarms,
        datapoints: () => services.cloudwatch.datapoints,
        putEvents: (entries) => bus.putEvents(entries),
        publish: (params) => services.sns.publish(params),
        region: options.model.env.region,
        account: options.model.env.account,
      });
      for (const machine of options.model.stateMachines) runtime.current.register(machine);
      for (const rule of options.model.rules) bus.addRule(rule);
      await runtime.current.restoreExecutions();
      return runtime.current;
    } catch (error) {
      await dynamoDb.stop();
      throw error;
    }
  }

  /**
   * The "AWS API Call via CloudTrail" events the local services emitted (DeleteTable), oldest first, each with the
   * rule deliveries it made on the default bus once they are done.
   */
  get cloudTrailEvents(): readonly CloudTrailDelivery[] {
    return this.recordedApiCalls;
  }

  /**
   * Puts the CloudTrail event of an API call on the default bus, as a trail does on AWS (asynchronously: the call
   * has been answered already). `settle()` waits for its deliveries and the executions they start.
   */
  recordApiCall(call: RecordedApiCall): void {
    const event = cloudTrailEvent(call, { account: this.model.env.account, region: this.model.env.region });
    const recorded: CloudTrailDelivery = { event, deliveries: [] };
    this.recordedApiCalls.push(recorded);
    const delivery = this.clock
      .track(this.bus.routeEvents([{ eventBusName: DEFAULT_EVENT_BUS, event }]))
      .then((deliveries) => {
        recorded.deliveries.push(...deliveries);
      })
      .catch((error: unknown) => {
        console.warn(`rds-ops local: CloudTrail event ${event.id} not delivered: ${(error as Error).message}`);
      });
    this.background.add(delivery);
    void delivery.finally(() => this.background.delete(delivery));
  }

  /** The most recent finished executions (at most `executionHistoryLimit`), oldest first. */
  get executions(): readonly ExecutionRecord[] {
    return this.registry.finishedExecutions();
  }

  /** A running execution (with the handle that stops it) or a finished one the runtime still keeps. */
  findExecution(executionArn: string) {
    return this.registry.find(executionArn);
  }

  /** The executions running now. */
  runningExecutions(): ExecutionRecord[] {
    return this.registry.runningExecutions().map((execution) => execution.record);
  }

  /** The known executions of one state machine (by ARN), newest first. */
  executionsOf(stateMachineArn: string): ExecutionRecord[] {
    return this.registry.executionsOf(stateMachineArn);
  }

  /** The state machines of the app, one each (the lookup also knows them by workflow name and local name). */
  stateMachines(): LocalStateMachine[] {
    return this.model.stateMachines.map((machine) => this.stateMachine(machine.arn));
  }

  /**
   * StopExecution: a running execution ends ABORTED with the optional error and cause; a finished one is
   * left as it is. Resolves with the execution as it then is.
   */
  async stopExecution(executionArn: string, reason: { error?: string; cause?: string } = {}) {
    const found = this.registry.find(executionArn);
    if (!found?.running) return found?.record;
    found.running.stop(reason);
    return found.running.done;
  }

  /** State machines by workflow name (`inventory-refresh`), local name or ARN. */
  stateMachine(reference: string): LocalStateMachine {
    const machine = this.machines.get(reference);
    if (!machine) throw new UnknownStateMachineError(reference, this.workflowNames());
    return machine;
  }

  /** The local name of a table from its id in the data stack (`circuitBreakers`, `rdsInventory`, ...). */
  tableName(tableId: string): string {
    const table = this.model.tables.find((candidate) => candidate.tableId === tableId);
    if (!table) {
      const known = this.model.tables.flatMap((candidate) => (candidate.tableId ? [candidate.tableId] : []));
      throw new UnknownTableError(tableId, known);
    }
    return table.tableName;
  }

  workflowNames(): string[] {
    return this.model.stateMachines.map((machine) => machine.workflow ?? machine.name);
  }

  /** A state machine from a raw ASL file, its `${Placeholders}` filled with the app's substitutions. */
  loadDefinitionFile(file: string): LocalStateMachine {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InvalidDefinitionError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    const substituted = fillPlaceholders(text, this.model.stateMachines, file);
    const name = file.replace(/^.*\//, '').replace(/\.asl\.json$/, '');
    return this.localMachine({
      name,
      arn: `arn:aws:states:${this.model.env.region}:${this.model.env.account}:stateMachine:${name}`,
      definition: parseDefinition(substituted, file),
    });
  }

  start(reference: string, input: unknown, name?: string) {
    const machine = this.stateMachine(reference);
    this.sweepExpiredItemsWhenDue();
    const started = machine.start(input, name);
    this.registry.track(started);
    this.track(started.done);
    return started;
  }

  /** Resolves when the execution (running or finished) has ended; an ARN this runtime never ran is refused. */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    const found = this.registry.find(executionArn);
    if (!found) throw new UnknownExecutionError(executionArn);
    return found.running ? found.running.done : found.record;
  }

  /**
   * Deletes items whose TTL has passed on the runtime clock. AWS does this in the background within about
   * 48 hours; locally it happens at most once a minute of clock time, when an execution starts.
   */
  sweepExpiredItemsWhenDue(): void {
    const now = this.clock.now();
    if (now - this.lastTtlSweep < TTL_SWEEP_INTERVAL_MS) return;
    this.lastTtlSweep = now;
    // Like AWS's background TTL deletion, a failed sweep affects no execution; the next one retries.
    const sweep = this.clock.track(this.dynamoDb.sweepExpiredItems()).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      console.warn(`rds-ops local: ${reason}; expired items stay until the next sweep.`);
    });
    this.background.add(sweep);
    void sweep.finally(() => this.background.delete(sweep));
  }

  async execute(reference: string, input: unknown, name?: string): Promise<ExecutionRecord> {
    return this.start(reference, input, name).done;
  }

  /**
   * StartSyncExecution: runs an EXPRESS machine to its end (at most five minutes of clock time) and answers
   * as AWS does, also when the execution FAILED or TIMED_OUT (`status`, `error`, `cause`, no `output`).
   * A STANDARD machine is refused with `StateMachineTypeNotSupportedError`, an unknown one with
   * `UnknownStateMachineError`. Express executions are not kept in `executions` (AWS keeps no history).
   */
  async startSyncExecution(reference: string, input: unknown, name?: string): Promise<SyncExecutionResult> {
    return (await this.runSync(reference, input, name)).result;
  }

  private async runSync(reference: string, input: unknown, name?: string) {
    const machine = this.stateMachine(reference);
    if (machine.type !== 'EXPRESS') throw new StateMachineTypeNotSupportedError(machine.arn);
    const record = await this.start(reference, input, name).done;
    return { result: syncExecutionResult(record), record };
  }

  /** Puts events on the local bus, as `aws events put-events` would, and waits for the executions they start. */
  async sendEvents(entries: PutEventsEntry[]) {
    const result = await this.bus.putEvents(entries);
    const executions = await this.executionsStartedBy(result.deliveries);
    return { ...result, executions };
  }

  /**
   * Evaluates every CloudWatch alarm now, as CloudWatch does each minute: state changes put their events on the
   * bus (and run SNS actions). Returns the changes and the ARNs of the executions their events started, without
   * waiting for those (a restore started by an alarm waits for an operator's approval).
   */
  async evaluateAlarms(): Promise<{ changes: AlarmStateChange[]; startedExecutions: string[] }> {
    const changes = await this.alarms.evaluate();
    const startedExecutions = changes.flatMap((change) =>
      change.result.deliveries.flatMap((delivery) => (delivery.executionArn ? [delivery.executionArn] : [])),
    );
    return { changes, startedExecutions };
  }

  /** Fires a scheduled rule now, as if its schedule came due, and waits for the executions it starts. */
  async fireSchedule(ruleName: string) {
    const result = await this.bus.fireScheduledRule(ruleName);
    return { ...result, executions: await this.executionsStartedBy(result.deliveries) };
  }

  /** Waits until every execution started so far (and any they start) and any TTL sweep has finished. */
  async settle(): Promise<void> {
    while (this.pending.size + this.background.size > 0) await Promise.all([...this.pending, ...this.background]);
  }

  /**
   * Stops the runtime: executions still running end ABORTED (as a stopped service leaves them), and with a
   * data directory the newest 1,000 finished executions are saved there for the next start.
   */
  async stop(): Promise<void> {
    this.bus.stopSchedules();
    this.alarms.stop();
    const running = this.registry.runningExecutions();
    for (const execution of running) execution.stop();
    await Promise.all(running.map((execution) => execution.done));
    if (this.dataDir) {
      const finished = this.registry.finishedExecutions();
      await saveExecutions(executionStorePath(this.dataDir), finished.slice(-SAVED_EXECUTIONS_LIMIT));
    }
    await Promise.all([...this.background]);
    this.dynamoDbClient.destroy();
    await this.dynamoDb.stop();
  }

  private register(model: StateMachineModel): void {
    const machine = this.localMachine({
      name: model.name,
      arn: model.arn,
      definition: model.definition,
      roleArn: model.roleArn,
      type: model.type,
      workflow: model.workflow,
    });
    for (const key of [model.workflow, model.name, model.arn]) if (key) this.machines.set(key, machine);
  }

  private localMachine(spec: ConstructorParameters<typeof LocalStateMachine>[0]): LocalStateMachine {
    return new LocalStateMachine(spec, {
      clock: this.clock,
      random: this.random,
      beforeTask: (target: TaskTarget) => this.faults.beforeCall(target),
      // AWS keeps no execution history of Express machines: their runs live in the caller's trace.
      onExecutionFinished: (record) => {
        if (spec.type !== 'EXPRESS') this.registry.remember(record);
      },
      bindings: {
        clock: this.clock,
        functions: this.functions,
        dynamoDb: this.dynamoDbClient,
        serviceActions: this.services.actions,
        tokens: this.tokens,
        executions: this.childStarter(),
      },
    });
  }

  private childStarter(): ChildExecutionStarter {
    return {
      start: (stateMachineArn, input, name) => {
        const started = this.start(stateMachineArn, input, name);
        return { executionArn: started.executionArn, startDate: started.startDate, done: started.done };
      },
      startSync: (stateMachineArn, input, name) => this.runSync(stateMachineArn, input, name),
    };
  }

  /** EventBridge -> target: a state machine starts an execution, a function is invoked. */
  private async deliver(delivery: TargetDelivery): Promise<TargetInvocationResult> {
    const { arn } = delivery.target;
    if (this.functions.has(arn)) return { detail: await this.functions.invoke(arn, delivery.input) };
    const started = this.start(arn, delivery.input);
    return { executionArn: started.executionArn };
  }

  private async executionsStartedBy(deliveries: readonly DeliveryRecord[]): Promise<ExecutionRecord[]> {
    const arns = new Set(deliveries.map((delivery) => delivery.executionArn).filter(Boolean));
    await this.settle();
    return this.executions.filter((execution) => arns.has(execution.executionArn));
  }

  /** The executions saved in the data directory by the last stop: names stay taken, histories readable. */
  private async restoreExecutions(): Promise<void> {
    if (!this.dataDir) return;
    for (const record of await loadExecutions(executionStorePath(this.dataDir))) {
      const machine = this.machines.get(record.stateMachineArn);
      if (!machine) continue;
      if (record.status === 'RUNNING') Object.assign(record, { status: 'ABORTED', stopDate: record.startDate });
      machine.rememberExecution(record);
      this.registry.remember(record);
    }
  }

  private track(done: Promise<ExecutionRecord>): void {
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }
}

/**
 * Tags a table with its data-stack id (`rds-ops:table`), as the Data stack tags it on AWS, so clients find the
 * app's tables the same way on both (`cli/ops-tables.ts`).
 */
async function tagWithTableId(client: DynamoDBClient, table: TableModel): Promise<void> {
  if (!table.tableId) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
  if (!Table?.TableArn) return;
  await client.send(
    new TagResourceCommand({ ResourceArn: Table.TableArn, Tags: [{ Key: TABLE_TAG, Value: table.tableId }] }),
  );
}

function executionStorePath(dataDir: string): string {
  return join(dataDir, 'executions.json');
}

/** Fills `${Placeholder}`s of a raw ASL file with the values the synthesized app uses for them. */
function fillPlaceholders(text: string, machines: readonly StateMachineModel[], file: string): string {
  const values: Record<string, string> = {};
  for (const machine of machines) Object.assign(values, machine.substitutions);
  const { text: filled, missing } = substitutePlaceholders(text, values);
  if (missing.length > 0) {
    throw new InvalidDefinitionError(
      `${file} uses placeholders the app does not define: ${missing.map((key) => `\${${key}}`).join(', ')}. ` +
        `Defined: ${Object.keys(values).sort().join(', ')}.`,
    );
  }
  return filled;
}
