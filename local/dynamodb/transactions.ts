/**
 * TransactWriteItems and TransactGetItems for the local DynamoDB (dynalite has neither). All or nothing
 * under the per-key lock the single-item calls share: every item is locked (sorted: no deadlock), read,
 * its operation evaluated in the condition sandbox; only when every one passes are the new images written
 * and recorded in the PITR log. Otherwise nothing changes and the caller gets TransactionCanceledException
 * with one CancellationReason per item, in AWS's shape and wording.
 */
import type { Clock } from '../clock';
import { ConditionSandbox, type TransactOperationKind } from './condition-sandbox';
import { type CancellationReason, DynamoDbServiceError, serviceErrors } from './errors';
import { IdempotencyTokens } from './idempotency-tokens';
import { keyOf } from './item-keys';
import { type KeySchema, type KeySchemas, lockKeyOf } from './key-schemas';
import type { KeyedLock } from './keyed-lock';
import type { PitrEmulator } from './pitr-emulator';
import type { UpstreamClient } from './upstream-client';
import { tableNameOf, type WireBody, type WireItem } from './wire';

export const TRANSACTION_OPERATIONS = new Set(['TransactWriteItems', 'TransactGetItems']);
/** AWS: at most 100 actions per transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

const WRITE_KINDS: readonly TransactOperationKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];
const CONDITION_FAILED: CancellationReason = {
  Code: 'ConditionalCheckFailed',
  Message: 'The conditional request failed',
};

interface PlannedItem {
  readonly kind: TransactOperationKind | 'Get';
  readonly tableName: string;
  readonly table: WireBody;
  readonly schema: KeySchema;
  readonly key: WireItem;
  readonly lockKey: string;
  readonly body: WireBody;
}

export interface TransactionsOptions {
  readonly clock: Clock;
  readonly upstream: UpstreamClient;
  readonly pitr: PitrEmulator;
  readonly lock: KeyedLock;
  readonly schemas: KeySchemas;
}

export class Transactions {
  private readonly sandbox = new ConditionSandbox();
  private readonly tokens: IdempotencyTokens;

  constructor(private readonly options: TransactionsOptions) {
    this.tokens = new IdempotencyTokens(options.clock);
  }

  /** Answers the call's response body, or throws a DynamoDbServiceError in AWS's terms. */
  async handle(operation: string, body: WireBody): Promise<WireBody> {
    if (operation === 'TransactGetItems') return this.getItems(body);
    return this.tokens.run(body, () => this.writeItems(body));
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }

  private async writeItems(body: WireBody): Promise<WireBody> {
    const items = await this.plan(body, WRITE_KINDS);
    return this.options.lock.runExclusive(
      items.map((item) => item.lockKey),
      async () => {
        const befores = await Promise.all(items.map((item) => this.read(item)));
        const reasons: CancellationReason[] = [];
        const images: (WireItem | null)[] = [];
        for (const [index, item] of items.entries()) {
          const outcome = await this.sandbox.evaluate(
            { kind: item.kind as TransactOperationKind, tableName: item.tableName, body: item.body },
            item.table,
            item.schema,
            befores[index],
          );
          if (outcome.ok) {
            reasons.push({ Code: 'None' });
            images.push(outcome.image);
          } else if (outcome.error.code === 'ConditionalCheckFailedException') {
            const wantsOld = item.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && befores[index];
            reasons.push(wantsOld ? { ...CONDITION_FAILED, Item: befores[index]! } : CONDITION_FAILED);
            images.push(null);
          } else {
            throw outcome.error;
          }
        }
        if (reasons.some((reason) => reason.Code !== 'None')) throw serviceErrors.transactionCanceled(reasons);
        await this.commit(items, befores, images);
        return {};
      },
    );
  }

  private async getItems(body: WireBody): Promise<WireBody> {
    const items = await this.plan(body, ['Get']);
    return this.options.lock.runExclusive(
      items.map((item) => item.lockKey),
      async () => {
        const responses = await Promise.all(
          items.map(async (item) => {
            const { Item } = await this.options.upstream.call<{ Item?: WireItem }>('GetItem', {
              TableName: item.tableName,
              Key: item.key,
              ConsistentRead: true,
              ...(item.body.ProjectionExpression !== undefined && {
                ProjectionExpression: item.body.ProjectionExpression,
              }),
              ...(item.body.ExpressionAttributeNames !== undefined && {
                ExpressionAttributeNames: item.body.ExpressionAttributeNames,
              }),
            });
            return Item ? { Item } : {};
          }),
        );
        return { Responses: responses };
      },
    );
  }

  /** Writes every new image; if one write fails, puts back what was already written, then reports it. */
  private async commit(items: readonly PlannedItem[], befores: (WireItem | null)[], images: (WireItem | null)[]) {
    const written: number[] = [];
    try {
      for (const [index, item] of items.entries()) {
        if (item.kind === 'ConditionCheck') continue;
        await this.writeImage(item, images[index]);
        written.push(index);
      }
    } catch (error) {
      for (const index of written.reverse()) await this.writeImage(items[index], befores[index]);
      throw new DynamoDbServiceError(
        'InternalServerError',
        `The transaction was rolled back: a write failed (${(error as Error).message})`,
        500,
        { cause: error },
      );
    }
    for (const index of written) this.options.pitr.record(items[index].tableName, items[index].key, images[index]);
  }

  private async writeImage(item: PlannedItem, image: WireItem | null): Promise<void> {
    if (image) await this.options.upstream.call('PutItem', { TableName: item.tableName, Item: image });
    else await this.options.upstream.call('DeleteItem', { TableName: item.tableName, Key: item.key });
  }

  private async read(item: PlannedItem): Promise<WireItem | null> {
    const { Item } = await this.options.upstream.call<{ Item?: WireItem }>('GetItem', {
      TableName: item.tableName,
      Key: item.key,
      ConsistentRead: true,
    });
    return Item ?? null;
  }

  /** Validates the request as AWS does and resolves each item's table, key and lock key. */
  private async plan(body: WireBody, kinds: readonly string[]): Promise<PlannedItem[]> {
    const entries = body.TransactItems;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw serviceErrors.validation(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    if (entries.length > MAX_TRANSACTION_ITEMS) {
      throw serviceErrors.validation(
        `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`,
      );
    }
    const items: PlannedItem[] = [];
    const seen = new Set<string>();
    for (const entry of entries as WireBody[]) {
      const present = Object.keys(entry ?? {}).filter((kind) => kinds.includes(kind));
      if (present.length !== 1 || Object.keys(entry).length !== 1) {
        throw serviceErrors.validation(
          kinds.includes('Get')
            ? 'TransactItems can only contain Get'
            : 'TransactItems can only contain one of ConditionCheck, Put, Update or Delete',
        );
      }
      const kind = present[0] as PlannedItem['kind'];
      const action = entry[kind] as WireBody;
      const tableName = tableNameOf(action?.TableName);
      const table = tableName ? await this.options.schemas.describe(tableName) : undefined;
      if (!tableName || !table) throw serviceErrors.resourceNotFound();
      const schema = table.KeySchema as KeySchema;
      const key = kind === 'Put' ? keyOf((action.Item ?? {}) as WireItem, schema) : ((action.Key ?? {}) as WireItem);
      const lockKey = lockKeyOf(tableName, key, schema);
      if (seen.has(lockKey)) {
        throw serviceErrors.validation('Transaction request cannot include multiple operations on one item');
      }
      seen.add(lockKey);
      items.push({ kind, tableName, table, schema, key, lockKey, body: action });
    }
    return items;
  }
}
