/**
 * The AWS JSON protocol as the local service speaks it: bodies read with a size bound, answers and errors
 * written the way AWS writes them (`__type` plus `message`, `x-amzn-ErrorType`, a request id), timestamps
 * as epoch seconds.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsApiError, commonErrors } from './errors';

/** Step Functions, DynamoDB and CloudWatch speak JSON 1.0; EventBridge speaks JSON 1.1. */
export type JsonProtocolVersion = '1.0' | '1.1';

export type JsonBody = Record<string, unknown>;

/** AWS caps a Step Functions request well below this; anything larger is refused before it is parsed. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** The whole request body, or an error when it is larger than `limit` or the client goes away. */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(commonErrors.requestTooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('the client closed the connection')));
  });
}

/** The JSON object of a request body; `{}` for an empty body, as AWS accepts. */
export function parseJsonBody(raw: Buffer): JsonBody {
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw commonErrors.serialization(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw commonErrors.serialization('The request body must be a JSON object.');
  }
  return parsed as JsonBody;
}

export function sendJson(res: ServerResponse, version: JsonProtocolVersion, statusCode: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(statusCode, {
    'Content-Type': `application/x-amz-json-${version}`,
    'Content-Length': payload.length,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(payload);
}

export function sendAwsError(res: ServerResponse, version: JsonProtocolVersion, error: AwsApiError): void {
  if (res.destroyed || res.headersSent) return;
  res.setHeader('x-amzn-ErrorType', error.code);
  sendJson(res, version, error.statusCode, { __type: error.code, message: error.message });
}

/** A JSON-protocol timestamp: epoch seconds with milliseconds. */
export function epochSeconds(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return ms / 1000;
}
