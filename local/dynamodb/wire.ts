/**
 * The DynamoDB JSON 1.0 wire protocol as the proxy speaks it: attribute values stay in wire form
 * (`{"S":"x"}`, binary as base64), timestamps are epoch seconds, errors carry a namespaced `__type`.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { DynamoDbServiceError } from './errors';

/** One attribute value exactly as it travels on the wire, e.g. `{ "N": "42" }`. */
export type WireAttributeValue = Record<string, unknown>;
/** An item (or a key) in wire form. */
export type WireItem = Record<string, WireAttributeValue>;
/** Any JSON request or response body. */
export type WireBody = Record<string, unknown>;

export const TARGET_PREFIX = 'DynamoDB_20120810.';
const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';
/** AWS reports validation errors from a different service namespace; SDKs only read what follows `#`. */
const VALIDATION_NAMESPACE = 'com.amazon.coral.validate#';

/** The operation named by an `X-Amz-Target` header, or undefined for anything that is not DynamoDB 2012-08-10. */
export function operationOf(target: string | string[] | undefined): string | undefined {
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  return target.slice(TARGET_PREFIX.length);
}

export function toEpochSeconds(epochMs: number): number {
  return epochMs / 1000;
}

/** Reads a JSON-protocol timestamp (epoch seconds, possibly fractional) as epoch milliseconds. */
export function fromEpochSeconds(value: unknown, field: string): number {
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new DynamoDbServiceError('ValidationException', `${field} must be a timestamp in epoch seconds`);
  }
  return Math.round(seconds * 1000);
}

/** Table names may be given as ARNs (`arn:aws:dynamodb:region:account:table/Name`). */
export function tableNameOf(nameOrArn: unknown): string | undefined {
  if (typeof nameOrArn !== 'string' || nameOrArn.length === 0) return undefined;
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)/.exec(nameOrArn);
  return match ? match[1] : nameOrArn;
}

export function errorBody(error: DynamoDbServiceError): WireBody {
  const namespace = error.code === 'ValidationException' ? VALIDATION_NAMESPACE : DYNAMODB_NAMESPACE;
  // AWS spells the member `Message` for TransactionCanceledException and `message` elsewhere; SDKs read both.
  const messageMember = error.code === 'TransactionCanceledException' ? 'Message' : 'message';
  return { __type: `${namespace}${error.code}`, ...error.details, [messageMember]: error.message };
}

/** The error code of an upstream error body (`...#ResourceNotFoundException` -> `ResourceNotFoundException`). */
export function errorCodeOf(body: WireBody): string {
  const type = typeof body.__type === 'string' ? body.__type : 'InternalServerError';
  return type.slice(type.lastIndexOf('#') + 1);
}

export function errorMessageOf(body: WireBody): string {
  const message = body.message ?? body.Message;
  return typeof message === 'string' ? message : '';
}

function requestId(): string {
  return randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');
}

/** Sends a JSON body the way DynamoDB does, with the CRC32 header SDKs may verify. */
export function sendJson(res: ServerResponse, statusCode: number, body: WireBody | Buffer): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(statusCode, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': payload.length,
    'x-amzn-RequestId': requestId(),
    'x-amz-crc32': String(crc32(payload)),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: DynamoDbServiceError): void {
  sendJson(res, error.statusCode, errorBody(error));
}
