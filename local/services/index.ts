/** The service stand-ins the local runtime binds to aws-sdk Task resources, and their public types. */

import type { Clock } from '../clock';
import { type ApplicationAutoScalingStandIn, createApplicationAutoScalingStandIn } from './application-auto-scaling';
import { type CloudWatchStandIn, createCloudWatchStandIn } from './cloudwatch';
import { type CostExplorerStandIn, createCostExplorerStandIn } from './cost-explorer';
import { createEventBridgeStandIn, type EventBridgeStandIn, type OnPutEvents } from './eventbridge';
import { createEventBridgeRulesStandIn, type EventBridgeRulesStandIn, type RuleControl } from './eventbridge-rules';
import { createRdsStandIn, type RdsStandIn } from './rds';
import type { RdsInstanceFixture } from './rds-fleet';
import { createSnsStandIn, type SnsStandIn } from './sns';

export type { ApplicationAutoScalingStandIn, ScalableTarget, ScalingPolicy } from './application-auto-scaling';
export { createApplicationAutoScalingStandIn } from './application-auto-scaling';
export type { RecordedCall } from './call-recorder';
export { ServiceCallRecorder } from './call-recorder';
export type { CloudWatchStandIn, MetricStatisticsQuery, StoredDatapoint } from './cloudwatch';
export { createCloudWatchStandIn } from './cloudwatch';
export type { CostExplorerStandIn, CostLine, GetCostAndUsageResult } from './cost-explorer';
export { createCostExplorerStandIn } from './cost-explorer';
export { isServiceError, ServiceError, UnknownParameterError, UnsupportedIntegrationError } from './errors';
export type {
  EventBridgeEvent,
  EventBridgeStandIn,
  OnPutEvents,
  PutEventsDelivery,
  PutEventsResult,
} from './eventbridge';
export { createEventBridgeStandIn } from './eventbridge';
export type { EventBridgeRulesStandIn, RuleControl } from './eventbridge-rules';
export { createEventBridgeRulesStandIn } from './eventbridge-rules';
export type { IntegrationCauseInput, IntegrationErrorInput, IntegrationKind } from './integration-error-names';
export {
  EVENTBRIDGE_FAILED_ENTRY,
  explainIntegrationErrorName,
  integrationCause,
  integrationErrorName,
  integrationFailure,
  sdkMemberName,
} from './integration-error-names';
export type { DescribeDbInstancesParams, DescribeDbInstancesResult, RdsStandIn } from './rds';
export { createRdsStandIn } from './rds';
export type { RdsEngine, RdsInstanceFixture, RdsInstanceStatus, SeedFleetOptions } from './rds-fleet';
export { seedFleet } from './rds-fleet';
export type { PublishedMessage, SnsStandIn } from './sns';
export { createSnsStandIn } from './sns';

/** A stand-in action as a Task handler: takes the Task's processed input, returns its result. */
export type ServiceAction = (params: unknown) => Promise<unknown>;

export interface ServiceStandInsOptions {
  readonly clock: Clock;
  /** Receives the events `eventbridge:putEvents` accepts, e.g. the local event bus. */
  readonly onPutEvents: OnPutEvents;
  /** @default seedFleet({ seed: 1 }) */
  readonly fleet?: readonly RdsInstanceFixture[];
  /** SNS topics that exist. @default every well-formed topic ARN */
  readonly topics?: readonly string[];
  /** Where events say they come from. @default the EventBridge stand-in's defaults */
  readonly region?: string;
  readonly accountId?: string;
  /** The bus's rules, for describeRule / disableRule / enableRule. @default no rules */
  readonly rules?: RuleControl;
}

export interface ServiceStandIns {
  readonly rds: RdsStandIn;
  readonly sns: SnsStandIn;
  readonly cloudwatch: CloudWatchStandIn;
  readonly eventbridge: EventBridgeStandIn;
  readonly costExplorer: CostExplorerStandIn;
  readonly applicationAutoScaling: ApplicationAutoScalingStandIn;
  readonly eventbridgeRules: EventBridgeRulesStandIn;
  /**
   * Keyed `'<service>:<action>'` as aws-sdk resource ARNs spell them (`arn:aws:states:::aws-sdk:rds:describeDBInstances`
   * -> 'rds:describeDBInstances'); 'events:putEvents' is the optimized EventBridge ARN's spelling of the same call.
   */
  readonly actions: Readonly<Record<string, ServiceAction>>;
}

export function createServiceStandIns(options: ServiceStandInsOptions): ServiceStandIns {
  const { clock } = options;
  const rds = createRdsStandIn({ clock, fleet: options.fleet });
  const sns = createSnsStandIn({ clock, topics: options.topics });
  const cloudwatch = createCloudWatchStandIn({ clock });
  const eventbridge = createEventBridgeStandIn({
    clock,
    onPutEvents: options.onPutEvents,
    region: options.region,
    accountId: options.accountId,
  });
  const costExplorer = createCostExplorerStandIn({ clock, fleet: () => rds.instances() });
  const applicationAutoScaling = createApplicationAutoScalingStandIn({
    clock,
    region: options.region,
    accountId: options.accountId,
  });
  const eventbridgeRules = createEventBridgeRulesStandIn({ clock, rules: options.rules ?? NO_RULES });
  const actions: Record<string, ServiceAction> = {
    'rds:describeDBInstances': (params) => rds.describeDBInstances(params),
    'sns:publish': (params) => sns.publish(params),
    'cloudwatch:putMetricData': (params) => cloudwatch.putMetricData(params),
    'eventbridge:putEvents': (params) => eventbridge.putEvents(params),
    'events:putEvents': (params) => eventbridge.putEvents(params),
    'costexplorer:getCostAndUsage': (params) => costExplorer.getCostAndUsage(params),
    'costexplorer:getCostAndUsageWithResources': (params) => costExplorer.getCostAndUsageWithResources(params),
    'eventbridge:describeRule': (params) => eventbridgeRules.describeRule(params),
    'eventbridge:disableRule': (params) => eventbridgeRules.disableRule(params),
    'eventbridge:enableRule': (params) => eventbridgeRules.enableRule(params),
    'applicationautoscaling:registerScalableTarget': (params) => applicationAutoScaling.registerScalableTarget(params),
    'applicationautoscaling:putScalingPolicy': (params) => applicationAutoScaling.putScalingPolicy(params),
    'applicationautoscaling:describeScalableTargets': (params) =>
      applicationAutoScaling.describeScalableTargets(params),
    'applicationautoscaling:describeScalingPolicies': (params) =>
      applicationAutoScaling.describeScalingPolicies(params),
  };
  return { rds, sns, cloudwatch, eventbridge, costExplorer, applicationAutoScaling, eventbridgeRules, actions };
}

const NO_RULES: RuleControl = {
  get: () => undefined,
  setState: () => undefined,
};
