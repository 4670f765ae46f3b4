/**
 * Saves the finished executions (with their traces, so their AWS history can be listed again) to a data
 * directory when the runtime stops, and loads them when it starts there again.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { ExecutionStoreError } from './errors';
import type { ExecutionRecord } from './local-state-machine';

export const EXECUTION_STORE_VERSION = 1;

interface ExecutionStoreJson {
  readonly version: typeof EXECUTION_STORE_VERSION;
  readonly executions: ExecutionRecord[];
}

export async function loadExecutions(path: string): Promise<ExecutionRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ExecutionStoreError(path, (error as Error).message, { cause: error });
  }
  let parsed: Partial<ExecutionStoreJson>;
  try {
    parsed = JSON.parse(text) as Partial<ExecutionStoreJson>;
  } catch (error) {
    throw new ExecutionStoreError(path, 'it is not valid JSON', { cause: error });
  }
  if (parsed.version !== EXECUTION_STORE_VERSION || !Array.isArray(parsed.executions)) {
    throw new ExecutionStoreError(path, `it is not a version ${EXECUTION_STORE_VERSION} execution store`);
  }
  return parsed.executions;
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
export async function saveExecutions(path: string, executions: readonly ExecutionRecord[]): Promise<void> {
  const store: ExecutionStoreJson = { version: EXECUTION_STORE_VERSION, executions: [...executions] };
  const temporary = `${path}.tmp`;
  await writeFile(temporary, JSON.stringify(store), 'utf8');
  await rename(temporary, path);
}
