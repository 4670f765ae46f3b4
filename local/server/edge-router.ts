/**
 * The edge of the local service: one port, every request routed by its `X-Amz-Target` header (the AWS JSON
 * protocols), as LocalStack's edge does. Step Functions and EventBridge are answered here, DynamoDB goes to
 * the PITR proxy unchanged, CloudWatch PutMetricData and GetMetricData to its stand-in, STS GetCallerIdentity (Query protocol)
 * by its Action; anything else gets a 400 UnknownOperationException naming the target, never a hang. A browser's
 * GET /console gets the local console page. Requests under a REST API's stage (`/api/...`) go to that API as API
 * Gateway would serve it (`rest-api/`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRuntime } from '../runtime';
import { type JsonProtocolVersion, parseJsonBody, readBody, sendAwsError, sendJson } from './aws-json';
import { CLOUDWATCH_TARGET_PREFIX, getMetricData, putMetricData } from './cloudwatch-api';
import { isConsoleRequest, serveConsole } from './console-routes';
import { DYNAMODB_TARGET_PREFIX, DynamoDbForwarder } from './dynamodb-forwarding';
import { commonErrors, isAwsApiError } from './errors';
import { EVENTS_TARGET_PREFIX, putEvents } from './events-api';
import { LocalRestApi } from './rest-api/local-rest-api';
import { SFN_TARGET_PREFIX, SfnApi } from './sfn-api';
import { answerQuery, queryActionOf } from './sts-api';

export interface EdgeRouterOptions {
  /** The edge's own URL: where the REST API handlers' AWS SDK calls go. @default REST APIs are not served */
  readonly endpoint?: string;
  /** Told about every request that failed inside the service (an answer 500), for the operator's console. */
  readonly onInternalError?: (target: string, error: unknown) => void;
}

export interface EdgeRouter {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

export function createEdgeRouter(runtime: LocalRuntime, options: EdgeRouterOptions = {}): EdgeRouter {
  const sfn = new SfnApi(runtime);
  const dynamoDb = new DynamoDbForwarder(runtime.dynamoDb.endpoint);
  const account = runtime.model.env.account;
  const endpoint = options.endpoint;
  const restApis = endpoint
    ? runtime.model.restApis.map(
        (model) =>
          new LocalRestApi(model, {
            functions: runtime.functions,
            clock: runtime.clock,
            account,
            endpoint,
            ...(options.onInternalError && { onInternalError: options.onInternalError }),
          }),
      )
    : [];

  async function route(target: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      await dynamoDb.forward(req.headers, raw, res);
      return;
    }
    if (target.startsWith(SFN_TARGET_PREFIX)) {
      const operation = target.slice(SFN_TARGET_PREFIX.length);
      if (!sfn.handles(operation)) throw commonErrors.unknownOperation(target);
      sendJson(res, '1.0', 200, await sfn.call(operation, parseJsonBody(raw)));
      return;
    }
    if (target === `${EVENTS_TARGET_PREFIX}PutEvents`) {
      sendJson(res, '1.1', 200, await putEvents(runtime, parseJsonBody(raw)));
      return;
    }
    if (target === `${CLOUDWATCH_TARGET_PREFIX}PutMetricData`) {
      sendJson(res, '1.0', 200, await putMetricData(runtime, parseJsonBody(raw)));
      return;
    }
    if (target === `${CLOUDWATCH_TARGET_PREFIX}GetMetricData`) {
      sendJson(res, '1.0', 200, getMetricData(runtime, parseJsonBody(raw)));
      return;
    }
    throw commonErrors.unknownOperation(target);
  }

  return {
    async handle(req, res) {
      // The console page (GET /console); everything it shows comes back through the API routes below.
      if (isConsoleRequest(req)) {
        await serveConsole(req, res);
        return;
      }
      const restApi = restApis.find((api) => api.handles(req));
      if (restApi) {
        try {
          await restApi.handle(req, res);
        } catch (error) {
          options.onInternalError?.(`${req.method} ${req.url}`, error);
          if (!res.headersSent) sendAwsError(res, '1.0', commonErrors.internal(String(error)));
        }
        return;
      }
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (error) {
        // A client that went away gets no answer; one that sent too much gets the AWS-shaped refusal.
        if (isAwsApiError(error)) sendAwsError(res, '1.0', error);
        return;
      }
      const header = req.headers['x-amz-target'];
      const target = typeof header === 'string' ? header : '';
      const version: JsonProtocolVersion = target.startsWith(EVENTS_TARGET_PREFIX) ? '1.1' : '1.0';
      try {
        if (!target) {
          const query = req.method === 'POST' ? queryActionOf(req.headers, raw) : undefined;
          if (query) {
            answerQuery(query, req.headers, account, res);
            return;
          }
          throw commonErrors.unknownOperation('(no X-Amz-Target header)');
        }
        await route(target, req, raw, res);
      } catch (error) {
        if (isAwsApiError(error)) {
          sendAwsError(res, version, error);
          return;
        }
        options.onInternalError?.(target, error);
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        sendAwsError(res, version, commonErrors.internal(detail));
      }
    },
    close() {
      dynamoDb.close();
    },
  };
}
