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
import { ALARM_KINDS } from '../observability/alarm-kinds';
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
  /** The per-area composites "platform degraded" combines when the critical alarms exceed one composite's quota. */
  readonly areaComposites: readonly CompositeAlarm[];

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
    // Over CloudWatch's 100 children, one composite per area (workflows, handlers, tables, ...) and the top over those.
    const groups = criticalAlarmGroups(critical);
    const areaNames = groups.map((group) => opsAlarmName(prefix, 'platform-degraded', group.id));
    const areas = groups.map(
      (group, index) =>
        new CompositeAlarm(this, `Degraded${group.id}`, {
          compositeAlarmName: areaNames[index],
          alarmDescription: opsAlarmDescription('platform-degraded', group.id),
          alarmRule: AlarmRule.fromString(compositeRule(group.alarms)),
        }),
    );
    this.areaComposites = areas;
    this.platformDegraded = new CompositeAlarm(this, 'PlatformDegraded', {
      compositeAlarmName: opsAlarmName(prefix, 'platform-degraded'),
      alarmDescription: opsAlarmDescription('platform-degraded'),
      alarmRule: AlarmRule.fromString(
        groups.length === 0 ? compositeRule(critical) : areaNames.map((name) => `ALARM("${name}")`).join(' OR '),
      ),
    });
    for (const area of areas) this.platformDegraded.node.addDependency(area);
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

/** One composite per area of at most 100 critical alarms, or none when every critical alarm fits into one rule. */
export function criticalAlarmGroups(
  alarms: readonly RegisteredAlarm[],
): { readonly id: string; readonly alarms: RegisteredAlarm[] }[] {
  if (fitsOneComposite(alarms)) return [];
  const byArea = new Map<string, RegisteredAlarm[]>();
  for (const alarm of alarms) {
    const area = `${ALARM_KINDS[alarm.kind].subjectKind}s`;
    byArea.set(area, [...(byArea.get(area) ?? []), alarm]);
  }
  const groups: { id: string; alarms: RegisteredAlarm[] }[] = [];
  for (const [area, members] of byArea) {
    const chunks: RegisteredAlarm[][] = [[]];
    for (const alarm of members) {
      const current = chunks[chunks.length - 1]!;
      if (!fitsOneComposite([...current, alarm])) chunks.push([alarm]);
      else current.push(alarm);
    }
    chunks.forEach((chunk, index) => {
      groups.push({ id: chunks.length === 1 ? area : `${area}${index + 1}`, alarms: chunk });
    });
  }
  return groups;
}

function fitsOneComposite(alarms: readonly RegisteredAlarm[]): boolean {
  const length = alarms.reduce((total, alarm) => total + alarm.alarmName.length + 13, 0);
  return alarms.length <= MAX_COMPOSITE_CHILDREN && length <= MAX_COMPOSITE_RULE_LENGTH;
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
