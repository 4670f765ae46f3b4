/** Placeholder until the circuits command lands. */
import type { CliIo } from './cli-io';
import { UsageError } from './errors';

export async function runCircuitsEntry(_argv: readonly string[], _io: CliIo): Promise<number> {
  throw new UsageError('circuits commands are not available yet.');
}
