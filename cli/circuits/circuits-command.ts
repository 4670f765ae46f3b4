/**
 * `rds-ops circuits list | show NAME | open NAME [--for DURATION] | close NAME | reset NAME`, with
 * `--reason` (required to change a circuit), `--actor` (default $USER) and `--json` for list/show.
 * Exit codes: 0 done, 1 the operation failed, 2 bad usage (one line saying what is wrong).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CircuitItem, circuitViolations, isCircuitTransitionError, OPEN_FOREVER } from '../../lib/circuit-breaker';
import {
  type CircuitStore,
  closeCircuit,
  getCircuit,
  isoSeconds,
  listCircuits,
  type ManualChangeResult,
  openCircuit,
  resetCircuit,
} from './circuit-operations';

export interface CircuitsCommandDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly circuitTable: string;
  readonly auditTable: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Who is acting when `--actor` is absent. @default process.env.USER */
  readonly defaultActor?: string;
  /**
   * The caller's identity (the STS GetCallerIdentity ARN). When given, it is the audit entry's actor and the
   * `--actor` name is kept beside it as `actorLabel`. @default the `--actor` name is the actor
   */
  readonly identity?: string;
  /** Settings for a circuit that has no item yet (from CDK config). @default the defaults */
  readonly settingsOf?: CircuitStore['settingsOf'];
  /** Publishes manual state changes as the workflows publish theirs. @default nothing is published */
  readonly announce?: CircuitStore['announce'];
}

export const CIRCUITS_USAGE =
  'usage: rds-ops circuits list [--json] | show NAME [--json] | open NAME [--for DURATION] --reason TEXT | ' +
  'close NAME --reason TEXT | reset NAME --reason TEXT   [--actor NAME]';

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--for', '--reason', '--actor']);
const BOOLEAN_FLAGS = new Set(['--json']);

function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (BOOLEAN_FLAGS.has(flag!)) {
      flags.set(flag!, true);
    } else if (VALUE_FLAGS.has(flag!)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
      flags.set(flag!, value);
    } else {
      throw new UsageError(`unknown option ${flag}.`);
    }
  }
  return { positional, flags };
}

/** "90s", "15m", "2h", "1d" or plain seconds -> seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's'] : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1) {
    throw new UsageError(`--for takes a positive duration such as 90s, 15m, 2h or 1d, got "${text}".`);
  }
  return seconds;
}

const CIRCUIT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export async function runCircuitsCommand(argv: string[], deps: CircuitsCommandDependencies): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
    validate(parsed);
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`rds-ops circuits: ${error.message} (${CIRCUITS_USAGE})`);
      return 2;
    }
    throw error;
  }
  const [verb, name] = parsed.positional as [string, string];
  const store: CircuitStore = deps;
  const json = parsed.flags.has('--json');
  try {
    switch (verb) {
      case 'list': {
        const items = await listCircuits(store);
        if (json) deps.out(JSON.stringify(items));
        else printList(items, deps);
        return 0;
      }
      case 'show': {
        const item = await getCircuit(store, name);
        if (json) deps.out(JSON.stringify(item ?? null));
        else if (item) printItem(item, deps);
        else
          deps.out(`${name}: no item yet, so CLOSED with the settings of CDK config (created on its first failure).`);
        return 0;
      }
      default: {
        const label =
          (parsed.flags.get('--actor') as string | undefined) ?? deps.defaultActor ?? process.env.USER ?? 'unknown';
        const change = {
          actor: deps.identity ?? label,
          ...(deps.identity && { label }),
          reason: parsed.flags.get('--reason') as string,
        };
        const forText = parsed.flags.get('--for') as string | undefined;
        const result =
          verb === 'open'
            ? await openCircuit(store, name, { ...change, ...(forText ? { forSeconds: parseDuration(forText) } : {}) })
            : verb === 'close'
              ? await closeCircuit(store, name, change)
              : await resetCircuit(store, name, change);
        printChange(name, verb, result, deps);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`rds-ops circuits: ${error.message} (${CIRCUITS_USAGE})`);
      return 2;
    }
    const message = isCircuitTransitionError(error)
      ? error.message
      : `${verb} ${name ?? ''} failed: ${(error as Error).name}: ${(error as Error).message}`.replace(/ +/g, ' ');
    deps.err(`rds-ops circuits: ${message}`);
    return 1;
  }
}

function validate({ positional, flags }: ParsedArgs): void {
  const [verb, name, ...extra] = positional;
  if (verb === undefined) throw new UsageError('missing subcommand.');
  if (!['list', 'show', 'open', 'close', 'reset'].includes(verb)) throw new UsageError(`unknown subcommand "${verb}".`);
  if (verb === 'list') {
    if (name !== undefined) throw new UsageError(`list takes no circuit name, got "${name}".`);
    return;
  }
  if (name === undefined) throw new UsageError(`${verb} needs a circuit name.`);
  if (!CIRCUIT_NAME.test(name)) throw new UsageError(`circuit names are kebab-case (e.g. rds-api), got "${name}".`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}".`);
  if (flags.has('--for') && verb !== 'open') throw new UsageError('--for only goes with open.');
  if (flags.has('--for')) parseDuration(flags.get('--for') as string);
  if (verb !== 'show') {
    const reason = flags.get('--reason');
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new UsageError(`${verb} changes a circuit by hand and needs --reason "why" for the audit log.`);
    }
  }
}

function until(item: CircuitItem): string {
  if (item.state !== 'OPEN') return '-';
  return item.openUntil === OPEN_FOREVER ? 'until closed by hand' : isoSeconds(item.openUntil);
}

function printList(items: readonly CircuitItem[], deps: CircuitsCommandDependencies): void {
  if (items.length === 0) {
    deps.out('No circuit items yet: every circuit is CLOSED with its CDK settings.');
    return;
  }
  const rows = [
    ['CIRCUIT', 'STATE', 'FAILURES', 'OPEN UNTIL', 'VERSION'],
    ...items.map((item) => [
      item.circuit,
      item.state,
      `${item.failureCount}/${item.config.failureThreshold}`,
      until(item),
      String(item.version),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    deps.out(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}

function printItem(item: CircuitItem, deps: CircuitsCommandDependencies): void {
  const lines: [string, string][] = [
    ['circuit', item.circuit],
    ['state', item.state],
    ['version', String(item.version)],
    [
      'failures',
      `${item.failureCount} of ${item.config.failureThreshold} within ${item.config.failureWindowSeconds} s`,
    ],
    ['open until', until(item)],
    [
      'open timeout',
      `${item.openTimeoutSeconds} s (open #${item.openCount}; ladder ${item.config.openTimeoutLadder} s)`,
    ],
    ['probe', item.probeHolder ? `${item.probeHolder} until ${isoSeconds(item.probeLeaseUntil)}` : '-'],
    ['successes', `${item.successCount} of ${item.config.successThreshold}`],
    ['last error', item.lastError ?? '-'],
    ['changed', `${item.updatedAt ?? '-'} by ${item.changedBy ?? '-'}`],
  ];
  for (const [key, value] of lines) deps.out(`${key.padEnd(13)}${value}`);
  const problems = circuitViolations(item);
  if (problems.length > 0) deps.err(`warning: the item breaks ${problems.length} rule(s): ${problems.join('; ')}`);
}

function printChange(name: string, verb: string, result: ManualChangeResult, deps: CircuitsCommandDependencies): void {
  const from = result.before?.state ?? 'CLOSED (no item)';
  deps.out(
    `${name}: ${from} -> ${result.after.state} (version ${result.after.version}${
      result.after.state === 'OPEN' ? `, ${until(result.after)}` : ''
    }); ${verb} recorded in the audit log as ${String(result.audit.subject)} ${String(result.audit.at)}.`,
  );
}
