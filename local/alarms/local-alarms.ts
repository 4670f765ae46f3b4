/**
 * The app's CloudWatch alarms on the local runtime: each starts INSUFFICIENT_DATA (as a new alarm does), is
 * evaluated against the datapoints the CloudWatch stand-in stored (on demand, or every minute of clock time once
 * started), and on every state change puts a `CloudWatch Alarm State Change` event on the local bus in AWS's shape
 * and runs its SNS actions, so an alarm can start a workflow end to end.
 */
import { randomUUID } from 'node:crypto';
import type { CancelTimer, Clock } from '../clock';
import type { PutEventsEntry, PutEventsResult } from '../events/types';
import type { StoredDatapoint } from '../services/cloudwatch';
import { type AlarmStateValue, cloudWatchTimestamp, evaluateAlarm } from './alarm-evaluation';
import type { AlarmModel } from './alarm-model';
import { UnknownAlarmError } from './errors';

export interface AlarmState {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  /** When the alarm entered this state, epoch ms. */
  readonly since: number;
}

export interface AlarmStateChange {
  readonly alarm: AlarmModel;
  readonly previous: AlarmState;
  readonly current: AlarmState;
  /** What the bus did with the state-change event. */
  readonly result: PutEventsResult;
}

export interface LocalAlarmsOptions {
  readonly clock: Clock;
  readonly alarms: readonly AlarmModel[];
  /** What the CloudWatch stand-in stored so far. */
  readonly datapoints: () => readonly StoredDatapoint[];
  readonly putEvents: (entries: PutEventsEntry[]) => Promise<PutEventsResult>;
  /** Runs an SNS alarm action (`sns:publish` with TopicArn, Subject, Message). */
  readonly publish: (params: { TopicArn: string; Subject: string; Message: string }) => Promise<unknown>;
  readonly region: string;
  readonly account: string;
}

/** CloudWatch evaluates alarms about once a minute. */
export const EVALUATION_INTERVAL_MS = 60_000;

export class LocalAlarms {
  private readonly states = new Map<string, AlarmState>();
  private cancelTimer: CancelTimer | undefined;
  /** Every state change so far, oldest first. */
  readonly history: AlarmStateChange[] = [];

  constructor(private readonly options: LocalAlarmsOptions) {
    const created = options.clock.now();
    for (const alarm of options.alarms) {
      this.states.set(alarm.name, {
        value: 'INSUFFICIENT_DATA',
        reason: alarm.unsupported
          ? `Unchecked: not evaluated locally (${alarm.unsupported})`
          : 'Unchecked: Initial alarm creation',
        since: created,
      });
    }
  }

  get alarms(): readonly AlarmModel[] {
    return this.options.alarms;
  }

  state(alarmName: string): AlarmState {
    const state = this.states.get(alarmName);
    if (!state) throw new UnknownAlarmError(alarmName, [...this.states.keys()]);
    return state;
  }

  /** Evaluates every supported alarm now; resolves with the state changes and what their events started. */
  async evaluate(): Promise<AlarmStateChange[]> {
    const now = this.options.clock.now();
    const datapoints = this.options.datapoints();
    const changes: AlarmStateChange[] = [];
    for (const alarm of this.options.alarms) {
      if (alarm.unsupported) continue;
      const previous = this.state(alarm.name);
      const evaluation = evaluateAlarm(alarm, datapoints, now, previous.value);
      if (evaluation.state === previous.value) continue;
      const current: AlarmState = {
        value: evaluation.state,
        reason: evaluation.reason,
        reasonData: evaluation.reasonData,
        since: now,
      };
      this.states.set(alarm.name, current);
      const result = await this.options.putEvents([stateChangeEntry(alarm, previous, current)]);
      await this.runActions(alarm, previous, current);
      const change = { alarm, previous, current, result };
      this.history.push(change);
      changes.push(change);
    }
    return changes;
  }

  /** Evaluates every minute of clock time until `stop`. */
  start(): void {
    if (this.cancelTimer) return;
    const arm = () => {
      this.cancelTimer = this.options.clock.setTimer(EVALUATION_INTERVAL_MS, () => {
        void this.options.clock.track(this.evaluate()).finally(arm);
      });
    };
    arm();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private async runActions(alarm: AlarmModel, previous: AlarmState, current: AlarmState): Promise<void> {
    if (!alarm.actionsEnabled) return;
    const actions =
      current.value === 'ALARM'
        ? alarm.alarmActions
        : current.value === 'OK'
          ? alarm.okActions
          : alarm.insufficientDataActions;
    for (const topicArn of actions.filter((action) => action.startsWith('arn:aws:sns:'))) {
      await this.options.publish({
        TopicArn: topicArn,
        Subject: `${current.value}: "${alarm.name}" in ${this.options.region}`.slice(0, 100),
        Message: JSON.stringify({
          AlarmName: alarm.name,
          AlarmDescription: alarm.description ?? null,
          AWSAccountId: this.options.account,
          NewStateValue: current.value,
          NewStateReason: current.reason,
          StateChangeTime: cloudWatchTimestamp(current.since),
          Region: this.options.region,
          AlarmArn: alarm.arn,
          OldStateValue: previous.value,
        }),
      });
    }
  }
}

/** The EventBridge entry CloudWatch sends for a state change (source aws.cloudwatch, the alarm ARN as resource). */
export function stateChangeEntry(alarm: AlarmModel, previous: AlarmState, current: AlarmState): PutEventsEntry {
  const describe = (state: AlarmState) => ({
    value: state.value,
    reason: state.reason,
    ...(state.reasonData !== undefined && { reasonData: state.reasonData }),
    timestamp: cloudWatchTimestamp(state.since),
  });
  return {
    Source: 'aws.cloudwatch',
    DetailType: 'CloudWatch Alarm State Change',
    Resources: [alarm.arn],
    Time: new Date(current.since),
    Detail: JSON.stringify({
      alarmName: alarm.name,
      state: describe(current),
      previousState: describe(previous),
      configuration: {
        ...(alarm.description !== undefined && { description: alarm.description }),
        metrics: alarm.queries.map((query) => ({
          id: query.metricStat && alarm.queries.length === 1 ? randomUUID() : query.id,
          ...(query.expression !== undefined && { expression: query.expression }),
          ...(query.label !== undefined && { label: query.label }),
          ...(query.metricStat && {
            metricStat: {
              metric: {
                namespace: query.metricStat.namespace,
                name: query.metricStat.metricName,
                dimensions: Object.fromEntries(query.metricStat.dimensions.map((d) => [d.Name, d.Value])),
              },
              period: query.metricStat.period,
              stat: query.metricStat.statistic,
            },
          }),
          returnData: query.returnData,
        })),
      },
    }),
  };
}
