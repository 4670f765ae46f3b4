/** An in-process dynalite on 127.0.0.1 (in memory, or persisted under a directory), ready at once. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LocalDynamoDbStartError } from './errors';

type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

export interface DynaliteServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(dataDir: string | undefined): Promise<DynaliteServer> {
  // dynalite ships no types; this is the part of its API we use.
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(dataDir ? { path: join(dataDir, 'dynalite') } : {}),
  });
  // As in the proxy: no idle timeout on in-process keep-alive connections (it races the proxy's next request).
  server.keepAliveTimeout = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new LocalDynamoDbStartError(
      `dynalite could not listen on 127.0.0.1 (${(error as Error).message}); check that loopback networking is available.`,
      { cause: error },
    );
  }
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
