/**
 * The settings of one circuit (CDK config, applied by each deploy), their validation, and the open-timeout
 * ladder: the timeouts of consecutive re-opens, precomputed because ASL can add but not multiply.
 */
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../config';
import { InvalidCircuitSettingsError } from './errors';

/** The thresholds and timeouts of a circuit: its CDK config minus the fail policy. */
export type CircuitSettings = Omit<CircuitConfig, 'tableFailPolicy'>;

export const DEFAULT_CIRCUIT_SETTINGS: CircuitSettings = withoutPolicy(DEFAULT_CIRCUIT);

/** Longest ladder kept; growth that slow is indistinguishable from a fixed timeout at that point. */
export const MAX_LADDER_LENGTH = 32;

export function withoutPolicy(config: CircuitConfig): CircuitSettings {
  const { tableFailPolicy: _policy, ...settings } = config;
  return settings;
}

/** Throws on settings that would make the breaker misbehave; returns them for chaining. */
export function validateCircuitSettings(name: string, settings: CircuitSettings): CircuitSettings {
  const positiveInt = (key: keyof CircuitSettings) => {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidCircuitSettingsError(`Circuit "${name}": ${key} must be a whole number >= 1, got ${value}.`);
    }
  };
  for (const key of [
    'failureThreshold',
    'successThreshold',
    'openTimeoutSeconds',
    'maxOpenTimeoutSeconds',
    'failureWindowSeconds',
    'probeLeaseSeconds',
  ] as const) {
    positiveInt(key);
  }
  if (!(settings.openTimeoutGrowth >= 1) || !Number.isFinite(settings.openTimeoutGrowth)) {
    throw new InvalidCircuitSettingsError(
      `Circuit "${name}": openTimeoutGrowth must be a number >= 1 (1 keeps the timeout constant), got ${settings.openTimeoutGrowth}.`,
    );
  }
  if (settings.maxOpenTimeoutSeconds < settings.openTimeoutSeconds) {
    throw new InvalidCircuitSettingsError(
      `Circuit "${name}": maxOpenTimeoutSeconds (${settings.maxOpenTimeoutSeconds}) is below openTimeoutSeconds ` +
        `(${settings.openTimeoutSeconds}); raise the cap or lower the timeout.`,
    );
  }
  return settings;
}

/**
 * Open timeouts by open count: entry `i` is used for the (i+1)-th consecutive open; the last entry repeats.
 * `[60]` for no growth; `[60, 120, 240, ..., 3600]` for growth 2 capped at an hour.
 */
export function openTimeoutLadder(settings: CircuitSettings): number[] {
  const ladder = [settings.openTimeoutSeconds];
  if (settings.openTimeoutGrowth === 1) return ladder;
  while (ladder.length < MAX_LADDER_LENGTH) {
    const next = Math.min(
      settings.maxOpenTimeoutSeconds,
      Math.round(ladder[ladder.length - 1]! * settings.openTimeoutGrowth),
    );
    if (next === ladder[ladder.length - 1]) break;
    ladder.push(next);
    if (next === settings.maxOpenTimeoutSeconds) break;
  }
  return ladder;
}

/** The timeout of the open that brings the consecutive-open count to `openCount` (1 = first open). */
export function openTimeoutFor(ladder: readonly number[], openCount: number): number {
  return ladder[Math.min(Math.max(openCount, 1), ladder.length) - 1]!;
}
