/**
 * EventBridge events as AWS delivers them to the health alert ingestion: a CloudWatch "Alarm State Change" (shape of
 * the CloudWatch user guide's example, timestamps with a `+0000` offset) and RDS "DB Instance" / "DB Cluster" events
 * (shape of the RDS user guide's examples: `SourceType` DB_INSTANCE or CLUSTER, `Date` with milliseconds).
 */

export interface RdsEventOptions {
  readonly id?: string;
  readonly eventId?: string;
  readonly categories?: readonly string[];
  readonly identifier?: string;
  readonly cluster?: boolean;
  readonly date?: string;
  readonly message?: string;
  readonly account?: string;
  readonly region?: string;
}

export function rdsEvent(options: RdsEventOptions = {}) {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const identifier = options.identifier ?? 'payments-prod-pg-01';
  const arn = `arn:aws:rds:${region}:${account}:${options.cluster ? 'cluster' : 'db'}:${identifier}`;
  const date = options.date ?? '2026-03-19T19:34:09.293Z';
  return {
    version: '0',
    id: options.id ?? 'a19938cd-14c7-8d2e-9d66-e9db582d2f4d',
    'detail-type': options.cluster ? 'RDS DB Cluster Event' : 'RDS DB Instance Event',
    source: 'aws.rds',
    account,
    time: `${date.slice(0, 19)}Z`,
    region,
    resources: [arn],
    detail: {
      EventCategories: [...(options.categories ?? ['availability'])],
      SourceType: options.cluster ? 'CLUSTER' : 'DB_INSTANCE',
      SourceArn: arn,
      Date: date,
      Message: options.message ?? 'DB instance shutdown',
      SourceIdentifier: identifier,
      EventID: options.eventId ?? 'RDS-EVENT-0004',
    },
  };
}

export interface AlarmEventOptions {
  readonly id?: string;
  readonly alarmName?: string;
  readonly state?: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  /** As CloudWatch writes it: `2026-03-19T19:34:09.293+0000`. */
  readonly timestamp?: string;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  /** A composite alarm has no metrics at all. */
  readonly metrics?: readonly unknown[];
  readonly account?: string;
  readonly region?: string;
}

export function alarmEvent(options: AlarmEventOptions = {}) {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const alarmName = options.alarmName ?? 'payments-prod-pg-01-free-storage';
  const timestamp = options.timestamp ?? '2026-03-19T19:34:09.293+0000';
  const metrics = options.metrics ?? [
    {
      id: '30b6c6b2-a864-43a2-4877-c09a1afc3b87',
      metricStat: {
        metric: {
          dimensions: options.dimensions ?? { DBInstanceIdentifier: 'payments-prod-pg-01' },
          name: options.metricName ?? 'FreeStorageSpace',
          namespace: options.namespace ?? 'AWS/RDS',
        },
        period: 300,
        stat: 'Minimum',
      },
      returnData: true,
    },
  ];
  const state = options.state ?? 'ALARM';
  return {
    version: '0',
    id: options.id ?? 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account,
    time: `${timestamp.slice(0, 19)}Z`,
    region,
    resources: [`arn:aws:cloudwatch:${region}:${account}:alarm:${alarmName}`],
    detail: {
      alarmName,
      configuration: { description: 'Free storage below 10 GiB', metrics },
      previousState: {
        reason: 'Threshold Crossed: 1 datapoint was not less than the threshold.',
        timestamp: '2026-03-19T18:00:00.000+0000',
        value: state === 'ALARM' ? 'OK' : 'ALARM',
      },
      state: {
        reason:
          state === 'ALARM'
            ? 'Threshold Crossed: 1 out of the last 1 datapoints [9.1E9 (19/03/26 19:29:00)] was less than the threshold (1.0E10).'
            : 'Threshold Crossed: 1 out of the last 1 datapoints was not less than the threshold (1.0E10).',
        reasonData: '{"version":"1.0","queryDate":"2026-03-19T19:34:09.289+0000"}',
        timestamp,
        value: state,
      },
    },
  };
}
