/**
 * The per-stage list of everything that must be watched. `AslStateMachine`, `HandlerFunction`, `OpsTable` and
 * `DeadLetterQueue` join it in their constructors, together with the alarms they create; the observability
 * stack reads it once, last, to build the composite alarm and the dashboard. Nothing is listed by hand, and a
 * resource created after the stack has read the list is refused, so nothing can be left out silently.
 */
import { Stack } from 'aws-cdk-lib';
import type { Alarm, IAlarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { TableCapacity } from '../config';
import { ObservabilityRegistryError } from '../errors';
import type { AlarmKindId } from './alarm-kinds';

export interface WorkflowEntry {
  /** Kebab-case workflow name (`inventory-refresh`). */
  readonly name: string;
  readonly stateMachine: IStateMachine;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** Set on recovery workflows: their duration is drawn and alarmed against it. */
  readonly recoveryTimeObjectiveSeconds?: number;
}

export interface HandlerEntry {
  /** Kebab-case handler name, from its entry file (`reconcile-inventory`). */
  readonly name: string;
  readonly function: IFunction;
}

export interface TableEntry {
  /** Kebab-case table name (`rds-inventory`). */
  readonly name: string;
  readonly table: ITable;
  readonly capacity: TableCapacity;
  /** Point-in-time recovery on: a protected table, with PITR-compliance and drill alarms. */
  readonly protected: boolean;
  /** What a drill of the table is held to (`restore.recoveryTimeObjectiveSeconds`). @default the alarm kind's */
  readonly recoveryTimeObjectiveSeconds?: number;
}

export interface QueueEntry {
  readonly name: string;
  readonly queue: IQueue;
}

/** An API Gateway REST API (`ApiName` dimension). */
export interface ApiEntry {
  readonly name: string;
  /** The `ApiName` dimension value of its metrics. */
  readonly apiName: string;
}

export interface RegisteredAlarm {
  readonly kind: AlarmKindId;
  /** The workflow, handler, table, queue, circuit or API it watches (absent for platform alarms). */
  readonly subject?: string;
  readonly alarmName: string;
  readonly alarm: Alarm | IAlarm;
  /** Part of the composite "platform degraded" alarm. */
  readonly critical: boolean;
}

export interface ObservabilitySettings {
  /** Alarm names start with it: `RdsOps-Dev` gives `RdsOps-Dev-inventory-refresh-ExecutionsFailed`. */
  readonly alarmNamePrefix: string;
  /** Where every alarm notifies unless its construct was given another action. */
  readonly alarmAction?: IAlarmAction;
}

export interface ObservabilitySnapshot {
  readonly workflows: readonly WorkflowEntry[];
  readonly handlers: readonly HandlerEntry[];
  readonly tables: readonly TableEntry[];
  readonly queues: readonly QueueEntry[];
  readonly apis: readonly ApiEntry[];
  readonly alarms: readonly RegisteredAlarm[];
}

const REGISTRIES = new WeakMap<IConstruct, ObservabilityRegistry>();

export class ObservabilityRegistry {
  /** The registry of the app (one stage) `scope` belongs to. */
  static of(scope: IConstruct): ObservabilityRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new ObservabilityRegistry();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  private settings?: ObservabilitySettings;
  private readonly workflows: WorkflowEntry[] = [];
  private readonly handlers: HandlerEntry[] = [];
  private readonly tables: TableEntry[] = [];
  private readonly queues: QueueEntry[] = [];
  private readonly apis: ApiEntry[] = [];
  private readonly alarms: RegisteredAlarm[] = [];
  private readBy?: string;

  private constructor() {}

  /** Set once per app, before any watched resource is created (`createApp` does it). */
  configure(settings: ObservabilitySettings): void {
    if (this.settings) throw new ObservabilityRegistryError('The observability registry is configured once per app.');
    this.settings = settings;
  }

  /** `RdsOps-<Stage>` once configured; a bare stack (construct tests) uses its stack name. */
  alarmNamePrefix(scope: IConstruct): string {
    return this.settings?.alarmNamePrefix ?? Stack.of(scope).stackName;
  }

  get defaultAlarmAction(): IAlarmAction | undefined {
    return this.settings?.alarmAction;
  }

  registerWorkflow(entry: WorkflowEntry): void {
    this.add(this.workflows, entry, 'workflow');
  }

  registerHandler(entry: HandlerEntry): void {
    this.add(this.handlers, entry, 'handler');
  }

  registerTable(entry: TableEntry): void {
    this.add(this.tables, entry, 'table');
  }

  registerQueue(entry: QueueEntry): void {
    this.add(this.queues, entry, 'queue');
  }

  registerApi(entry: ApiEntry): void {
    this.add(this.apis, entry, 'API');
  }

  registerAlarm(entry: RegisteredAlarm): void {
    this.assertOpen(`alarm ${entry.alarmName}`);
    if (this.alarms.some((alarm) => alarm.alarmName === entry.alarmName)) {
      throw new ObservabilityRegistryError(
        `Two alarms are named ${entry.alarmName}; give the second ${entry.kind} subject another name.`,
      );
    }
    this.alarms.push(entry);
  }

  /** Everything registered so far, without closing the registry (construct tests). */
  peek(): ObservabilitySnapshot {
    return {
      workflows: [...this.workflows],
      handlers: [...this.handlers],
      tables: [...this.tables],
      queues: [...this.queues],
      apis: [...this.apis],
      alarms: [...this.alarms],
    };
  }

  /** The complete lists, for the composite alarm and the dashboard; afterwards nothing more may register. */
  close(reader: string): ObservabilitySnapshot {
    this.assertOpen(reader);
    this.readBy = reader;
    return this.peek();
  }

  private add<T extends { readonly name: string }>(list: T[], entry: T, what: string): void {
    this.assertOpen(`${what} ${entry.name}`);
    if (list.some((existing) => existing.name === entry.name)) {
      throw new ObservabilityRegistryError(
        `Two ${what}s are named "${entry.name}"; alarm and widget names must be unique, rename one of them.`,
      );
    }
    list.push(entry);
  }

  private assertOpen(what: string): void {
    if (this.readBy === undefined) return;
    throw new ObservabilityRegistryError(
      `The ${what} was created after ${this.readBy} read the observability registry, so it would have no ` +
        'widget and no place in the composite alarm; create it before that stack (lib/app.ts builds it last).',
    );
  }
}
