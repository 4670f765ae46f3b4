/**
 * The read and write capacity units a data-plane call consumes, estimated from the items it read or wrote as
 * DynamoDB documents the rules: reads in 4 KB steps (half for eventually consistent reads), writes in 1 KB
 * steps, transactions twice. The local DynamoDB publishes them as AWS/DynamoDB ConsumedRead/WriteCapacityUnits,
 * so `rds-ops capacity advise` and the dashboard read local usage as they read AWS's.
 */
import { tableNameOf, type WireBody } from './wire';

export interface ConsumedCapacity {
  readonly tableName: string;
  readonly readUnits: number;
  readonly writeUnits: number;
}

const READ_STEP = 4096;
const WRITE_STEP = 1024;

/** The consumed units of a call that succeeded, per table (empty for control-plane calls). */
export function consumedCapacityOf(operation: string, request: WireBody, response: WireBody): ConsumedCapacity[] {
  const table = tableNameOf(request.TableName) ?? '';
  const consistent = request.ConsistentRead === true;
  switch (operation) {
    case 'GetItem':
      return [{ tableName: table, readUnits: readUnits(sizeOf(response.Item), consistent), writeUnits: 0 }];
    case 'Query':
    case 'Scan': {
      const items = (response.Items as WireBody[] | undefined) ?? [];
      const bytes = items.reduce((total, item) => total + sizeOf(item), 0);
      return [{ tableName: table, readUnits: readUnits(bytes, consistent), writeUnits: 0 }];
    }
    case 'PutItem':
      return [{ tableName: table, readUnits: 0, writeUnits: writeUnits(sizeOf(request.Item)) }];
    case 'UpdateItem':
    case 'DeleteItem':
      // The item's size is known only when the caller asked for it back; otherwise count the minimum.
      return [{ tableName: table, readUnits: 0, writeUnits: writeUnits(sizeOf(response.Attributes)) }];
    case 'BatchGetItem':
      return Object.entries((response.Responses as Record<string, WireBody[]> | undefined) ?? {}).map(
        ([name, items]) => ({
          tableName: tableNameOf(name) ?? name,
          readUnits: items.reduce((total, item) => total + readUnits(sizeOf(item), false), 0),
          writeUnits: 0,
        }),
      );
    case 'BatchWriteItem':
      return Object.entries((request.RequestItems as Record<string, WireBody[]> | undefined) ?? {}).map(
        ([name, writes]) => ({
          tableName: tableNameOf(name) ?? name,
          readUnits: 0,
          writeUnits: writes.reduce(
            (total, write) => total + writeUnits(sizeOf((write.PutRequest as WireBody)?.Item)),
            0,
          ),
        }),
      );
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return transactionCapacity(operation, request);
    default:
      return [];
  }
}

function transactionCapacity(operation: string, request: WireBody): ConsumedCapacity[] {
  const byTable = new Map<string, number>();
  for (const entry of (request.TransactItems as WireBody[] | undefined) ?? []) {
    for (const action of Object.values(entry) as WireBody[]) {
      const name = tableNameOf(action?.TableName) ?? '';
      const units = operation === 'TransactGetItems' ? 2 * readUnits(0, true) : 2 * writeUnits(sizeOf(action?.Item));
      byTable.set(name, (byTable.get(name) ?? 0) + units);
    }
  }
  return [...byTable].map(([tableName, units]) =>
    operation === 'TransactGetItems'
      ? { tableName, readUnits: units, writeUnits: 0 }
      : { tableName, readUnits: 0, writeUnits: units },
  );
}

function readUnits(bytes: number, consistent: boolean): number {
  const steps = Math.max(1, Math.ceil(bytes / READ_STEP));
  return consistent ? steps : steps / 2;
}

function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_STEP));
}

/** An item's size as DynamoDB counts it: attribute names plus values (UTF-8 strings, numbers, binaries, nested). */
export function sizeOf(item: unknown): number {
  if (!item || typeof item !== 'object') return 0;
  return Object.entries(item as WireBody).reduce((total, [name, value]) => total + utf8(name) + valueSize(value), 0);
}

function valueSize(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const [[type, content]] = Object.entries(value as WireBody) as [string, unknown][];
  switch (type) {
    case 'S':
      return utf8(String(content));
    case 'N':
      return Math.ceil(String(content).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
    case 'B':
      return Buffer.byteLength(String(content), 'base64');
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((total, entry) => total + utf8(entry), 0);
    case 'NS':
      return (content as string[]).reduce((total, entry) => total + valueSize({ N: entry }), 0);
    case 'BS':
      return (content as string[]).reduce((total, entry) => total + Buffer.byteLength(entry, 'base64'), 0);
    case 'L':
      return 3 + (content as unknown[]).reduce<number>((total, entry) => total + 1 + valueSize(entry), 0);
    case 'M':
      return 3 + sizeOf(content) + Object.keys(content as object).length;
    default:
      return 0;
  }
}

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
