/**
 * Starts the local DynamoDB: dynalite (or an existing endpoint) behind the PITR emulator proxy, so
 * every client gets point-in-time recovery, system backups, TTL, deletion protection and transactions on one
 * endpoint.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock';
import type { RecordedApiCall } from '../events/cloudtrail-events';
import { BackupStore } from './backup-store';
import type { ConsumedCapacity } from './consumed-capacity';
import { ControlPlane } from './control-plane';
import { startDynalite } from './dynalite-server';
import {
  isDynamoDbServiceError,
  LocalDynamoDbError,
  LocalDynamoDbStartError,
  LocalTableSchemaMismatchError,
} from './errors';
import { KeySchemas } from './key-schemas';
import { KeyedLock } from './keyed-lock';
import { PitrEmulator } from './pitr-emulator';
import { startPitrProxy } from './proxy';
import { type EmulatorStateJson, loadEmulatorState, STATE_FILE_VERSION, saveEmulatorState } from './state-file';
import { TableSettingsRegistry } from './table-settings';
import { Transactions } from './transactions';
import { sweepExpiredItems } from './ttl-sweeper';
import { UpstreamClient } from './upstream-client';
import { describeTableOrUndefined, waitUntilActive } from './upstream-tables';
import { WriteRecorder } from './write-recorder';

export interface LocalDynamoDbOptions {
  /** The runtime clock: PITR timestamps, the restorable window, restore duration and TTL read it. */
  readonly clock: Clock;
  /** Persist dynalite's LevelDB and the emulator state here. @default in memory */
  readonly dataDir?: string;
  /** Forward to this endpoint (e.g. `process.env.DYNAMODB_ENDPOINT`) instead of starting dynalite. */
  readonly upstreamEndpoint?: string;
  /** How far LatestRestorableDateTime trails now, like AWS's ~5 minutes. @default 300 */
  readonly latestRestorableLagSeconds?: number;
  /** How long a restored table stays CREATING, in clock milliseconds. @default 60_000 */
  readonly restoreDurationMs?: number;
  /** How long an on-demand backup (CreateBackup) stays CREATING, in clock milliseconds. @default 5_000 */
  readonly backupDurationMs?: number;
  /** Told of every DeleteTable and its outcome (what CloudTrail would record). @default - not reported */
  readonly onApiCall?: (call: RecordedApiCall) => void;
  /** Told the capacity every successful data-plane call consumed. @default - not reported */
  readonly onConsumedCapacity?: (usage: readonly ConsumedCapacity[]) => void;
}

/** A table to create, in AWS SDK shapes (as a CDK template describes it). Always PAY_PER_REQUEST. */
export interface LocalTableSpec {
  readonly tableName: string;
  readonly keySchema: KeySchemaElement[];
  readonly attributeDefinitions: AttributeDefinition[];
  readonly globalSecondaryIndexes?: GlobalSecondaryIndex[];
  readonly localSecondaryIndexes?: LocalSecondaryIndex[];
  readonly pointInTimeRecovery?: { readonly enabled: boolean; readonly recoveryPeriodInDays?: number };
  readonly timeToLiveAttribute?: string;
  readonly deletionProtection?: boolean;
}

export interface LocalDynamoDb {
  /** The proxy's `http://127.0.0.1:<port>`: give this to every client. */
  readonly endpoint: string;
  /**
   * Creates the table (PAY_PER_REQUEST) and applies PITR, TTL and deletion protection. If it already
   * exists (a persisted `dataDir`) with the same key schema, its data and PITR history are kept.
   */
  createTable(spec: LocalTableSpec): Promise<void>;
  readonly pitr: PitrEmulator;
  /** Deletes items whose TTL is at or before the clock's now; returns how many. */
  sweepExpiredItems(): Promise<number>;
  /** Stops the proxy and dynalite and saves the emulator state to `dataDir`. Safe to call twice. */
  stop(): Promise<void>;
}

const STATE_FILE_NAME = 'pitr-emulator.json';

export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  const lagSeconds = options.latestRestorableLagSeconds ?? 300;
  const restoreDurationMs = options.restoreDurationMs ?? 60_000;
  if (!(lagSeconds >= 0) || !(restoreDurationMs >= 0)) {
    throw new LocalDynamoDbStartError(
      `latestRestorableLagSeconds (${lagSeconds}) and restoreDurationMs (${restoreDurationMs}) must be numbers >= 0.`,
    );
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });

  const dynalite = options.upstreamEndpoint ? undefined : await startDynalite(options.dataDir);
  const upstream = new UpstreamClient(options.upstreamEndpoint ?? dynalite!.endpoint);
  try {
    await upstream.call('ListTables', { Limit: 1 });
  } catch (error) {
    upstream.close();
    await dynalite?.close();
    throw new LocalDynamoDbStartError(
      `The DynamoDB endpoint ${upstream.endpoint} does not answer ListTables (${(error as Error).message}). ` +
        'Start it first, or leave upstreamEndpoint (DYNAMODB_ENDPOINT) unset to use in-process dynalite.',
      { cause: error },
    );
  }

  const statePath = options.dataDir ? join(options.dataDir, STATE_FILE_NAME) : undefined;
  const saved = statePath ? await loadEmulatorState(statePath) : undefined;
  const { clock } = options;
  const settings = new TableSettingsRegistry(clock, restoreDurationMs, saved?.settings);
  const backups = new BackupStore(saved?.backups);
  const pitr = new PitrEmulator({
    clock,
    upstream,
    settings,
    backups,
    latestRestorableLagSeconds: lagSeconds,
    initial: saved?.pitr,
  });
  const lock = new KeyedLock();
  const schemas = new KeySchemas(upstream, pitr);
  const recorder = new WriteRecorder(upstream, pitr, lock, schemas);
  const transactions = new Transactions({ clock, upstream, pitr, lock, schemas });
  const controlPlane = new ControlPlane({
    clock,
    upstream,
    pitr,
    settings,
    backups,
    backupDurationMs: options.backupDurationMs ?? 5_000,
    ...(options.onApiCall ? { onApiCall: options.onApiCall } : {}),
  });
  const proxy = await startPitrProxy({
    clock,
    upstream,
    controlPlane,
    recorder,
    transactions,
    schemas,
    settings,
    ...(options.onConsumedCapacity && { onConsumedCapacity: options.onConsumedCapacity }),
  });

  let stopped: Promise<void> | undefined;
  return {
    endpoint: proxy.endpoint,
    pitr,
    createTable: (spec) => createLocalTable({ spec, upstream, settings, pitr, clock }),
    sweepExpiredItems: () => sweepExpiredItems({ clock, upstream, settings, recorder }),
    stop() {
      stopped ??= (async () => {
        await proxy.close();
        await transactions.close();
        if (statePath) {
          const state: EmulatorStateJson = {
            version: STATE_FILE_VERSION,
            settings: settings.toJSON(),
            pitr: pitr.toJSON(),
            backups: [...backups.all()],
          };
          await saveEmulatorState(statePath, state);
        }
        upstream.close();
        await dynalite?.close();
      })();
      return stopped;
    },
  };
}

async function createLocalTable(input: {
  spec: LocalTableSpec;
  upstream: UpstreamClient;
  settings: TableSettingsRegistry;
  pitr: PitrEmulator;
  clock: Clock;
}): Promise<void> {
  const { spec, upstream, settings, pitr, clock } = input;
  try {
    const existing = await describeTableOrUndefined(upstream, spec.tableName);
    if (existing) {
      const wanted = describeKeySchema(spec.keySchema);
      const actual = describeKeySchema(existing.KeySchema as KeySchemaElement[]);
      if (wanted !== actual) throw new LocalTableSchemaMismatchError(spec.tableName, `has ${actual}, wanted ${wanted}`);
    } else {
      await upstream.call('CreateTable', {
        TableName: spec.tableName,
        KeySchema: spec.keySchema,
        AttributeDefinitions: spec.attributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(spec.globalSecondaryIndexes?.length
          ? {
              GlobalSecondaryIndexes: spec.globalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({
                IndexName,
                KeySchema,
                Projection,
              })),
            }
          : {}),
        ...(spec.localSecondaryIndexes?.length ? { LocalSecondaryIndexes: spec.localSecondaryIndexes } : {}),
      });
      pitr.forget(spec.tableName);
      settings.reset(spec.tableName, { deletionProtection: false, createdAt: clock.now() });
      await waitUntilActive(upstream, spec.tableName);
    }
    settings.update(spec.tableName, {
      deletionProtection: spec.deletionProtection ?? false,
      ttlAttribute: spec.timeToLiveAttribute,
    });
    if (spec.pointInTimeRecovery?.enabled) {
      await pitr.enable(spec.tableName, spec.pointInTimeRecovery.recoveryPeriodInDays);
    } else if (spec.pointInTimeRecovery?.enabled === false) {
      await pitr.disable(spec.tableName);
    }
  } catch (error) {
    if (error instanceof LocalDynamoDbError && !isDynamoDbServiceError(error)) throw error;
    throw new LocalDynamoDbError(
      `Cannot create local table '${spec.tableName}': ${(error as Error).message}. Check the table spec ` +
        '(key schema, attribute definitions, indexes) against the CDK template.',
      { cause: error },
    );
  }
}

function describeKeySchema(keySchema: readonly KeySchemaElement[]): string {
  return keySchema.map((element) => `${element.AttributeName} ${element.KeyType}`).join(', ');
}
