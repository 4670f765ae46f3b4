/**
 * RDS stand-in: `describeDBInstances` over a seeded fleet, answering in the aws-sdk integration's casing
 * (`DbInstances`, `DbInstanceIdentifier`, `Marker`), plus mutators that let scenarios change the fleet.
 */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams } from './params';
import type { RdsInstanceFixture, RdsInstanceStatus } from './rds-fleet';
import { seedFleet } from './rds-fleet';
import { randomUuid, seededRandom } from './seeded-random';

export interface RdsFilter {
  readonly Name: string;
  readonly Values: readonly string[];
}

export interface DescribeDbInstancesParams {
  readonly DbInstanceIdentifier?: string;
  readonly Filters?: readonly RdsFilter[];
  /** 20..100. @default 100 */
  readonly MaxRecords?: number;
  readonly Marker?: string;
}

export interface DescribeDbInstancesResult {
  readonly DbInstances: RdsInstanceFixture[];
  readonly Marker?: string;
}

export interface RdsStandInOptions {
  readonly clock: Clock;
  /** @default seedFleet({ seed: 1 }) */
  readonly fleet?: readonly RdsInstanceFixture[];
}

export interface RdsStandIn {
  describeDBInstances(params?: DescribeDbInstancesParams | unknown): Promise<DescribeDbInstancesResult>;
  readonly calls: readonly RecordedCall[];
  /** The fleet as it stands, sorted by identifier. */
  instances(): RdsInstanceFixture[];
  removeInstance(identifier: string): void;
  addInstance(fixture: RdsInstanceFixture): void;
  setStatus(identifier: string, status: RdsInstanceStatus): void;
}

const DESCRIBE_PARAMS = ['DbInstanceIdentifier', 'Filters', 'MaxRecords', 'Marker'] as const;
const MIN_RECORDS = 20;
const MAX_RECORDS = 100;
const FILTERS: Readonly<Record<string, (instance: RdsInstanceFixture, values: readonly string[]) => boolean>> = {
  'db-instance-id': (instance, values) =>
    values.some((value) => sameIdentifier(instance, value) || value === instance.DbInstanceArn),
  'db-cluster-id': (instance, values) =>
    instance.DbClusterIdentifier !== undefined &&
    values.some(
      (value) => value === instance.DbClusterIdentifier || value.endsWith(`:cluster:${instance.DbClusterIdentifier}`),
    ),
  'dbi-resource-id': (instance, values) => values.includes(instance.DbiResourceId),
  engine: (instance, values) => values.includes(instance.Engine),
  // The stand-in's instances join no directory; the filter is accepted, as RDS does, and matches nothing.
  domain: () => false,
};

function sameIdentifier(instance: RdsInstanceFixture, value: string): boolean {
  return instance.DbInstanceIdentifier.toLowerCase() === value.toLowerCase();
}

// The marker is opaque to callers; inside it names the last identifier returned, so a page boundary survives
// instances being added or removed between calls without skipping or repeating the others.
function encodeMarker(lastIdentifier: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastIdentifier })).toString('base64url');
}

function decodeMarker(marker: string): string | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    return decoded.v === 1 && typeof decoded.after === 'string' ? decoded.after : undefined;
  } catch {
    return undefined;
  }
}

export function createRdsStandIn(options: RdsStandInOptions): RdsStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const requestIds = seededRandom('rds-request-ids');
  const fleet = new Map<string, RdsInstanceFixture>();
  for (const instance of options.fleet ?? seedFleet({ seed: 1 })) fleet.set(instance.DbInstanceIdentifier, instance);

  const fail = (code: string, message: string, statusCode = 400): ServiceError =>
    new ServiceError(code, message, { statusCode, service: 'rds', requestId: randomUuid(requestIds) });

  const sorted = (): RdsInstanceFixture[] =>
    [...fleet.values()].sort((a, b) => (a.DbInstanceIdentifier < b.DbInstanceIdentifier ? -1 : 1));

  const find = (identifier: string): RdsInstanceFixture => {
    const instance = sorted().find(
      (candidate) => sameIdentifier(candidate, identifier) || candidate.DbInstanceArn === identifier,
    );
    if (!instance) throw fail('DBInstanceNotFound', `DBInstance ${identifier} not found.`, 404);
    return instance;
  };

  const filterBy = (instances: RdsInstanceFixture[], filters: unknown): RdsInstanceFixture[] => {
    if (filters === undefined) return instances;
    if (!Array.isArray(filters)) throw fail('InvalidParameterValue', 'Filters must be a list of { Name, Values }.');
    return filters.reduce<RdsInstanceFixture[]>((kept, filter: Partial<RdsFilter>) => {
      const match = typeof filter?.Name === 'string' ? FILTERS[filter.Name] : undefined;
      if (!match) throw fail('InvalidParameterValue', `Unrecognized filter name: ${String(filter?.Name)}`);
      if (!Array.isArray(filter.Values) || filter.Values.length === 0) {
        throw fail('InvalidParameterValue', `Filter ${filter.Name} must have at least one value.`);
      }
      const values = filter.Values;
      return kept.filter((instance) => match(instance, values));
    }, instances);
  };

  return {
    async describeDBInstances(raw) {
      recorder.record('describeDBInstances', raw ?? {});
      const params = checkParams('rds:describeDBInstances', raw, DESCRIBE_PARAMS);
      const maxRecords = params.MaxRecords ?? MAX_RECORDS;
      if (
        typeof maxRecords !== 'number' ||
        !Number.isInteger(maxRecords) ||
        maxRecords < MIN_RECORDS ||
        maxRecords > MAX_RECORDS
      ) {
        throw fail(
          'InvalidParameterValue',
          `Invalid value ${String(maxRecords)} for MaxRecords. Must be between ${MIN_RECORDS} and ${MAX_RECORDS}`,
        );
      }
      let instances = sorted();
      if (params.DbInstanceIdentifier !== undefined) {
        if (typeof params.DbInstanceIdentifier !== 'string') {
          throw fail('InvalidParameterValue', 'DbInstanceIdentifier must be a string.');
        }
        instances = [find(params.DbInstanceIdentifier)];
      }
      instances = filterBy(instances, params.Filters);
      if (params.Marker !== undefined) {
        const after = typeof params.Marker === 'string' ? decodeMarker(params.Marker) : undefined;
        if (after === undefined) throw fail('InvalidParameterValue', `Invalid marker: ${String(params.Marker)}`);
        instances = instances.filter((instance) => instance.DbInstanceIdentifier > after);
      }
      const page = instances.slice(0, maxRecords).map((instance) => structuredClone(instance));
      const more = instances.length > maxRecords;
      return more
        ? { DbInstances: page, Marker: encodeMarker(page[page.length - 1].DbInstanceIdentifier) }
        : { DbInstances: page };
    },
    get calls() {
      return recorder.calls;
    },
    instances: () => sorted().map((instance) => structuredClone(instance)),
    removeInstance(identifier) {
      fleet.delete(find(identifier).DbInstanceIdentifier);
    },
    addInstance(fixture) {
      if (sorted().some((instance) => sameIdentifier(instance, fixture.DbInstanceIdentifier))) {
        throw fail('DBInstanceAlreadyExists', `DB instance already exists: ${fixture.DbInstanceIdentifier}`);
      }
      fleet.set(fixture.DbInstanceIdentifier, structuredClone(fixture));
    },
    setStatus(identifier, status) {
      const instance = find(identifier);
      fleet.set(instance.DbInstanceIdentifier, { ...instance, DbInstanceStatus: status });
    },
  };
}
