/**
 * A minimal JSON client for the DynamoDB endpoint behind the proxy (dynalite, or `upstreamEndpoint`).
 * It signs nothing: dynalite and DynamoDB Local only check that an AWS4 Authorization header is present.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { DynamoDbServiceError, LocalDynamoDbError } from './errors';
import { errorCodeOf, errorMessageOf, TARGET_PREFIX, type WireBody } from './wire';

export interface RawResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A fixed, well-formed but unsigned credential scope; nothing behind the proxy verifies signatures. */
const PLACEHOLDER_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export class UpstreamClient {
  private readonly url: URL;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly endpoint: string) {
    this.url = new URL(endpoint);
  }

  /** Sends `body` with the caller's headers (minus hop-by-hop ones) and returns the raw answer. */
  send(headers: IncomingHttpHeaders, body: Buffer): Promise<RawResponse> {
    const forwarded: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
    }
    forwarded['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers: forwarded,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ statusCode: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (error) =>
        reject(
          new LocalDynamoDbError(
            `The DynamoDB endpoint ${this.endpoint} did not answer (${error.message}); check that it is running.`,
            { cause: error },
          ),
        ),
      );
      req.end(body);
    });
  }

  /** Calls `operation` and returns the parsed body; DynamoDB errors are thrown as `DynamoDbServiceError`. */
  async call<T extends WireBody = WireBody>(operation: string, input: WireBody): Promise<T> {
    const response = await this.send(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `${TARGET_PREFIX}${operation}`,
        'x-amz-date': '20260101T000000Z',
        authorization: PLACEHOLDER_AUTHORIZATION,
      },
      Buffer.from(JSON.stringify(input), 'utf8'),
    );
    const parsed = parseJson(response.body, `${operation} (${this.endpoint})`);
    if (response.statusCode !== 200) {
      throw new DynamoDbServiceError(errorCodeOf(parsed), errorMessageOf(parsed), response.statusCode);
    }
    return parsed as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * The JSON object of an upstream answer (`{}` for an empty body). Anything else is an error naming the
 * operation: read as `{}` it would pass for an empty success (no item, no attributes, nothing unprocessed).
 */
export function parseJson(body: Buffer, operation = 'a DynamoDB call'): WireBody {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw unparsable(operation, body, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw unparsable(operation, body);
  return parsed as WireBody;
}

function unparsable(operation: string, body: Buffer, cause?: unknown): LocalDynamoDbError {
  const text = body.toString('utf8');
  const preview = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return new LocalDynamoDbError(
    `The answer to ${operation} is not a JSON object (${JSON.stringify(preview)}); check that the endpoint is DynamoDB-compatible.`,
    { cause },
  );
}
