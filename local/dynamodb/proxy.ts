/**
 * The HTTP front door of the local DynamoDB on 127.0.0.1: every client (SDK, CLI, engine bindings)
 * talks to it. It answers the emulated control plane and the transactions, records writes for PITR,
 * hides tables that are still being restored, and forwards everything else to the upstream byte for byte. It
 * reports the capacity each successful data-plane call consumed (estimated as DynamoDB counts it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock';
import { type ConsumedCapacity, consumedCapacityOf } from './consumed-capacity';
import type { ControlPlane } from './control-plane';
import { DynamoDbServiceError, isDynamoDbServiceError, serviceErrors } from './errors';
import { type KeySchemas, TABLE_LIFECYCLE_OPERATIONS } from './key-schemas';
import type { TableSettingsRegistry } from './table-settings';
import { TRANSACTION_OPERATIONS, type Transactions } from './transactions';
import type { RawResponse, UpstreamClient } from './upstream-client';
import { operationOf, sendError, sendJson, tableNameOf, type WireBody } from './wire';
import { RECORDED_OPERATIONS, type WriteRecorder } from './write-recorder';

export interface PitrProxyOptions {
  readonly clock: Clock;
  readonly upstream: UpstreamClient;
  readonly controlPlane: ControlPlane;
  readonly recorder: WriteRecorder;
  readonly transactions: Transactions;
  readonly schemas: KeySchemas;
  readonly settings: TableSettingsRegistry;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Told the capacity every successful data-plane call consumed (for the AWS/DynamoDB usage metrics). */
  readonly onConsumedCapacity?: (usage: readonly ConsumedCapacity[]) => void;
}

export interface PitrProxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

const SINGLE_TABLE_DATA_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * Idle keep-alive connections stay open until the proxy closes (which closes them all). Node's default 5 s idle
 * timeout races the in-process SDK clients: after more than 5 s of synchronous work (a runtime booting a large app
 * on a busy machine) the server's close and the client's next request on that socket land in the same event-loop
 * turn, and the request fails with ECONNRESET (the runtime's clients make one attempt).
 */
const NO_IDLE_TIMEOUT = 0;

export async function startPitrProxy(options: PitrProxyOptions): Promise<PitrProxy> {
  const server = createServer((req, res) => {
    void options.clock.track(serve(options, req, res));
  });
  server.keepAliveTimeout = NO_IDLE_TIMEOUT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

async function serve(options: PitrProxyOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const raw = await readBody(req);
    const operation = req.method === 'POST' ? operationOf(req.headers['x-amz-target']) : undefined;
    const body = operation ? parseBody(raw) : undefined;
    if (!operation || !body) {
      sendRaw(res, await options.upstream.send(req.headers, raw));
      return;
    }
    rejectIfRestoring(options.settings, operation, body);
    // A table created, deleted or restored under a known name may have a new key schema.
    if (TABLE_LIFECYCLE_OPERATIONS.has(operation)) options.schemas.forgetAll();
    if (options.controlPlane.handles(operation)) {
      const reply = await options.controlPlane.handle(operation, req.headers, raw, body);
      sendJson(res, reply.statusCode, reply.body);
    } else if (TRANSACTION_OPERATIONS.has(operation)) {
      const reply = await options.transactions.handle(operation, body);
      sendJson(res, 200, reply);
      reportCapacity(options, operation, body, 200, reply);
    } else if (RECORDED_OPERATIONS.has(operation)) {
      const reply = await options.recorder.handle(operation, req.headers, raw, body);
      sendJson(res, reply.statusCode, reply.body);
      if (options.onConsumedCapacity)
        reportCapacity(options, operation, body, reply.statusCode, parseBody(reply.body) ?? {});
    } else {
      const reply = await options.upstream.send(req.headers, raw);
      sendRaw(res, reply);
      if (options.onConsumedCapacity && reply.statusCode === 200) {
        reportCapacity(options, operation, body, 200, parseBody(reply.body) ?? {});
      }
    }
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
    } else if (isDynamoDbServiceError(error)) {
      sendError(res, error);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, new DynamoDbServiceError('InternalServerError', `Local DynamoDB proxy failed: ${message}`, 500));
    }
  }
}

function reportCapacity(
  options: PitrProxyOptions,
  operation: string,
  request: WireBody,
  statusCode: number,
  response: WireBody,
): void {
  if (!options.onConsumedCapacity || statusCode !== 200) return;
  const usage = consumedCapacityOf(operation, request, response);
  if (usage.length > 0) options.onConsumedCapacity(usage);
}

/** A restored table is CREATING on the clock: data-plane calls fail as they do on AWS until it is ACTIVE. */
function rejectIfRestoring(settings: TableSettingsRegistry, operation: string, body: WireBody): void {
  for (const tableName of dataPlaneTablesOf(operation, body)) {
    if (settings.isCreating(tableName)) throw serviceErrors.resourceNotFound();
  }
}

function dataPlaneTablesOf(operation: string, body: WireBody): string[] {
  if (SINGLE_TABLE_DATA_OPERATIONS.has(operation)) return [tableNameOf(body.TableName) ?? ''];
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.keys((body.RequestItems ?? {}) as WireBody).map((name) => tableNameOf(name) ?? name);
  }
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((body.TransactItems ?? []) as WireBody[]).flatMap((entry) =>
      Object.values(entry).map((action) => tableNameOf((action as WireBody)?.TableName) ?? ''),
    );
  }
  return [];
}

function parseBody(raw: Buffer): WireBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as WireBody) : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendRaw(res: ServerResponse, response: RawResponse): void {
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
  }
  res.setHeader('content-length', response.body.length);
  res.writeHead(response.statusCode);
  res.end(response.body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
