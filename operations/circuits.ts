/**
 * Circuit operations shared by `rds-ops circuits` and the operations API: read circuits, and change them by
 * hand with a conditional write (version bump, compare-and-set on what was read) and an audit-log entry saying
 * who and why, both in one transaction: the circuit never changes without its audit entry.
 * AWS SDK only: works against AWS and against the local service alike; only the DocumentClient's endpoint differs.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CircuitItem,
  type CircuitSettings,
  type CircuitStateChange,
  type CircuitTransition,
  close,
  fromStoredItem,
  initialCircuit,
  OPEN_FOREVER,
  openManually,
  type RecordOutcome,
  reset,
} from '../lib/circuit-breaker';

export {
  CIRCUIT_METRIC_NAMESPACE,
  type CircuitItem,
  type CircuitSettings,
  type CircuitStateChange,
  circuitStateChangedEntry,
  circuitStateMetric,
  initialCircuit,
  isCircuitTransitionError,
  OPEN_FOREVER,
} from '../lib/circuit-breaker';

export interface CircuitStore {
  readonly dynamo: DynamoDBDocumentClient;
  readonly circuitTable: string;
  readonly auditTable: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** The settings a deploy gives a circuit (CDK config), for display: items hold state only. @default the defaults */
  readonly settingsOf?: (circuit: string) => CircuitSettings;
  /** Publishes a state change (event and metric), as the workflows do for theirs. @default nothing is published */
  readonly announce?: (change: CircuitStateChange) => Promise<void>;
}

export type CircuitReader = Pick<CircuitStore, 'dynamo' | 'circuitTable'>;

export type ManualAction = 'open' | 'close' | 'reset';
export const MANUAL_ACTIONS: readonly ManualAction[] = ['open', 'close', 'reset'];

/** Where a manual change came from: recorded in the item's `changedBy` (`cli:alice`) and the audit entry. */
export type ChangeChannel = 'cli' | 'api';

export interface ManualChange {
  /** Who made the change: the caller's IAM identity when known, else the name given. */
  readonly actor: string;
  /** The name given with `--actor` (or $USER), kept beside an identity actor. */
  readonly label?: string;
  readonly reason: string;
  /** @default 'cli' */
  readonly via?: ChangeChannel;
}

export interface ManualChangeResult {
  readonly before: CircuitItem | undefined;
  readonly after: CircuitItem;
  readonly transition?: CircuitTransition;
  /** The audit-log item written for this change. */
  readonly audit: Record<string, unknown>;
}

/** A manual change lost against concurrent writers too many times in a row. */
export class CircuitBusyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitBusyError';
  }
}

const MAX_ATTEMPTS = 3;

/** Every circuit item, in name order (reading needs only the client and the circuit table). */
export async function listCircuits(store: CircuitReader): Promise<CircuitItem[]> {
  const items: CircuitItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.dynamo.send(
      new ScanCommand({ TableName: store.circuitTable, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []).map(fromStoredItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => a.circuit.localeCompare(b.circuit));
}

export async function getCircuit(store: CircuitReader, name: string): Promise<CircuitItem | undefined> {
  const result = await store.dynamo.send(
    new GetCommand({ TableName: store.circuitTable, Key: { circuit: name }, ConsistentRead: true }),
  );
  return result.Item === undefined ? undefined : fromStoredItem(result.Item);
}

/** Opens a circuit by hand, for `forSeconds` or until someone closes it. A missing circuit is created first. */
export function openCircuit(
  store: CircuitStore,
  name: string,
  change: ManualChange & { readonly forSeconds?: number },
): Promise<ManualChangeResult> {
  return changeCircuit(store, name, 'open', change, (item, now) =>
    openManually(item, now, {
      reason: change.reason,
      ...(change.forSeconds === undefined ? {} : { untilMs: now + change.forSeconds * 1000 }),
    }),
  );
}

export function closeCircuit(store: CircuitStore, name: string, change: ManualChange): Promise<ManualChangeResult> {
  return changeCircuit(store, name, 'close', change, (item) => close(item));
}

export function resetCircuit(store: CircuitStore, name: string, change: ManualChange): Promise<ManualChangeResult> {
  return changeCircuit(store, name, 'reset', change, (item) => reset(item));
}

async function changeCircuit(
  store: CircuitStore,
  name: string,
  action: ManualAction,
  change: ManualChange,
  apply: (item: CircuitItem, nowMs: number) => RecordOutcome,
): Promise<ManualChangeResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const before = await getCircuit(store, name);
    const nowMs = store.now();
    const at = new Date(nowMs).toISOString();
    const outcome = apply(before ?? initialCircuit(name), nowMs);
    const after: CircuitItem = { ...outcome.item!, changedBy: changedBy(change), updatedAt: at };
    const audit = auditEntry(name, action, change, at, before, after, outcome.transition);
    try {
      await store.dynamo.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: store.circuitTable,
                Item: after,
                // Compare-and-set on what was read: a transition bumps the version, a counted failure (ADD,
                // no version bump) changes failureCount; either makes this write retry on fresh data.
                ...(before === undefined
                  ? { ConditionExpression: 'attribute_not_exists(circuit)' }
                  : {
                      ConditionExpression: '#version = :version AND failureCount = :failureCount',
                      ExpressionAttributeNames: { '#version': 'version' },
                      ExpressionAttributeValues: { ':version': before.version, ':failureCount': before.failureCount },
                    }),
              },
            },
            { Put: { TableName: store.auditTable, Item: audit } },
          ],
        }),
      );
    } catch (error) {
      if (lostCompareAndSet(error)) continue;
      throw error;
    }
    const from = before?.state ?? 'CLOSED';
    if (store.announce && from !== after.state) {
      await store.announce({
        circuit: name,
        from,
        to: after.state,
        version: after.version,
        at,
        changedBy: changedBy(change),
        reason: change.reason,
      });
    }
    return { before, after, ...(outcome.transition ? { transition: outcome.transition } : {}), audit };
  }
  throw new CircuitBusyError(
    `Circuit "${name}" changed ${MAX_ATTEMPTS} times while it was being updated; workflows are writing it. Try again.`,
  );
}

/** `cli:alice`, `api:arn:aws:iam::123456789012:role/dashboard`. */
function changedBy(change: ManualChange): string {
  return `${change.via ?? 'cli'}:${change.actor}`;
}

/** The circuit's condition (the first item) failed: someone wrote the circuit since it was read. */
function lostCompareAndSet(error: unknown): boolean {
  const failure = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  return (
    failure.name === 'TransactionCanceledException' &&
    failure.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
  );
}

function auditEntry(
  name: string,
  action: ManualAction,
  change: ManualChange,
  at: string,
  before: CircuitItem | undefined,
  after: CircuitItem,
  transition: CircuitTransition | undefined,
): Record<string, unknown> {
  return {
    subject: `circuit#${name}`,
    at: `${at}#${randomUUID().slice(0, 8)}`,
    actor: change.actor,
    ...(change.label !== undefined && { actorLabel: change.label }),
    action: `circuit.${action}`,
    via: change.via ?? 'cli',
    reason: change.reason,
    fromState: before?.state ?? 'CLOSED',
    toState: after.state,
    version: after.version,
    ...(after.state === 'OPEN'
      ? { openUntil: after.openUntil === OPEN_FOREVER ? 'forever' : isoSeconds(after.openUntil) }
      : {}),
    ...(transition ? { transition: `${transition.from}->${transition.to}` } : {}),
  };
}

/** ISO text of whole epoch seconds. */
export function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
