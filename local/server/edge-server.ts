/**
 * The HTTP listener of the local service on 127.0.0.1. It binds first (so a port in use is reported before
 * anything starts) and answers 503 until the runtime behind it is attached.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendAwsError } from './aws-json';
import type { EdgeRouter } from './edge-router';
import { AwsApiError, PortUnavailableError } from './errors';

export interface EdgeServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** From now on requests go to `router`. */
  attach(router: EdgeRouter): void;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function listenEdge(port: number): Promise<EdgeServer> {
  let router: EdgeRouter | undefined;
  const server = createServer((req, res) => {
    if (!router) {
      sendAwsError(res, '1.0', new AwsApiError('ServiceUnavailableException', 'The local service is starting.', 503));
      return;
    }
    router.handle(req, res).catch(() => {
      if (!res.headersSent) res.destroy();
    });
  });
  // A client that sends garbage or vanishes mid-request costs its own socket, never the service.
  server.on('clientError', (_error, socket) => socket.destroy());
  await listen(server, port);
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${HOST}:${bound}`,
    port: bound,
    attach(next) {
      router = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? 'already in use'
          : error.code === 'EACCES'
            ? 'not allowed for this user'
            : `unavailable (${error.code ?? error.message})`;
      reject(new PortUnavailableError(port, reason, { cause: error }));
    });
    server.listen(port, HOST, () => resolve());
  });
}
