/**
 * Application Auto Scaling stand-in for DynamoDB tables and indexes: `registerScalableTarget`,
 * `putScalingPolicy` (target tracking), `describeScalableTargets` and `describeScalingPolicies`, validated as
 * the API reference describes them. It only remembers what was registered; nothing scales locally.
 */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams, type Params } from './params';
import { randomUuid, seededRandom } from './seeded-random';

export interface ScalableTarget {
  readonly ServiceNamespace: string;
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly MinCapacity: number;
  readonly MaxCapacity: number;
  readonly ScalableTargetARN: string;
  readonly CreationTime: string;
}

export interface ScalingPolicy {
  readonly PolicyARN: string;
  readonly PolicyName: string;
  readonly ServiceNamespace: string;
  readonly ResourceId: string;
  readonly ScalableDimension: string;
  readonly PolicyType: string;
  readonly TargetTrackingScalingPolicyConfiguration?: unknown;
  readonly CreationTime: string;
}

export interface ApplicationAutoScalingStandIn {
  registerScalableTarget(params: unknown): Promise<{ ScalableTargetARN: string }>;
  putScalingPolicy(params: unknown): Promise<{ PolicyARN: string; Alarms: unknown[] }>;
  describeScalableTargets(params: unknown): Promise<{ ScalableTargets: ScalableTarget[] }>;
  describeScalingPolicies(params: unknown): Promise<{ ScalingPolicies: ScalingPolicy[] }>;
  readonly targets: readonly ScalableTarget[];
  readonly policies: readonly ScalingPolicy[];
  readonly calls: readonly RecordedCall[];
}

/** The DynamoDB dimensions Application Auto Scaling knows, and the resource each one scales. */
const DYNAMODB_DIMENSIONS: Readonly<Record<string, RegExp>> = {
  'dynamodb:table:ReadCapacityUnits': /^table\/[a-zA-Z0-9_.-]{3,255}$/,
  'dynamodb:table:WriteCapacityUnits': /^table\/[a-zA-Z0-9_.-]{3,255}$/,
  'dynamodb:index:ReadCapacityUnits': /^table\/[a-zA-Z0-9_.-]{3,255}\/index\/[a-zA-Z0-9_.-]{3,255}$/,
  'dynamodb:index:WriteCapacityUnits': /^table\/[a-zA-Z0-9_.-]{3,255}\/index\/[a-zA-Z0-9_.-]{3,255}$/,
};

const TARGET_PARAMS = [
  'ServiceNamespace',
  'ResourceId',
  'ScalableDimension',
  'MinCapacity',
  'MaxCapacity',
  'RoleARN',
  'SuspendedState',
  'Tags',
] as const;
const POLICY_PARAMS = [
  'PolicyName',
  'ServiceNamespace',
  'ResourceId',
  'ScalableDimension',
  'PolicyType',
  'StepScalingPolicyConfiguration',
  'TargetTrackingScalingPolicyConfiguration',
  'PredictiveScalingPolicyConfiguration',
] as const;
const DESCRIBE_TARGETS_PARAMS = ['ServiceNamespace', 'ResourceIds', 'ScalableDimension', 'MaxResults', 'NextToken'];
const DESCRIBE_POLICIES_PARAMS = [
  'PolicyNames',
  'ServiceNamespace',
  'ResourceId',
  'ScalableDimension',
  'MaxResults',
  'NextToken',
];

export function createApplicationAutoScalingStandIn(options: {
  readonly clock: Clock;
  readonly region?: string;
  readonly accountId?: string;
}): ApplicationAutoScalingStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const random = seededRandom('application-autoscaling');
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '000000000000';
  const targets = new Map<string, ScalableTarget>();
  const policies = new Map<string, ScalingPolicy>();
  const fail = (code: string, message: string) =>
    new ServiceError(code, message, { service: 'applicationautoscaling', requestId: randomUuid(random) });
  const keyOf = (resourceId: string, dimension: string) => `${resourceId}|${dimension}`;

  const dynamoTarget = (params: Params): { resourceId: string; dimension: string } => {
    if (params.ServiceNamespace !== 'dynamodb') {
      throw fail('ValidationException', `Unsupported service namespace: ${String(params.ServiceNamespace)}`);
    }
    const resourceId = params.ResourceId;
    const dimension = params.ScalableDimension;
    const pattern = typeof dimension === 'string' ? DYNAMODB_DIMENSIONS[dimension] : undefined;
    if (!pattern) {
      throw fail('ValidationException', `Unsupported scalable dimension: ${String(dimension)}`);
    }
    if (typeof resourceId !== 'string' || !pattern.test(resourceId)) {
      throw fail('ValidationException', `Unsupported resource ID ${String(resourceId)} for dimension ${dimension}`);
    }
    return { resourceId, dimension: dimension as string };
  };

  return {
    async registerScalableTarget(raw) {
      recorder.record('registerScalableTarget', raw);
      const params = checkParams('applicationautoscaling:registerScalableTarget', raw, TARGET_PARAMS);
      const { resourceId, dimension } = dynamoTarget(params);
      const existing = targets.get(keyOf(resourceId, dimension));
      const min = params.MinCapacity ?? existing?.MinCapacity;
      const max = params.MaxCapacity ?? existing?.MaxCapacity;
      if (typeof min !== 'number' || typeof max !== 'number') {
        throw fail('ValidationException', 'MinCapacity and MaxCapacity are required to register a new scalable target');
      }
      if (min > max) throw fail('ValidationException', `Minimum capacity ${min} cannot be greater than maximum ${max}`);
      const target: ScalableTarget = {
        ServiceNamespace: 'dynamodb',
        ResourceId: resourceId,
        ScalableDimension: dimension,
        MinCapacity: min,
        MaxCapacity: max,
        ScalableTargetARN:
          existing?.ScalableTargetARN ??
          `arn:aws:application-autoscaling:${region}:${account}:scalable-target/${randomUuid(random).replaceAll('-', '')}`,
        CreationTime: existing?.CreationTime ?? new Date(options.clock.now()).toISOString(),
      };
      targets.set(keyOf(resourceId, dimension), target);
      return { ScalableTargetARN: target.ScalableTargetARN };
    },

    async putScalingPolicy(raw) {
      recorder.record('putScalingPolicy', raw);
      const params = checkParams('applicationautoscaling:putScalingPolicy', raw, POLICY_PARAMS);
      const { resourceId, dimension } = dynamoTarget(params);
      if (typeof params.PolicyName !== 'string' || params.PolicyName.length === 0) {
        throw fail('ValidationException', 'PolicyName is required');
      }
      if (!targets.has(keyOf(resourceId, dimension))) {
        throw fail(
          'ObjectNotFoundException',
          `No scalable target registered for service namespace: dynamodb, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
        );
      }
      const policyType = params.PolicyType ?? 'StepScaling';
      if (policyType === 'TargetTrackingScaling' && !params.TargetTrackingScalingPolicyConfiguration) {
        throw fail('ValidationException', 'TargetTrackingScalingPolicyConfiguration is required for target tracking');
      }
      const key = `${keyOf(resourceId, dimension)}|${params.PolicyName}`;
      const policy: ScalingPolicy = {
        PolicyARN:
          policies.get(key)?.PolicyARN ??
          `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${randomUuid(random)}:resource/dynamodb/${resourceId}:policyName/${params.PolicyName}`,
        PolicyName: params.PolicyName,
        ServiceNamespace: 'dynamodb',
        ResourceId: resourceId,
        ScalableDimension: dimension,
        PolicyType: String(policyType),
        ...(params.TargetTrackingScalingPolicyConfiguration !== undefined && {
          TargetTrackingScalingPolicyConfiguration: structuredClone(params.TargetTrackingScalingPolicyConfiguration),
        }),
        CreationTime: new Date(options.clock.now()).toISOString(),
      };
      policies.set(key, policy);
      return { PolicyARN: policy.PolicyARN, Alarms: [] };
    },

    async describeScalableTargets(raw) {
      recorder.record('describeScalableTargets', raw);
      const params = checkParams('applicationautoscaling:describeScalableTargets', raw, DESCRIBE_TARGETS_PARAMS);
      const ids = Array.isArray(params.ResourceIds) ? (params.ResourceIds as string[]) : undefined;
      return {
        ScalableTargets: [...targets.values()].filter(
          (target) =>
            target.ServiceNamespace === params.ServiceNamespace &&
            (ids === undefined || ids.includes(target.ResourceId)) &&
            (params.ScalableDimension === undefined || target.ScalableDimension === params.ScalableDimension),
        ),
      };
    },

    async describeScalingPolicies(raw) {
      recorder.record('describeScalingPolicies', raw);
      const params = checkParams('applicationautoscaling:describeScalingPolicies', raw, DESCRIBE_POLICIES_PARAMS);
      const names = Array.isArray(params.PolicyNames) ? (params.PolicyNames as string[]) : undefined;
      return {
        ScalingPolicies: [...policies.values()].filter(
          (policy) =>
            policy.ServiceNamespace === params.ServiceNamespace &&
            (params.ResourceId === undefined || policy.ResourceId === params.ResourceId) &&
            (params.ScalableDimension === undefined || policy.ScalableDimension === params.ScalableDimension) &&
            (names === undefined || names.includes(policy.PolicyName)),
        ),
      };
    },

    get targets() {
      return [...targets.values()];
    },
    get policies() {
      return [...policies.values()];
    },
    get calls() {
      return recorder.calls;
    },
  };
}
