import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../../local/clock';
import { LocalDynamoDbStartError, startLocalDynamoDb } from '../../../local/dynamodb';
import { clientFor, errorOf, type Harness, ordersTable, START, startHarness } from './harness';

describe('dataDir and upstreamEndpoint', () => {
  let dataDir: string | undefined;
  let h: Harness | undefined;
  let upstream: Server | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    if (upstream) await new Promise<void>((resolve) => upstream!.close(() => resolve()));
    upstream = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('keeps tables, items, TTL settings and PITR history across a restart', async () => {
    // Prepare
    dataDir = await mkdtemp(join(tmpdir(), 'local-dynamodb-'));
    h = await startHarness({ dataDir });
    await h.db.createTable(ordersTable({ timeToLiveAttribute: 'expiresAt' }));
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW' } }));
    h.clock.advance(60_000);
    const overwrittenAt = h.clock.now();
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'PAID' } }));
    await h.stop();

    // Act
    h = await startHarness({ dataDir });
    h.clock.advanceTo(START + 20 * 60_000);
    await h.db.createTable(ordersTable({ timeToLiveAttribute: 'expiresAt' }));
    const current = await h.doc.send(new GetCommand({ TableName: 'Orders', Key: { pk: 'o-1' } }));
    const ttl = await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }));
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Orders',
        TargetTableName: 'BeforeRestart',
        RestoreDateTime: new Date(overwrittenAt - 1000),
      }),
    );
    h.clock.advance(60_000);
    const restored = await h.doc.send(new GetCommand({ TableName: 'BeforeRestart', Key: { pk: 'o-1' } }));

    // Assess
    expect(current.Item).toEqual({ pk: 'o-1', status: 'PAID' });
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    expect(restored.Item).toEqual({ pk: 'o-1', status: 'NEW' });
  });

  it('fronts an existing endpoint when upstreamEndpoint is given', async () => {
    // Prepare
    const dynalite = require('dynalite') as (options: object) => Server;
    upstream = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', () => resolve()));
    const upstreamEndpoint = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    h = await startHarness({ upstreamEndpoint });

    // Act
    await h.db.createTable(ordersTable());
    await h.doc.send(new PutCommand({ TableName: 'Orders', Item: { pk: 'o-1', status: 'NEW' } }));
    const direct = clientFor(upstreamEndpoint);
    const tables = await direct.send(new ListTablesCommand({}));
    direct.destroy();
    await h.stop();
    h = undefined;

    // Assess
    expect(tables.TableNames).toEqual(['Orders']);
  });

  it('fails to start with LocalDynamoDbStartError when the upstream does not answer', async () => {
    // Prepare
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    // Act
    const error = await errorOf(
      startLocalDynamoDb({
        clock: new VirtualClock({ autoAdvance: false }),
        upstreamEndpoint: `http://127.0.0.1:${port}`,
      }),
    );

    // Assess
    expect(error).toBeInstanceOf(LocalDynamoDbStartError);
    expect(error.name).toBe('LocalDynamoDbStartError');
    expect(error.message).toContain('DYNAMODB_ENDPOINT');
  });
});
