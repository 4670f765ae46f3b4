/** Starts the local runtime from CLI flags: clock, fault plan, data directory. */
import { existsSync } from 'node:fs';
import { type Clock, ScaledClock, VirtualClock } from '../local/clock';
import { loadFaultPlan } from '../local/faults/fault-plan';
import { LocalRuntime } from '../local/runtime';
import { loadAppModel } from '../local/template/synthesize';
import { UsageError } from './errors';

export interface RuntimeFlags {
  readonly faults?: string;
  readonly speed?: string;
  readonly virtual?: boolean;
  readonly 'data-dir'?: string;
  readonly 'handler-log-level'?: string;
  /** Whether stdout carries JSON: handler logs are then silenced unless a level is given. */
  readonly json?: boolean;
}

export const RUNTIME_FLAG_OPTIONS = {
  faults: { type: 'string' },
  speed: { type: 'string' },
  virtual: { type: 'boolean' },
  'data-dir': { type: 'string' },
  'handler-log-level': { type: 'string' },
} as const;

export function clockFromFlags(flags: RuntimeFlags): Clock {
  if (flags.virtual) return new VirtualClock({ startAt: Date.now() });
  if (flags.speed === undefined) return new ScaledClock(1);
  const speed = Number(flags.speed);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new UsageError(`--speed must be a positive number, got "${flags.speed}".`);
  return new ScaledClock(speed);
}

export async function bootRuntime(flags: RuntimeFlags): Promise<LocalRuntime> {
  const faultPlan = flags.faults ? loadFaultPlan(faultArgument(flags.faults)) : undefined;
  const clock = clockFromFlags(flags);
  const handlerLogLevel = flags['handler-log-level'] ?? (flags.json ? 'SILENT' : undefined);
  return LocalRuntime.start({ model: loadAppModel(), clock, faultPlan, dataDir: flags['data-dir'], handlerLogLevel });
}

/** `--faults @plan.json` or `--faults plan.json` (a path) or inline JSON. */
function faultArgument(value: string): string {
  const path = value.startsWith('@') ? value.slice(1) : value;
  return existsSync(path) || value.startsWith('@') ? path : value;
}
