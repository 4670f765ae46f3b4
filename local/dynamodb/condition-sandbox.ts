/**
 * Evaluates one transaction operation without touching the real table: a private in-memory dynalite holds a
 * copy of the item as it is now, the operation (with its ConditionExpression) runs there, and the outcome is
 * the item's new image, or the error dynalite answered (ConditionalCheckFailedException, ValidationException).
 * So every condition and update expression is evaluated by the same engine as the single-item calls.
 */
import { type DynaliteServer, startDynalite } from './dynalite-server';
import { DynamoDbServiceError } from './errors';
import { keyOf } from './item-keys';
import type { KeySchema } from './key-schemas';
import { UpstreamClient } from './upstream-client';
import { waitUntilActive } from './upstream-tables';
import type { WireBody, WireItem } from './wire';

export type TransactOperationKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';

export interface SandboxOperation {
  readonly kind: TransactOperationKind;
  readonly tableName: string;
  /** The operation's members as the request gives them (Item or Key, expressions, names, values). */
  readonly body: WireBody;
}

export type SandboxOutcome =
  | { readonly ok: true; readonly image: WireItem | null }
  | { readonly ok: false; readonly error: DynamoDbServiceError };

/** Members each operation passes to the single-item call that evaluates it. */
const EXPRESSION_MEMBERS = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

export class ConditionSandbox {
  private server?: Promise<{ readonly dynalite: DynaliteServer; readonly client: UpstreamClient }>;
  /** Table name -> fingerprint of the description its sandbox copy was created from. */
  private readonly tables = new Map<string, Promise<string>>();

  async evaluate(
    operation: SandboxOperation,
    table: WireBody,
    schema: KeySchema,
    before: WireItem | null,
  ): Promise<SandboxOutcome> {
    const client = await this.tableFor(operation.tableName, table);
    const { kind, body, tableName } = operation;
    const key = kind === 'Put' ? keyOf((body.Item ?? {}) as WireItem, schema) : ((body.Key ?? {}) as WireItem);
    if (before) await client.call('PutItem', { TableName: tableName, Item: before });
    else await client.call('DeleteItem', { TableName: tableName, Key: key });
    const expressions = pick(body, EXPRESSION_MEMBERS);
    try {
      switch (kind) {
        case 'Put':
          await client.call('PutItem', { TableName: tableName, Item: body.Item, ...expressions });
          return { ok: true, image: body.Item as WireItem };
        case 'Update': {
          const updated = await client.call<{ Attributes?: WireItem }>('UpdateItem', {
            TableName: tableName,
            Key: key,
            UpdateExpression: body.UpdateExpression,
            ...expressions,
            ReturnValues: 'ALL_NEW',
          });
          return { ok: true, image: updated.Attributes ?? null };
        }
        case 'Delete':
          await client.call('DeleteItem', { TableName: tableName, Key: key, ...expressions });
          return { ok: true, image: null };
        case 'ConditionCheck':
          // A conditional delete of the sandbox copy checks the condition and changes nothing real.
          await client.call('DeleteItem', { TableName: tableName, Key: key, ...expressions });
          return { ok: true, image: before };
      }
    } catch (error) {
      if (error instanceof DynamoDbServiceError) return { ok: false, error };
      throw error;
    } finally {
      await client.call('DeleteItem', { TableName: tableName, Key: key });
    }
  }

  async close(): Promise<void> {
    const started = await this.server;
    started?.client.close();
    await started?.dynalite.close();
  }

  /** The sandbox's copy of the table, created (or re-created after a schema change) on first use. */
  private async tableFor(tableName: string, table: WireBody): Promise<UpstreamClient> {
    this.server ??= startDynalite(undefined).then((dynalite) => ({
      dynalite,
      client: new UpstreamClient(dynalite.endpoint),
    }));
    const { client } = await this.server;
    const fingerprint = JSON.stringify([table.KeySchema, table.AttributeDefinitions, table.GlobalSecondaryIndexes]);
    const existing = this.tables.get(tableName);
    if (existing && (await existing) === fingerprint) return client;
    const creating = (async () => {
      if (existing) await client.call('DeleteTable', { TableName: tableName });
      await client.call('CreateTable', copyOf(tableName, table));
      await waitUntilActive(client, tableName);
      return fingerprint;
    })();
    this.tables.set(tableName, creating);
    await creating;
    return client;
  }
}

/** A CreateTable request for a copy with the same keys and indexes (what validates the item's attributes). */
function copyOf(tableName: string, table: WireBody): WireBody {
  const indexes = (list: unknown) =>
    (list as WireBody[] | undefined)?.map((index) => pick(index, ['IndexName', 'KeySchema', 'Projection']));
  const global = indexes(table.GlobalSecondaryIndexes);
  const local = indexes(table.LocalSecondaryIndexes);
  return {
    TableName: tableName,
    KeySchema: table.KeySchema,
    AttributeDefinitions: table.AttributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
    ...(global?.length ? { GlobalSecondaryIndexes: global } : {}),
    ...(local?.length ? { LocalSecondaryIndexes: local } : {}),
  };
}

function pick(body: WireBody, members: readonly string[]): WireBody {
  return Object.fromEntries(
    members.filter((member) => body[member] !== undefined).map((member) => [member, body[member]]),
  );
}
