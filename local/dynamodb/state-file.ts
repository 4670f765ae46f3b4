/**
 * Saves and loads what the emulator knows beyond dynalite's own files (PITR history, backups, TTL,
 * deletion protection, restore status), so a `dataDir` survives a restart. Written on stop.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { StoredBackup } from './backup-store';
import { PitrStateFileError } from './errors';
import type { PitrStateJson } from './pitr-emulator';
import type { TableSettings } from './table-settings';

export const STATE_FILE_VERSION = 1;

export interface EmulatorStateJson {
  readonly version: typeof STATE_FILE_VERSION;
  readonly settings: Record<string, TableSettings>;
  readonly pitr: PitrStateJson;
  readonly backups: StoredBackup[];
}

export async function loadEmulatorState(path: string): Promise<EmulatorStateJson | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PitrStateFileError(path, (error as Error).message, { cause: error });
  }
  let parsed: Partial<EmulatorStateJson>;
  try {
    parsed = JSON.parse(text) as Partial<EmulatorStateJson>;
  } catch (error) {
    throw new PitrStateFileError(path, 'it is not valid JSON', { cause: error });
  }
  if (parsed.version !== STATE_FILE_VERSION || !parsed.settings || !parsed.pitr || !Array.isArray(parsed.backups)) {
    throw new PitrStateFileError(path, `it is not a version ${STATE_FILE_VERSION} emulator state`);
  }
  return parsed as EmulatorStateJson;
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves half a file. */
export async function saveEmulatorState(path: string, state: EmulatorStateJson): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, JSON.stringify(state), 'utf8');
  await rename(temporary, path);
}
