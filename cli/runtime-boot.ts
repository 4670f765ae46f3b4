/** Starts the local runtime from CLI flags: clock, fault plan, data directory. */
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type Clock, ScaledClock, VirtualClock } from '../local/clock';
import { loadFaultPlan } from '../local/faults/fault-plan';
import { assertFaultTargetsExist } from '../local/faults/fault-targets';
import { LocalRuntime } from '../local/runtime';
import type { AslDefinition } from '../local/stepfunctions/definition';
import { UsageError } from './errors';

export interface RuntimeFlags {
  readonly faults?: string;
  readonly speed?: string;
  readonly virtual?: boolean;
  readonly 'data-dir'?: string;
  readonly 'handler-log-level'?: string;
  /** Whether stdout carries JSON: handler logs are then silenced unless a level is given. */
  readonly json?: boolean;
  /** Run the esbuild bundles Lambda would get instead of the handler sources. */
  readonly bundled?: boolean;
}

export const RUNTIME_FLAG_OPTIONS = {
  faults: { type: 'string' },
  speed: { type: 'string' },
  virtual: { type: 'boolean' },
  'data-dir': { type: 'string' },
  'handler-log-level': { type: 'string' },
  bundled: { type: 'boolean' },
} as const;

/** Powertools log levels a handler understands. */
const HANDLER_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

export function clockFromFlags(flags: RuntimeFlags): Clock {
  if (flags.virtual && flags.speed !== undefined) {
    throw new UsageError('--speed and --virtual are alternatives: scaled real time, or a virtual clock.');
  }
  if (flags.virtual) return new VirtualClock({ startAt: Date.now() });
  if (flags.speed === undefined) return new ScaledClock(1);
  const speed = Number(flags.speed);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UsageError(`--speed must be a positive number, got "${flags.speed}".`);
  return new ScaledClock(speed);
}

/**
 * Handler logs interleave with the CLI's own output, so they are quiet unless asked for: WARN and above
 * for human output, nothing when stdout carries JSON.
 */
export function handlerLogLevelOf(flags: RuntimeFlags): string {
  const level = flags['handler-log-level']?.toUpperCase();
  if (level === undefined) return flags.json ? 'SILENT' : 'WARN';
  if (!HANDLER_LOG_LEVELS.includes(level)) {
    throw new UsageError(
      `--handler-log-level must be one of ${HANDLER_LOG_LEVELS.join(', ')}, got "${flags['handler-log-level']}".`,
    );
  }
  return level;
}

export function faultPlanOf(flags: RuntimeFlags) {
  return flags.faults ? loadFaultPlan(faultArgument(flags.faults)) : undefined;
}

export function dataDirOf(flags: RuntimeFlags): string | undefined {
  const dir = flags['data-dir'];
  if (dir !== undefined) assertUsableDataDir(dir);
  return dir;
}

/**
 * `--data-dir` must be a directory or creatable as one: the path itself, or the nearest part of it that
 * exists, must be a directory (`README.md/sub` cannot be created under a file).
 */
export function assertUsableDataDir(dir: string): void {
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (statSync(existing).isDirectory()) return;
  throw new UsageError(
    existing === resolve(dir)
      ? `--data-dir ${dir} exists and is not a directory.`
      : `--data-dir ${dir} cannot be created: ${relative(process.cwd(), existing) || existing} is a file, not a directory.`,
  );
}

/** `deferFaultCheck`: the caller checks fault targets itself, once it has loaded a raw ASL file too. */
export async function bootRuntime(
  flags: RuntimeFlags,
  options: { deferFaultCheck?: boolean } = {},
): Promise<LocalRuntime> {
  const faultPlan = faultPlanOf(flags);
  const clock = clockFromFlags(flags);
  const handlerLogLevel = handlerLogLevelOf(flags);
  const dataDir = dataDirOf(flags);
  // Loaded on demand (require: the CLI runs as CommonJS under tsx): the CDK takes seconds to load.
  const { loadAppModel } = require('../local/template/synthesize') as typeof import('../local/template/synthesize');
  const model = loadAppModel({ bundled: flags.bundled });
  const runtime = await LocalRuntime.start({ model, clock, faultPlan, dataDir, handlerLogLevel });
  try {
    if (!options.deferFaultCheck) assertFaultPlanTargets(runtime);
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return runtime;
}

/** Refuses a fault plan whose targets name nothing the app (plus `extra` definitions) can call. */
export function assertFaultPlanTargets(runtime: LocalRuntime, extra: readonly AslDefinition[] = []): void {
  assertFaultTargetsExist(runtime.faults.activePlan, {
    definitions: [...runtime.model.stateMachines.map((machine) => machine.definition), ...extra],
    serviceActions: Object.keys(runtime.services.actions),
  });
}

/** `--faults @plan.json` or `--faults plan.json` (a path) or inline JSON. */
function faultArgument(value: string): string {
  const path = value.startsWith('@') ? value.slice(1) : value;
  return existsSync(path) || value.startsWith('@') ? path : value;
}
