/**
 * `POST /circuits/{name}/open|close|reset` with `{ "reason": "...", "forSeconds"?: N }`: a manual change of a
 * circuit, made by the shared circuit operations (compare-and-set write and audit entry in one transaction), with
 * the caller's IAM identity as the actor. The change is announced as the breaker announces its own: a
 * `Circuit State Changed` event on the bus and the `CircuitStateChanged` metric (EMF).
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import {
  CircuitBusyError,
  type CircuitStateChange,
  type CircuitStore,
  circuitStateChangedEntry,
  circuitStateMetric,
  closeCircuit,
  isCircuitTransitionError,
  MANUAL_ACTIONS,
  type ManualAction,
  openCircuit,
  resetCircuit,
} from '../../operations/circuits';
import { dynamo, eventBridge, requireEnv } from '../shared/clients';
import {
  ConflictError,
  fromAwsError,
  type HandlerError,
  InvalidInputError,
  NotFoundError,
  ThrottledError,
} from '../shared/errors';
import { apiHandler, type HttpInvocation } from '../shared/http';
import { callerArn } from './caller-identity';
import { type CircuitView, circuitView, declaredCircuits } from './circuit-view';
import { printEmf } from './emf';
import { assertWritable } from './write-holds';

/** The longest a circuit may be opened for with `forSeconds`; without it, it stays open until closed by hand. */
export const MAX_OPEN_SECONDS = 7 * 86_400;

export const ChangeCircuitPath = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case circuit name such as rds-api'),
});

export const ChangeCircuitBody = z.strictObject(
  {
    reason: z
      .string({ error: 'is required: say why, for the audit log' })
      .trim()
      .min(3, 'must say why in at least 3 characters (it goes to the audit log)')
      .max(500, 'must be at most 500 characters'),
    forSeconds: z
      .number({ error: `must be a whole number of seconds from 1 to ${MAX_OPEN_SECONDS}` })
      .int(`must be a whole number of seconds from 1 to ${MAX_OPEN_SECONDS}`)
      .min(1, `must be a whole number of seconds from 1 to ${MAX_OPEN_SECONDS}`)
      .max(MAX_OPEN_SECONDS, `must be a whole number of seconds from 1 to ${MAX_OPEN_SECONDS}`)
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'must be a JSON object with reason') },
);
export type ChangeCircuitBody = z.output<typeof ChangeCircuitBody>;

export interface ChangeCircuitDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly events: EventBridgeClient;
  readonly circuitTable: string;
  readonly auditTable: string;
  readonly eventBusName: string;
  readonly circuits: ReturnType<typeof declaredCircuits>;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

export interface CircuitChangeAnswer {
  readonly circuit: CircuitView;
  readonly action: ManualAction;
  readonly previousState: string;
  /** The audit-log entry of this change (`subject`, `at`): `GET` it from audit-log to see who and why. */
  readonly audit: { readonly subject: string; readonly at: string };
  /** Whether the event and metric went out; the change itself is committed either way. */
  readonly announced: boolean;
}

export interface ChangeRequest {
  readonly name: string;
  readonly action: ManualAction;
  readonly body: ChangeCircuitBody;
  readonly actor: string;
}

export async function changeCircuit(
  request: ChangeRequest,
  deps: ChangeCircuitDependencies,
  invocation: Pick<HttpInvocation, 'logger'>,
): Promise<CircuitChangeAnswer> {
  const { name, action, body } = request;
  if (!(name in deps.circuits)) {
    throw new NotFoundError(
      `No circuit named "${name}"; the config declares ${Object.keys(deps.circuits).join(', ')} (GET /circuits lists them).`,
    );
  }
  if (body.forSeconds !== undefined && action !== 'open') {
    throw new InvalidInputError(`Invalid request body: body.forSeconds: only open takes forSeconds, not ${action}.`);
  }
  let announced = true;
  const store: CircuitStore = {
    dynamo: deps.dynamo,
    circuitTable: deps.circuitTable,
    auditTable: deps.auditTable,
    now: deps.now,
    announce: async (change) => {
      announced = await announce(change, deps, invocation);
    },
  };
  const change = { actor: request.actor, reason: body.reason, via: 'api' as const };
  let result: Awaited<ReturnType<typeof openCircuit>>;
  try {
    result =
      action === 'open'
        ? await openCircuit(store, name, { ...change, ...(body.forSeconds && { forSeconds: body.forSeconds }) })
        : action === 'close'
          ? await closeCircuit(store, name, change)
          : await resetCircuit(store, name, change);
  } catch (error) {
    throw asApiError(error, `${action} of circuit ${name}`);
  }
  return {
    circuit: circuitView(result.after, deps.circuits[name]),
    action,
    previousState: result.before?.state ?? 'CLOSED',
    audit: { subject: String(result.audit.subject), at: String(result.audit.at) },
    announced,
  };
}

/** The event on the bus and the metric; a failure is logged, never undoes the committed change. */
async function announce(
  change: CircuitStateChange,
  deps: ChangeCircuitDependencies,
  invocation: Pick<HttpInvocation, 'logger'>,
): Promise<boolean> {
  printEmf(circuitStateMetric(change), deps.now());
  try {
    const result = await deps.events.send(
      new PutEventsCommand({ Entries: [circuitStateChangedEntry(change, deps.eventBusName)] }),
    );
    if ((result.FailedEntryCount ?? 0) === 0) return true;
    invocation.logger.warn('the circuit change was committed but its event was refused', {
      circuit: change.circuit,
      entries: result.Entries,
    });
  } catch (error) {
    invocation.logger.warn('the circuit change was committed but its event could not be sent', {
      circuit: change.circuit,
      error: error as Error,
    });
  }
  return false;
}

/** Refusals of the circuit operations as the API's typed errors. */
function asApiError(error: unknown, doing: string): HandlerError {
  if (isCircuitTransitionError(error)) return new ConflictError(error.message, { cause: error });
  if (error instanceof CircuitBusyError)
    return new ConflictError(error.message, { cause: error, retryAfterSeconds: 1 });
  const failure = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (failure.name === 'TransactionCanceledException') {
    const codes = (failure.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
    if (codes.some((code) => code === 'ThrottlingError' || code === 'ProvisionedThroughputExceeded')) {
      return new ThrottledError(`${doing} was throttled (${codes.join(', ')}); retry with backoff.`, { cause: error });
    }
    return new ConflictError(`${doing} was cancelled (${codes.join(', ')}); nothing changed. Try again.`, {
      cause: error,
    });
  }
  return fromAwsError(error, doing);
}

/** `/circuits/{name}/open` -> `open`: the resource API Gateway matched names the action. */
export function actionOf(event: Pick<APIGatewayProxyEvent, 'resource'>): ManualAction {
  const action = event.resource?.split('/').pop() as ManualAction;
  if (!MANUAL_ACTIONS.includes(action)) {
    throw new NotFoundError(`No circuit action at ${event.resource}; use open, close or reset.`);
  }
  return action;
}

export const handler = apiHandler(
  { operation: 'change-circuit', path: ChangeCircuitPath, body: ChangeCircuitBody, maxBodyBytes: 4096 },
  async (request) => {
    const circuitTable = requireEnv('CIRCUIT_TABLE_NAME');
    const auditTable = requireEnv('AUDIT_TABLE_NAME');
    request.annotate({ circuit: request.path.name, table: circuitTable });
    // The change writes its audit entry: refused while a cutover copies into audit-log.
    await assertWritable(['auditLog'], {
      dynamo: dynamo(),
      coordinationTable: requireEnv('COORDINATION_TABLE_NAME'),
      now: () => Date.now(),
    });
    const answer = await changeCircuit(
      { name: request.path.name, action: actionOf(request.event), body: request.body, actor: callerArn(request.event) },
      {
        dynamo: dynamo(),
        events: eventBridge(),
        circuitTable,
        auditTable,
        eventBusName: process.env.EVENT_BUS_NAME || 'default',
        circuits: declaredCircuits(process.env.CIRCUITS),
        now: () => Date.now(),
      },
      request,
    );
    return { body: answer };
  },
);
