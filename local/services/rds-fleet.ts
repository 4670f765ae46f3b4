/**
 * A deterministic RDS fleet for the stand-in: a few dozen instances across engines, classes, AZs, statuses and
 * tags, in the casing the Step Functions aws-sdk integration returns (`DbInstanceIdentifier`, `MultiAZ`).
 */

import { pick, randomInt, seededRandom } from './seeded-random';

export type RdsEngine =
  | 'postgres'
  | 'mysql'
  | 'aurora-postgresql'
  | 'aurora-mysql'
  | 'mariadb'
  | 'oracle-se2'
  | 'sqlserver-se';

/** A subset of the statuses RDS reports (`DBInstanceStatus`). */
export type RdsInstanceStatus =
  | 'available'
  | 'backing-up'
  | 'creating'
  | 'deleting'
  | 'failed'
  | 'maintenance'
  | 'modifying'
  | 'rebooting'
  | 'starting'
  | 'stopped'
  | 'stopping'
  | 'storage-full'
  | 'storage-optimization'
  | 'upgrading';

export interface RdsTag {
  readonly Key: string;
  readonly Value: string;
}

/** One DB instance, shaped like an item of `DbInstances` in the aws-sdk integration's describeDBInstances result. */
export interface RdsInstanceFixture {
  readonly DbInstanceIdentifier: string;
  readonly DbInstanceArn: string;
  readonly DbiResourceId: string;
  readonly DbInstanceClass: string;
  readonly Engine: RdsEngine;
  readonly EngineVersion: string;
  readonly DbInstanceStatus: RdsInstanceStatus;
  readonly AvailabilityZone: string;
  readonly SecondaryAvailabilityZone?: string;
  readonly MultiAZ: boolean;
  readonly AllocatedStorage: number;
  readonly StorageType: 'gp2' | 'gp3' | 'io1' | 'io2' | 'aurora';
  readonly StorageEncrypted: boolean;
  readonly DeletionProtection: boolean;
  readonly PubliclyAccessible: boolean;
  readonly BackupRetentionPeriod: number;
  readonly DbClusterIdentifier?: string;
  readonly Endpoint: { readonly Address: string; readonly Port: number; readonly HostedZoneId: string };
  /** ISO-8601; how the integration renders timestamps is not verified. */
  readonly InstanceCreateTime: string;
  readonly TagList: readonly RdsTag[];
}

export interface SeedFleetOptions {
  /** @default 36 */
  readonly count?: number;
  readonly seed: number | string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
}

interface EngineProfile {
  readonly engine: RdsEngine;
  readonly short: string;
  readonly versions: readonly string[];
  readonly port: number;
  readonly classes: readonly string[];
}

const ENGINES: readonly EngineProfile[] = [
  {
    engine: 'postgres',
    short: 'pg',
    versions: ['15.7', '16.3', '16.4'],
    port: 5432,
    classes: ['db.t4g.medium', 'db.m6g.large', 'db.r6g.xlarge'],
  },
  {
    engine: 'mysql',
    short: 'my',
    versions: ['8.0.36', '8.0.39'],
    port: 3306,
    classes: ['db.t4g.medium', 'db.m6g.large', 'db.r6g.large'],
  },
  {
    engine: 'aurora-postgresql',
    short: 'apg',
    versions: ['15.6', '16.2'],
    port: 5432,
    classes: ['db.r6g.large', 'db.r7g.xlarge', 'db.serverless'],
  },
  {
    engine: 'aurora-mysql',
    short: 'amy',
    versions: ['8.0.mysql_aurora.3.05.2', '8.0.mysql_aurora.3.07.1'],
    port: 3306,
    classes: ['db.r6g.large', 'db.r7g.large'],
  },
  {
    engine: 'mariadb',
    short: 'mdb',
    versions: ['10.6.18', '10.11.8'],
    port: 3306,
    classes: ['db.t4g.small', 'db.m6g.large'],
  },
  {
    engine: 'oracle-se2',
    short: 'ora',
    versions: ['19.0.0.0.ru-2024-04.rur-2024-04.r1'],
    port: 1521,
    classes: ['db.m6i.large', 'db.r6i.xlarge'],
  },
  {
    engine: 'sqlserver-se',
    short: 'mss',
    versions: ['15.00.4365.2.v1', '16.00.4131.2.v1'],
    port: 1433,
    classes: ['db.m6i.xlarge', 'db.r6i.xlarge'],
  },
];

const TEAMS = ['payments', 'ledger', 'search', 'identity', 'reporting', 'catalog'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const AZ_SUFFIXES = ['a', 'b', 'c', 'd'] as const;
/** Weighted: most of a fleet is available; the rest exercise the interesting paths. */
const STATUSES: readonly RdsInstanceStatus[] = [
  ...Array<RdsInstanceStatus>(12).fill('available'),
  'modifying',
  'backing-up',
  'stopped',
  'storage-optimization',
  'maintenance',
  'rebooting',
  'upgrading',
];
const CREATED_BEFORE = Date.parse('2026-01-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

function hex(random: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

/** The same `seed` and `count` always give the same fleet, in the same order. */
export function seedFleet(options: SeedFleetOptions): RdsInstanceFixture[] {
  const { count = 36, seed, region = 'us-east-1', accountId = '123456789012' } = options;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`Fleet count must be a whole number >= 0, got ${count}.`);
  const random = seededRandom(`rds-fleet:${seed}`);
  const clusterSuffix = hex(random, 12);
  const fleet: RdsInstanceFixture[] = [];
  for (let index = 0; index < count; index++) {
    // Cycling through engines first guarantees every engine appears once the fleet has 7 instances.
    const profile = index < ENGINES.length ? ENGINES[index] : pick(random, ENGINES);
    const team = pick(random, TEAMS);
    const env = pick(random, ENVS);
    const aurora = profile.engine.startsWith('aurora');
    const identifier = `${team}-${env}-${profile.short}-${String(index + 1).padStart(2, '0')}`;
    const zone = pick(random, AZ_SUFFIXES);
    const multiAz = !aurora && env === 'prod' && random() < 0.7;
    const secondary = AZ_SUFFIXES[(AZ_SUFFIXES.indexOf(zone) + 1) % AZ_SUFFIXES.length];
    const storageType = aurora ? 'aurora' : pick(random, ['gp2', 'gp3', 'gp3', 'io1', 'io2'] as const);
    fleet.push({
      DbInstanceIdentifier: identifier,
      DbInstanceArn: `arn:aws:rds:${region}:${accountId}:db:${identifier}`,
      DbiResourceId: `db-${hex(random, 26).toUpperCase()}`,
      DbInstanceClass: pick(random, profile.classes),
      Engine: profile.engine,
      EngineVersion: pick(random, profile.versions),
      DbInstanceStatus: pick(random, STATUSES),
      AvailabilityZone: `${region}${zone}`,
      ...(multiAz ? { SecondaryAvailabilityZone: `${region}${secondary}` } : {}),
      MultiAZ: multiAz,
      AllocatedStorage: aurora ? 1 : randomInt(random, 2, 100) * 20,
      StorageType: storageType,
      StorageEncrypted: env === 'prod' || random() < 0.5,
      DeletionProtection: env === 'prod',
      PubliclyAccessible: false,
      BackupRetentionPeriod: env === 'prod' ? 14 : randomInt(random, 1, 7),
      ...(aurora ? { DbClusterIdentifier: `${team}-${env}-${profile.short}-cluster` } : {}),
      Endpoint: {
        Address: `${identifier}.${clusterSuffix}.${region}.rds.amazonaws.com`,
        Port: profile.port,
        HostedZoneId: 'Z2R2ITUGPM61AM',
      },
      InstanceCreateTime: new Date(CREATED_BEFORE - randomInt(random, 30, 1200) * DAY_MS).toISOString(),
      TagList: [
        { Key: 'env', Value: env },
        { Key: 'team', Value: team },
      ],
    });
  }
  return fleet;
}
