/**
 * One process at a time per data directory: a lock file naming the owner (pid and what it is). A lock left by
 * a process that no longer runs is taken over; one held by a live process is refused with a clear error.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirInUseError } from './errors';

export const LOCK_FILE_NAME = 'rds-ops.lock';

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockContent {
  readonly pid: number;
  readonly owner: string;
  readonly since: string;
}

export async function lockDataDir(dataDir: string, owner: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const content: LockContent = { pid: process.pid, owner, since: new Date().toISOString() };
  const text = JSON.stringify(content);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' });
      return { path, release: () => releaseLock(path, text) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(path);
    if (holder && isRunning(holder.pid))
      throw new DataDirInUseError(dataDir, `${holder.owner} (pid ${holder.pid})`, path);
    // Stale (its process is gone) or unreadable: take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new DataDirInUseError(dataDir, 'another process that keeps taking the lock', path);
}

async function readLock(path: string): Promise<LockContent | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, owner: String(parsed.owner), since: String(parsed.since) }
      : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock file if it is still this holder's. */
async function releaseLock(path: string, text: string): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === text) await unlink(path);
  } catch {
    // Already gone: nothing to release.
  }
}
