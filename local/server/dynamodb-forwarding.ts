/**
 * DynamoDB behind the edge port: every `DynamoDB_20120810.*` request goes to the runtime's DynamoDB endpoint
 * (the PITR proxy) byte for byte, and its answer comes back the same way, so any operation the proxy serves
 * works here with no change on this side.
 */

import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Agent, request } from 'node:http';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

export class DynamoDbForwarder {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly target: URL;

  constructor(endpoint: string) {
    this.target = new URL(endpoint);
  }

  /** Sends the request on and streams the answer back; rejects when the proxy cannot be reached. */
  forward(headers: IncomingHttpHeaders, body: Buffer, res: ServerResponse): Promise<void> {
    const forwarded: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
    }
    forwarded['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstream = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: 'POST',
          path: '/',
          headers: forwarded,
          agent: this.agent,
        },
        (answer) => {
          if (res.destroyed) {
            answer.resume();
            resolve();
            return;
          }
          const headersBack: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) headersBack[name] = value;
          }
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(chunks);
            if (!res.destroyed && !res.headersSent) {
              res.writeHead(answer.statusCode ?? 500, { ...headersBack, 'content-length': payload.length });
              res.end(payload);
            }
            resolve();
          });
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
