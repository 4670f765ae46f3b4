/**
 * What the on-call person looks at, built last from the stage's observability registry: the circuit alarms,
 * the composite "platform degraded" alarm over every critical alarm, and the one dashboard of the stage.
 * Per-resource alarms live next to their resources (data and workflows stacks); this stack refers to them by
 * name, so it imports nothing but the metric dimensions of the dashboard.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, AlarmRule, CompositeAlarm, Dashboard, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { OpsConfig } from '../config';
import { ObservabilityRegistryError } from '../errors';
import { circuitAlarms } from '../observability/circuit-observability';
import { dashboardRows } from '../observability/dashboard-widgets';
import { opsAlarmDescription, opsAlarmName } from '../observability/ops-alarm';
import { ObservabilityRegistry, type RegisteredAlarm } from '../observability/registry';

export interface ObservabilityStackProps extends StackProps {
  readonly config: OpsConfig;
  /** The stacks whose alarms the composite alarm names: they must exist first. */
  readonly watchedStacks: readonly Stack[];
  readonly alarmAction?: IAlarmAction;
}

/** CloudWatch quotas of a composite alarm's rule. */
const MAX_COMPOSITE_CHILDREN = 100;
const MAX_COMPOSITE_RULE_LENGTH = 10_240;

export class ObservabilityStack extends Stack {
  readonly platformDegraded: CompositeAlarm;
  readonly dashboard: Dashboard;
  /** Names of the alarms in the composite, in registry order. */
  readonly criticalAlarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    for (const watched of props.watchedStacks)
      this.addStackDependency(watched, 'the composite alarm names their alarms');
    const registry = ObservabilityRegistry.of(this);
    const circuits = Object.keys(props.config.circuits);
    for (const circuit of circuits) circuitAlarms(this, circuit, props.alarmAction);

    const snapshot = registry.close(`the ${this.stackName} stack`);
    const critical = snapshot.alarms.filter((alarm) => alarm.critical);
    this.criticalAlarmNames = critical.map((alarm) => alarm.alarmName);
    const prefix = registry.alarmNamePrefix(this);
    this.platformDegraded = new CompositeAlarm(this, 'PlatformDegraded', {
      compositeAlarmName: opsAlarmName(prefix, 'platform-degraded'),
      alarmDescription: opsAlarmDescription('platform-degraded'),
      alarmRule: AlarmRule.fromString(compositeRule(critical)),
    });
    const action = props.alarmAction ?? registry.defaultAlarmAction;
    if (action) this.platformDegraded.addAlarmAction(action);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
      widgets: dashboardRows({
        snapshot,
        circuits,
        criticalAlarms: critical.map((alarm, index) => Alarm.fromAlarmName(this, `Critical${index}`, alarm.alarmName)),
        stage: props.config.stage,
      }),
    });
  }
}

/** `ALARM("a") OR ALARM("b") ...`, by name (names are known at synth, ARNs would import every alarm). */
export function compositeRule(alarms: readonly RegisteredAlarm[]): string {
  if (alarms.length === 0) {
    throw new ObservabilityRegistryError(
      'The platform has no critical alarm, so "platform degraded" would watch nothing.',
    );
  }
  const rule = alarms.map((alarm) => `ALARM("${alarm.alarmName}")`).join(' OR ');
  if (alarms.length > MAX_COMPOSITE_CHILDREN || rule.length > MAX_COMPOSITE_RULE_LENGTH) {
    throw new ObservabilityRegistryError(
      `"Platform degraded" would watch ${alarms.length} alarms in ${rule.length} characters; CloudWatch allows ` +
        `${MAX_COMPOSITE_CHILDREN} alarms and ${MAX_COMPOSITE_RULE_LENGTH} characters. Group the critical alarms ` +
        'into one composite per area (workflows, tables, circuits) and combine those.',
    );
  }
  return rule;
}
