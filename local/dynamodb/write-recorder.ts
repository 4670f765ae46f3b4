/**
 * Forwards single-item data-plane calls to the upstream and records each successful write in the PITR log.
 * Writes and consistent reads of one item are serialised through the per-key lock the transactions share,
 * so the log order is the order dynalite applied them in and a GetItem never sees half a transaction.
 * Failed writes (conditional or otherwise) record nothing.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { isDynamoDbServiceError } from './errors';
import { keyOf } from './item-keys';
import { type KeySchemas, lockKeyOf } from './key-schemas';
import type { KeyedLock } from './keyed-lock';
import type { PitrEmulator } from './pitr-emulator';
import { parseJson, type UpstreamClient } from './upstream-client';
import { tableNameOf, type WireBody, type WireItem } from './wire';

/** Calls this class handles (TransactWriteItems and TransactGetItems go to `transactions.ts`). */
export const RECORDED_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'GetItem']);

/** What to send back to the caller. */
export interface WriteReply {
  readonly statusCode: number;
  readonly body: Buffer;
}

/** A write the log needs: `image` undefined means "read the item back after the write". */
interface PendingWrite {
  readonly tableName: string;
  readonly key: WireItem;
  readonly lockKey: string;
  readonly image: WireItem | null | undefined;
}

export class WriteRecorder {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly pitr: PitrEmulator,
    private readonly lock: KeyedLock,
    private readonly schemas: KeySchemas,
  ) {}

  async handle(operation: string, headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    switch (operation) {
      case 'PutItem':
        return this.single(headers, raw, body, (schema) => keyOf(body.Item as WireItem, schema), body.Item as WireItem);
      case 'DeleteItem':
        return this.single(headers, raw, body, () => body.Key as WireItem, null);
      case 'UpdateItem':
        return this.updateItem(headers, raw, body);
      case 'BatchWriteItem':
        return this.batchWrite(headers, raw, body);
      case 'GetItem':
        return this.getItem(headers, raw, body);
      default:
        return this.upstream.send(headers, raw);
    }
  }

  /**
   * Deletes an item whose TTL has expired, unless it changed since it was read, and records the delete
   * (AWS replicates TTL deletes to PITR as service deletes). Returns whether it was deleted.
   */
  async deleteExpired(tableName: string, key: WireItem, attributeName: string, ttlValue: WireBody): Promise<boolean> {
    const schema = await this.schemas.of(tableName);
    const lockKeys = schema ? [lockKeyOf(tableName, key, schema)] : [];
    return this.lock.runExclusive(lockKeys, async () => {
      try {
        await this.upstream.call('DeleteItem', {
          TableName: tableName,
          Key: key,
          ConditionExpression: '#ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': attributeName },
          ExpressionAttributeValues: { ':ttl': ttlValue },
        });
      } catch (error) {
        if (isDynamoDbServiceError(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
      this.pitr.record(tableName, key, null);
      return true;
    });
  }

  private async single(
    headers: IncomingHttpHeaders,
    raw: Buffer,
    body: WireBody,
    keyFrom: (schema: readonly KeySchemaElement[]) => WireItem,
    image: WireItem | null,
  ): Promise<WriteReply> {
    const tableName = tableNameOf(body.TableName);
    const schema = tableName ? await this.schemas.of(tableName) : undefined;
    if (!tableName || !schema) return this.upstream.send(headers, raw);
    const key = keyFrom(schema);
    return this.lock.runExclusive([lockKeyOf(tableName, key, schema)], async () => {
      const response = await this.upstream.send(headers, raw);
      if (response.statusCode === 200) this.pitr.record(tableName, key, image);
      return response;
    });
  }

  /**
   * The new image comes from the write itself when the caller asked for NONE or ALL_NEW (we ask for
   * ALL_NEW and strip it for NONE). For ALL_OLD, UPDATED_OLD and UPDATED_NEW the caller's request goes
   * unchanged and the new image is read back with a consistent GetItem inside the same per-key lock.
   */
  private async updateItem(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const tableName = tableNameOf(body.TableName);
    const schema = tableName ? await this.schemas.of(tableName) : undefined;
    if (!tableName || !schema) return this.upstream.send(headers, raw);
    const key = keyOf(body.Key as WireItem, schema);
    const asked = typeof body.ReturnValues === 'string' ? body.ReturnValues : 'NONE';
    const newImageInReply = asked === 'NONE' || asked === 'ALL_NEW';
    return this.lock.runExclusive([lockKeyOf(tableName, key, schema)], async () => {
      const sent = newImageInReply ? Buffer.from(JSON.stringify({ ...body, ReturnValues: 'ALL_NEW' }), 'utf8') : raw;
      const response = await this.upstream.send(headers, sent);
      if (response.statusCode !== 200) return response;
      const parsed = parseJson(response.body);
      const image = newImageInReply
        ? ((parsed.Attributes as WireItem | undefined) ?? null)
        : await this.readItem(tableName, key);
      this.pitr.record(tableName, key, image);
      if (asked !== 'NONE') return response;
      delete parsed.Attributes;
      return { statusCode: 200, body: Buffer.from(JSON.stringify(parsed), 'utf8') };
    });
  }

  private async batchWrite(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const writes: PendingWrite[] = [];
    for (const [name, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, WireBody[]>)) {
      const tableName = tableNameOf(name)!;
      const schema = await this.schemas.of(tableName);
      if (!schema || !Array.isArray(requests)) continue;
      for (const request of requests) {
        const put = request.PutRequest as { Item?: WireItem } | undefined;
        const del = request.DeleteRequest as { Key?: WireItem } | undefined;
        const key = put?.Item ? keyOf(put.Item, schema) : del?.Key;
        if (!key) continue;
        writes.push({ tableName, key, lockKey: lockKeyOf(tableName, key, schema), image: put?.Item ?? null });
      }
    }
    if (writes.length === 0) return this.upstream.send(headers, raw);
    return this.lock.runExclusive(
      writes.map((write) => write.lockKey),
      async () => {
        const response = await this.upstream.send(headers, raw);
        if (response.statusCode !== 200) return response;
        const unprocessed = await this.unprocessedLockKeys(
          parseJson(response.body).UnprocessedItems as WireBody | undefined,
        );
        for (const write of writes) {
          if (!unprocessed.has(write.lockKey)) this.pitr.record(write.tableName, write.key, write.image ?? null);
        }
        return response;
      },
    );
  }

  /** A GetItem waits for any write or transaction holding its item, so it never reads half of one. */
  private async getItem(headers: IncomingHttpHeaders, raw: Buffer, body: WireBody): Promise<WriteReply> {
    const tableName = tableNameOf(body.TableName);
    const schema = tableName ? await this.schemas.of(tableName) : undefined;
    if (!tableName || !schema || typeof body.Key !== 'object' || body.Key === null) {
      return this.upstream.send(headers, raw);
    }
    return this.lock.runExclusive([lockKeyOf(tableName, body.Key as WireItem, schema)], () =>
      this.upstream.send(headers, raw),
    );
  }

  private async unprocessedLockKeys(unprocessed: WireBody | undefined): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const [name, requests] of Object.entries((unprocessed ?? {}) as Record<string, WireBody[]>)) {
      const tableName = tableNameOf(name)!;
      const schema = await this.schemas.of(tableName);
      if (!schema) continue;
      for (const request of requests) {
        const item = (request.PutRequest as { Item?: WireItem } | undefined)?.Item;
        const key = item ? keyOf(item, schema) : (request.DeleteRequest as { Key?: WireItem } | undefined)?.Key;
        if (key) keys.add(lockKeyOf(tableName, key, schema));
      }
    }
    return keys;
  }

  private async readItem(tableName: string, key: WireItem): Promise<WireItem | null> {
    const { Item } = await this.upstream.call<{ Item?: WireItem }>('GetItem', {
      TableName: tableName,
      Key: key,
      ConsistentRead: true,
    });
    return Item ?? null;
  }
}
