/**
 * Cost Explorer stand-in: `getCostAndUsage` over seeded daily costs per RDS instance (and per Aurora cluster, for
 * its shared storage), supporting the TimePeriod / Granularity (DAILY, MONTHLY) / Metrics / GroupBy (DIMENSION,
 * TAG) / simple Filter subset; and `getCostAndUsageWithResources`, the same data per resource (`RESOURCE_ID`, the
 * resource ARN) for the last 14 days only, paginated with `NextPageToken`.
 */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams } from './params';
import type { RdsInstanceFixture } from './rds-fleet';
import { hashString, randomUuid, seededRandom } from './seeded-random';

export const RDS_SERVICE = 'Amazon Relational Database Service';
export const CLOUDWATCH_SERVICE = 'AmazonCloudWatch';

const METRICS = [
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'NormalizedUsageAmount',
  'UnblendedCost',
  'UsageQuantity',
] as const;
type Metric = (typeof METRICS)[number];

/** The dimensions the stand-in can group and filter by (RESOURCE_ID with getCostAndUsageWithResources only). */
const DIMENSIONS = ['SERVICE', 'REGION', 'INSTANCE_TYPE', 'DATABASE_ENGINE', 'LINKED_ACCOUNT', 'RESOURCE_ID'] as const;
type Dimension = (typeof DIMENSIONS)[number];
/** How far back resource-level data goes (AWS: "The range must be within the last 14 days"). */
const RESOURCE_DATA_DAYS = 14;

/** One resource's cost for one service on one day. */
export interface CostLine {
  /** The instance, or for an Aurora cluster's storage line the cluster's first instance (engine, class, tags). */
  readonly instance: RdsInstanceFixture;
  /** What Cost Explorer reports as RESOURCE_ID: the instance ARN, the cluster ARN, or the log group ARN. */
  readonly resourceId: string;
  readonly service: string;
  readonly date: string;
  readonly amount: number;
  readonly usageHours: number;
}

export interface CostExplorerStandInOptions {
  readonly clock: Clock;
  /** The fleet whose costs are reported, read at each call. */
  readonly fleet: () => readonly RdsInstanceFixture[];
  /** @default 1 */
  readonly seed?: number | string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /**
   * Groups per page of getCostAndUsageWithResources (AWS does not document its page size). @default 20
   */
  readonly pageSize?: number;
}

export interface CostExplorerStandIn {
  getCostAndUsage(params: unknown): Promise<GetCostAndUsageResult>;
  getCostAndUsageWithResources(params: unknown): Promise<GetCostAndUsageResult>;
  /** The seeded cost lines of one day (`YYYY-MM-DD`), for assertions. */
  dailyCosts(date: string): CostLine[];
  readonly calls: readonly RecordedCall[];
}

export interface MetricValue {
  readonly Amount: string;
  readonly Unit: string;
}

export interface GetCostAndUsageResult {
  readonly GroupDefinitions: { Type: string; Key: string }[];
  readonly ResultsByTime: {
    TimePeriod: { Start: string; End: string };
    Total: Record<string, MetricValue>;
    Groups: { Keys: string[]; Metrics: Record<string, MetricValue> }[];
    Estimated: boolean;
  }[];
  readonly DimensionValueAttributes: never[];
  readonly NextPageToken?: string;
}

const PARAMS = [
  'TimePeriod',
  'Granularity',
  'Metrics',
  'GroupBy',
  'Filter',
  'NextPageToken',
  'BillingViewArn',
] as const;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Rough on-demand USD per hour by class; exactness is not the point, stable relative sizes are. */
const HOURLY: Readonly<Record<string, number>> = {
  'db.t4g.small': 0.032,
  'db.t4g.medium': 0.065,
  'db.m6g.large': 0.152,
  'db.m6i.large': 0.171,
  'db.m6i.xlarge': 0.342,
  'db.r6g.large': 0.225,
  'db.r6g.xlarge': 0.45,
  'db.r6i.xlarge': 0.5,
  'db.r7g.large': 0.24,
  'db.r7g.xlarge': 0.48,
  'db.serverless': 0.12,
};
const LICENSED: Readonly<Record<string, number>> = { 'oracle-se2': 1.6, 'sqlserver-se': 2.4 };

function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function round(amount: number): string {
  return amount.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}

export function createCostExplorerStandIn(options: CostExplorerStandInOptions): CostExplorerStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const requestIds = seededRandom('costexplorer');
  const seed = options.seed ?? 1;
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '123456789012';
  const pageSize = options.pageSize ?? 20;
  const fail = (code: string, message: string) =>
    new ServiceError(code, message, { statusCode: 400, service: 'costexplorer', requestId: randomUuid(requestIds) });

  const dailyCosts = (date: string): CostLine[] => {
    const fleet = options.fleet();
    const instanceLines = fleet.flatMap((instance) => {
      // Each (seed, instance, day) draws its own jitter, so one instance's cost never depends on the others.
      const jitter = seededRandom(hashString(`${seed}:${instance.DbInstanceIdentifier}:${date}`))();
      const running = instance.DbInstanceStatus !== 'stopped';
      const hourly =
        (HOURLY[instance.DbInstanceClass] ?? 0.2) * (LICENSED[instance.Engine] ?? 1) * (instance.MultiAZ ? 2 : 1);
      const compute = running ? hourly * 24 * (0.97 + jitter * 0.06) : 0;
      const storage = (instance.AllocatedStorage * 0.115) / 30;
      const logGroup = `arn:aws:logs:${region}:${account}:log-group:/aws/rds/instance/${instance.DbInstanceIdentifier}`;
      return [
        {
          instance,
          resourceId: instance.DbInstanceArn,
          service: RDS_SERVICE,
          date,
          amount: compute + storage,
          usageHours: running ? 24 : 0,
        },
        {
          instance,
          resourceId: logGroup,
          service: CLOUDWATCH_SERVICE,
          date,
          amount: 0.3 + jitter * 0.1,
          usageHours: 0,
        },
      ];
    });
    // An Aurora cluster's storage and I/O are billed to the cluster, not to any of its instances.
    const clusters = new Map<string, RdsInstanceFixture>();
    for (const instance of fleet) {
      if (instance.DbClusterIdentifier && !clusters.has(instance.DbClusterIdentifier)) {
        clusters.set(instance.DbClusterIdentifier, instance);
      }
    }
    const clusterLines = [...clusters.entries()].map(([cluster, instance]) => {
      const jitter = seededRandom(hashString(`${seed}:${cluster}:${date}`))();
      return {
        instance,
        resourceId: `arn:aws:rds:${region}:${account}:cluster:${cluster}`,
        service: RDS_SERVICE,
        date,
        amount: 0.5 + jitter * 1.5,
        usageHours: 0,
      };
    });
    return [...instanceLines, ...clusterLines];
  };

  const dimensionValue = (line: CostLine, dimension: Dimension): string => {
    switch (dimension) {
      case 'SERVICE':
        return line.service;
      case 'REGION':
        return region;
      case 'INSTANCE_TYPE':
        return line.instance.DbInstanceClass;
      case 'DATABASE_ENGINE':
        return line.instance.Engine;
      case 'LINKED_ACCOUNT':
        return account;
      case 'RESOURCE_ID':
        return line.resourceId;
    }
  };
  const tagValue = (line: CostLine, key: string): string =>
    line.instance.TagList.find((tag) => tag.Key === key)?.Value ?? '';

  /** Both operations: the same data, by resource only when `withResources`. */
  const query = (raw: unknown, withResources: boolean): GetCostAndUsageResult => {
    const operation = withResources ? 'getCostAndUsageWithResources' : 'getCostAndUsage';
    const params = checkParams(`costexplorer:${operation}`, raw, PARAMS);
    const period = params.TimePeriod as { Start?: unknown; End?: unknown } | undefined;
    if (
      !period ||
      typeof period.Start !== 'string' ||
      typeof period.End !== 'string' ||
      !DATE.test(period.Start) ||
      !DATE.test(period.End)
    ) {
      throw fail('ValidationException', 'TimePeriod needs Start and End as YYYY-MM-DD.');
    }
    const start = Date.parse(`${period.Start}T00:00:00Z`);
    const end = Date.parse(`${period.End}T00:00:00Z`);
    if (!(start < end)) throw fail('ValidationException', 'Start date (and hour) should be before end date (and hour)');
    const today = dayOf(options.clock.now());
    if (withResources && period.Start < dayOf(Date.parse(`${today}T00:00:00Z`) - RESOURCE_DATA_DAYS * DAY_MS)) {
      throw fail(
        'ValidationException',
        `Resource-level data is only available for the last ${RESOURCE_DATA_DAYS} days; ${period.Start} is earlier.`,
      );
    }
    const granularity = params.Granularity ?? (withResources ? undefined : 'DAILY');
    if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
      throw fail(
        'ValidationException',
        `Granularity ${String(granularity)} is not supported by the stand-in (DAILY, MONTHLY${withResources ? '; HOURLY is EC2-only' : ''}).`,
      );
    }
    const metrics = params.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.some((metric) => !METRICS.includes(metric))) {
      throw fail('ValidationException', `Metrics must be a non-empty subset of: ${METRICS.join(', ')}.`);
    }
    const groupBy = (params.GroupBy ?? []) as { Type?: unknown; Key?: unknown }[];
    if (!Array.isArray(groupBy) || groupBy.length > 2)
      throw fail('ValidationException', 'GroupBy takes at most 2 groups.');
    for (const group of groupBy) {
      const supported =
        (group?.Type === 'DIMENSION' &&
          DIMENSIONS.includes(group.Key as Dimension) &&
          (withResources || group.Key !== 'RESOURCE_ID')) ||
        (group?.Type === 'TAG' && typeof group.Key === 'string');
      if (!supported) {
        throw fail(
          'ValidationException',
          `Unsupported GroupBy ${JSON.stringify(group)}; use DIMENSION (${DIMENSIONS.filter((key) => withResources || key !== 'RESOURCE_ID').join(', ')}) or TAG.`,
        );
      }
    }
    const filter = params.Filter as
      | { Dimensions?: { Key: Dimension; Values: string[] }; Tags?: { Key: string; Values: string[] } }
      | undefined;
    if (withResources) {
      const byResource =
        groupBy.some((group) => group.Key === 'RESOURCE_ID') || filter?.Dimensions?.Key === 'RESOURCE_ID';
      if (!filter) throw fail('ValidationException', 'Filter is required for GetCostAndUsageWithResources.');
      if (!byResource) {
        throw fail('ValidationException', 'GetCostAndUsageWithResources needs a GroupBy or Filter on RESOURCE_ID.');
      }
    }
    const keep = (line: CostLine): boolean => {
      if (filter?.Dimensions && !filter.Dimensions.Values.includes(dimensionValue(line, filter.Dimensions.Key)))
        return false;
      if (filter?.Tags && !filter.Tags.Values.includes(tagValue(line, filter.Tags.Key))) return false;
      return true;
    };
    const keysOf = (line: CostLine): string[] =>
      groupBy.map((group) =>
        group.Type === 'TAG'
          ? `${group.Key}$${tagValue(line, group.Key as string)}`
          : dimensionValue(line, group.Key as Dimension),
      );
    const metricsOf = (lines: CostLine[]): Record<string, MetricValue> =>
      Object.fromEntries(
        (metrics as Metric[]).map((metric) => {
          const usage = metric === 'UsageQuantity' || metric === 'NormalizedUsageAmount';
          const total = lines.reduce((sum, line) => sum + (usage ? line.usageHours : line.amount), 0);
          return [metric, { Amount: round(total), Unit: usage ? 'N/A' : 'USD' }];
        }),
      );

    const results: GetCostAndUsageResult['ResultsByTime'][number][] = [];
    let cursor = start;
    while (cursor < end) {
      const date = new Date(cursor);
      const next =
        granularity === 'DAILY'
          ? cursor + DAY_MS
          : Math.min(end, Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
      const lines: CostLine[] = [];
      for (let day = cursor; day < next; day += DAY_MS) {
        // Cost data exists up to today (still estimated); later days have none yet.
        if (dayOf(day) <= today) lines.push(...dailyCosts(dayOf(day)).filter(keep));
      }
      const groups = new Map<string, CostLine[]>();
      for (const line of groupBy.length > 0 ? lines : []) {
        const key = JSON.stringify(keysOf(line));
        groups.set(key, [...(groups.get(key) ?? []), line]);
      }
      results.push({
        TimePeriod: { Start: dayOf(cursor), End: dayOf(next) },
        Total: groupBy.length > 0 ? {} : metricsOf(lines),
        Groups: [...groups.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, grouped]) => ({ Keys: JSON.parse(key) as string[], Metrics: metricsOf(grouped) })),
        Estimated: dayOf(next - 1) >= today,
      });
      cursor = next;
    }
    const answer = {
      GroupDefinitions: groupBy.map((group) => ({ Type: group.Type as string, Key: group.Key as string })),
      ResultsByTime: results,
      DimensionValueAttributes: [],
    };
    return withResources ? pageOf(answer, params.NextPageToken) : answer;
  };

  /**
   * One page of `pageSize` groups, counted across the periods in order; a period whose groups are all on other
   * pages is left out. The token is opaque to callers and names the request it belongs to, as AWS's
   * `RequestChangedException` says it does.
   */
  const pageOf = (answer: GetCostAndUsageResult, token: unknown): GetCostAndUsageResult => {
    const request = hashString(JSON.stringify(answer.ResultsByTime.map((result) => result.TimePeriod)));
    let skip = 0;
    if (token !== undefined) {
      const decoded = typeof token === 'string' ? decodeToken(token) : undefined;
      if (decoded === undefined) throw fail('InvalidNextTokenException', 'The pagination token is invalid.');
      if (decoded.request !== request) {
        throw fail(
          'RequestChangedException',
          'The request changed between paginated calls; start again without a token.',
        );
      }
      skip = decoded.after;
    }
    const flat = answer.ResultsByTime.flatMap((result, period) => result.Groups.map((group) => ({ period, group })));
    const page = flat.slice(skip, skip + pageSize);
    const periods = new Set(page.map((entry) => entry.period));
    // A first page with no groups at all still shows its periods (their totals are empty, as AWS answers).
    const results =
      flat.length === 0 && skip === 0
        ? answer.ResultsByTime
        : answer.ResultsByTime.flatMap((result, period) =>
            periods.has(period)
              ? [{ ...result, Groups: page.filter((entry) => entry.period === period).map((entry) => entry.group) }]
              : [],
          );
    const after = skip + page.length;
    return {
      ...answer,
      ResultsByTime: results,
      ...(after < flat.length ? { NextPageToken: encodeToken({ request, after }) } : {}),
    };
  };

  return {
    async getCostAndUsage(raw) {
      recorder.record('getCostAndUsage', raw);
      return query(raw, false);
    },
    async getCostAndUsageWithResources(raw) {
      recorder.record('getCostAndUsageWithResources', raw);
      return query(raw, true);
    },
    dailyCosts,
    get calls() {
      return recorder.calls;
    },
  };
}

function encodeToken(token: { readonly request: number; readonly after: number }): string {
  return Buffer.from(JSON.stringify({ v: 1, ...token })).toString('base64url');
}

function decodeToken(token: string): { readonly request: number; readonly after: number } | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    return decoded.v === 1 && typeof decoded.request === 'number' && typeof decoded.after === 'number'
      ? { request: decoded.request, after: decoded.after }
      : undefined;
  } catch {
    return undefined;
  }
}
