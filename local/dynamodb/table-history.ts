/**
 * The PITR history of one table: a baseline (every item as it was at `baselineAt`) plus an ordered log
 * of writes after it. Replaying the log up to an instant gives the table as it was at that instant.
 */
import type { KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { canonicalKey, keyOf } from './item-keys';
import type { WireItem } from './wire';

/** One recorded write: the item's new image, or `null` for a delete (a tombstone). */
export interface WriteRecord {
  readonly tableName: string;
  readonly key: WireItem;
  readonly image: WireItem | null;
  /** Epoch milliseconds on the runtime clock. */
  readonly at: number;
}

/** What `toJSON` writes and `TableHistory.fromJSON` reads. */
export interface TableHistoryJson {
  readonly tableName: string;
  readonly keySchema: KeySchemaElement[];
  readonly baselineAt: number;
  readonly baseline: WireItem[];
  readonly records: WriteRecord[];
}

interface StoredRecord extends WriteRecord {
  readonly id: string;
}

export class TableHistory {
  private readonly baseline = new Map<string, WireItem>();
  private log: StoredRecord[] = [];
  private baselineTime: number;

  constructor(
    readonly tableName: string,
    readonly keySchema: readonly KeySchemaElement[],
    baselineItems: Iterable<WireItem>,
    baselineAt: number,
  ) {
    for (const item of baselineItems) this.baseline.set(this.idOf(item), item);
    this.baselineTime = baselineAt;
  }

  static fromJSON(json: TableHistoryJson): TableHistory {
    const history = new TableHistory(json.tableName, json.keySchema, json.baseline, json.baselineAt);
    for (const record of json.records) history.record(record.key, record.image, record.at);
    return history;
  }

  /** The instant the baseline describes; nothing before it can be rebuilt. */
  get baselineAt(): number {
    return this.baselineTime;
  }

  get records(): readonly WriteRecord[] {
    return this.log;
  }

  /** Appends a write. Times never run backwards in the log, even if a wall clock does. */
  record(key: WireItem, image: WireItem | null, at: number): WriteRecord {
    const last = this.log.at(-1);
    const ordered = Math.max(at, last?.at ?? at, this.baselineTime);
    const projected = keyOf(key, this.keySchema);
    const stored: StoredRecord = {
      tableName: this.tableName,
      key: projected,
      image,
      at: ordered,
      id: this.idOf(projected),
    };
    this.log.push(stored);
    return stored;
  }

  /** Every item as it was at `cutoffMs` (inclusive): the baseline plus each write at or before it. */
  stateAt(cutoffMs: number): WireItem[] {
    const state = new Map(this.baseline);
    for (const record of this.log) {
      if (record.at > cutoffMs) break;
      apply(state, record);
    }
    return [...state.values()];
  }

  /**
   * Folds every write older than `epochMs` into the baseline, so memory stays bounded by the recovery
   * window while every instant from `epochMs` on can still be rebuilt.
   */
  foldBefore(epochMs: number): number {
    let folded = 0;
    while (folded < this.log.length && this.log[folded].at < epochMs) {
      apply(this.baseline, this.log[folded]);
      folded++;
    }
    if (folded > 0) this.log = this.log.slice(folded);
    this.baselineTime = Math.max(this.baselineTime, epochMs);
    return folded;
  }

  toJSON(): TableHistoryJson {
    return {
      tableName: this.tableName,
      keySchema: [...this.keySchema],
      baselineAt: this.baselineTime,
      baseline: [...this.baseline.values()],
      records: this.log.map(({ tableName, key, image, at }) => ({ tableName, key, image, at })),
    };
  }

  private idOf(item: WireItem): string {
    return canonicalKey(keyOf(item, this.keySchema), this.keySchema);
  }
}

function apply(state: Map<string, WireItem>, record: StoredRecord): void {
  if (record.image === null) state.delete(record.id);
  else state.set(record.id, record.image);
}
