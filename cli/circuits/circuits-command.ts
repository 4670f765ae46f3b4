/**
 * `rds-ops circuits list | show NAME | open NAME [--for DURATION] | close NAME | reset NAME`, with
 * `--reason` (required to change a circuit), `--actor` (default $USER) and `--json` for list/show.
 * Exit codes: 0 done, 1 the operation failed, 2 bad usage (one line saying what is wrong).
 */
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ms from 'ms';
import {
  type CircuitItem,
  type CircuitSettings,
  circuitViolations,
  DEFAULT_CIRCUIT_SETTINGS,
  isCircuitTransitionError,
  OPEN_FOREVER,
  openTimeoutLadder,
} from '../../lib/circuit-breaker';
import {
  type CircuitStore,
  closeCircuit,
  getCircuit,
  isoSeconds,
  listCircuits,
  type ManualChangeResult,
  openCircuit,
  resetCircuit,
} from '../../operations/circuits';

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
  /** The settings a deploy gives the circuit (CDK config). @default the defaults */
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
  readonly flags: {
    readonly for?: string;
    readonly reason?: string;
    readonly actor?: string;
    readonly json?: boolean;
  };
}

function parseCircuitArgs(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        for: { type: 'string' },
        reason: { type: 'string' },
        actor: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    return { positional: positionals, flags: values };
  } catch (error) {
    // node:util names the problem ("Unknown option '--x'", "Option '--for <value>' argument missing").
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}.`);
  }
}

/**
 * "90s", "15m", "2h", "1d" (any unit the `ms` library reads) -> whole seconds, rounded up. A plain number
 * is refused: `ms` reads it as milliseconds, an operator would mean seconds.
 */
export function parseDuration(text: string): number {
  const milliseconds = /[a-z]\s*$/i.test(text.trim()) ? ms(text.trim() as ms.StringValue) : undefined;
  if (milliseconds === undefined || !Number.isFinite(milliseconds) || milliseconds < 1000) {
    throw new UsageError(`--for takes a positive duration with a unit, such as 90s, 15m, 2h or 1d, got "${text}".`);
  }
  return Math.ceil(milliseconds / 1000);
}

const CIRCUIT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export async function runCircuitsCommand(argv: string[], deps: CircuitsCommandDependencies): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseCircuitArgs(argv);
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
  const json = parsed.flags.json === true;
  const settingsOf = (circuit: string) => deps.settingsOf?.(circuit) ?? DEFAULT_CIRCUIT_SETTINGS;
  try {
    switch (verb) {
      case 'list': {
        const items = await listCircuits(store);
        if (json) deps.out(JSON.stringify(items));
        else printList(items, settingsOf, deps);
        return 0;
      }
      case 'show': {
        const item = await getCircuit(store, name);
        if (json) deps.out(JSON.stringify(item ?? null));
        else if (item) printItem(item, settingsOf(name), deps);
        else deps.out(`${name}: no item yet, so CLOSED with nothing counted (created on its first counted failure).`);
        if (!json) printSettings(settingsOf(name), deps);
        return 0;
      }
      default: {
        const label = parsed.flags.actor ?? deps.defaultActor ?? process.env.USER ?? 'unknown';
        const change = {
          actor: deps.identity ?? label,
          ...(deps.identity && { label }),
          reason: parsed.flags.reason as string,
        };
        const forText = parsed.flags.for;
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
  if (flags.for !== undefined && verb !== 'open') throw new UsageError('--for only goes with open.');
  if (flags.for !== undefined) parseDuration(flags.for);
  if (verb !== 'show') {
    const reason = flags.reason;
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new UsageError(`${verb} changes a circuit by hand and needs --reason "why" for the audit log.`);
    }
  }
}

function until(item: CircuitItem): string {
  if (item.state !== 'OPEN') return '-';
  return item.openUntil === OPEN_FOREVER ? 'until closed by hand' : isoSeconds(item.openUntil);
}

function printList(
  items: readonly CircuitItem[],
  settingsOf: (circuit: string) => CircuitSettings,
  deps: CircuitsCommandDependencies,
): void {
  if (items.length === 0) {
    deps.out('No circuit items yet: every circuit is CLOSED with nothing counted.');
    return;
  }
  const rows = [
    ['CIRCUIT', 'STATE', 'FAILURES', 'OPEN UNTIL', 'VERSION'],
    ...items.map((item) => [
      item.circuit,
      item.state,
      `${item.failureCount}/${settingsOf(item.circuit).failureThreshold}`,
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

function printItem(item: CircuitItem, settings: CircuitSettings, deps: CircuitsCommandDependencies): void {
  const lines: [string, string][] = [
    ['circuit', item.circuit],
    ['state', item.state],
    ['version', String(item.version)],
    ['failures', `${item.failureCount} of ${settings.failureThreshold} within ${settings.failureWindowSeconds} s`],
    ['open until', until(item)],
    ['open timeout', item.state === 'CLOSED' ? '-' : `${item.openTimeoutSeconds} s (open #${item.openCount})`],
    ['probe', item.probeHolder ? `${item.probeHolder} until ${isoSeconds(item.probeLeaseUntil)}` : '-'],
    [
      'successes',
      `${item.successCount} of ${settings.successThreshold}${item.probedBy?.length ? ` (${item.probedBy.join(', ')})` : ''}`,
    ],
    ['last error', item.lastError ?? '-'],
    ['changed', `${item.updatedAt ?? '-'} by ${item.changedBy ?? '-'}`],
  ];
  for (const [key, value] of lines) deps.out(`${key.padEnd(13)}${value}`);
  const problems = circuitViolations(item, settings);
  if (problems.length > 0) deps.err(`warning: the item breaks ${problems.length} rule(s): ${problems.join('; ')}`);
}

/**
 * The settings in force and where they come from: there is one source, CDK config, which every protected
 * call hands the breaker, so what a deploy of this checkout sets is what decides (no per-item override).
 */
function printSettings(settings: CircuitSettings, deps: CircuitsCommandDependencies): void {
  deps.out('settings     in force from CDK config (cdk.json or -c circuits.<name>.<key>), applied by each deploy:');
  const keys = Object.keys(DEFAULT_CIRCUIT_SETTINGS) as (keyof CircuitSettings)[];
  for (const key of keys) {
    const origin = settings[key] === DEFAULT_CIRCUIT_SETTINGS[key] ? 'default' : 'configured';
    deps.out(`  ${key.padEnd(23)}${String(settings[key]).padEnd(8)}${origin}`);
  }
  deps.out(`  ${'open timeout ladder'.padEnd(23)}${openTimeoutLadder(settings).join(', ')} s`);
}

function printChange(name: string, verb: string, result: ManualChangeResult, deps: CircuitsCommandDependencies): void {
  const from = result.before?.state ?? 'CLOSED (no item)';
  deps.out(
    `${name}: ${from} -> ${result.after.state} (version ${result.after.version}${
      result.after.state === 'OPEN' ? `, ${until(result.after)}` : ''
    }); ${verb} recorded in the audit log as ${String(result.audit.subject)} ${String(result.audit.at)}.`,
  );
}
