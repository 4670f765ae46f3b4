/**
 * Serialises work per item key. Writes, consistent GetItems and transactions on one item pass through the
 * proxy one at a time, so the PITR log records writes in the order dynalite applied them and no reader sees
 * half a transaction. Each key is an `async-mutex` Mutex; work needing several keys (a transaction, a batch)
 * takes them in sorted order, so two such holders can never wait on each other (no deadlock).
 */
import { Mutex } from 'async-mutex';

interface Entry {
  readonly mutex: Mutex;
  /** Holders and waiters; the entry is dropped when it reaches 0, so the map only holds keys in use. */
  users: number;
}

export class KeyedLock {
  private readonly entries = new Map<string, Entry>();

  /** Runs `work` holding every one of `keys` (duplicates allowed), taken in sorted order. */
  async runExclusive<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(keys)].sort();
    const held: Array<() => void> = [];
    try {
      for (const key of ordered) held.push(await this.acquire(key));
      return await work();
    } finally {
      for (const release of held.reverse()) release();
    }
  }

  /** Keys currently held or awaited (for tests: nothing leaks once work is done). */
  get size(): number {
    return this.entries.size;
  }

  private async acquire(key: string): Promise<() => void> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    const owned = entry;
    const release = await owned.mutex.acquire();
    return () => {
      release();
      owned.users--;
      if (owned.users === 0 && this.entries.get(key) === owned) this.entries.delete(key);
    };
  }
}
