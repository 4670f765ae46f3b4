/** `rds-ops events test-pattern`: the local twin of `aws events test-event-pattern`. */
import { parseArgs } from 'node:util';
import { matchesEventPattern, parseEventPattern } from '../local/events';
import { type CliIo, EXIT } from './cli-io';
import { InvalidInputError, UsageError } from './errors';
import { readJsonArgument } from './json-argument';

export const EVENTS_USAGE = 'rds-ops events test-pattern --event-pattern <json | @file> --event <json | @file>';

export async function runEventsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'test-pattern')
    throw new UsageError(`unknown events command "${subcommand ?? ''}". Usage: ${EVENTS_USAGE}`);
  const { values } = parseArgs({
    args: [...rest],
    options: { 'event-pattern': { type: 'string' }, event: { type: 'string' } },
    strict: true,
  });
  if (!values['event-pattern'] || !values.event)
    throw new UsageError(`both --event-pattern and --event are required. Usage: ${EVENTS_USAGE}`);
  const patternJson = readJsonArgument(values['event-pattern'], '--event-pattern');
  if (typeof patternJson !== 'object' || patternJson === null || Array.isArray(patternJson)) {
    throw new InvalidInputError(`--event-pattern must be a JSON object, got ${JSON.stringify(patternJson)}.`);
  }
  const pattern = parseEventPattern(patternJson);
  const event = readJsonArgument(values.event, '--event');
  io.out(JSON.stringify({ Result: matchesEventPattern(pattern, event) }));
  return EXIT.ok;
}
