/**
 * How the API shows a circuit: its stored state with times as ISO-8601 and the settings the deploy gives it
 * (from CDK config, passed in the `CIRCUITS` variable), also for a circuit without an item yet (CLOSED, nothing
 * counted). The names of the declared circuits come from the same variable.
 */
import { z } from 'zod';
import { type CircuitItem, type CircuitSettings, OPEN_FOREVER } from '../../operations/circuits';
import { UnexpectedError } from '../shared/errors';

export interface CircuitView {
  readonly circuit: string;
  readonly state: CircuitItem['state'];
  readonly version: number;
  readonly failureCount: number;
  /** OPEN: when a probe may go (ISO-8601), or `forever` for a circuit opened by hand without an end. */
  readonly openUntil?: string;
  readonly openCount: number;
  readonly successCount: number;
  readonly probeHolder?: string;
  readonly lastError?: string;
  readonly changedBy?: string;
  readonly updatedAt?: string;
  /** False for a circuit that has never counted a failure nor been changed: it has no item yet. */
  readonly stored: boolean;
  readonly settings?: CircuitSettings;
}

const SettingsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/),
  z.object({
    failureThreshold: z.number(),
    successThreshold: z.number(),
    openTimeoutSeconds: z.number(),
    openTimeoutGrowth: z.number(),
    maxOpenTimeoutSeconds: z.number(),
    failureWindowSeconds: z.number(),
    probeLeaseSeconds: z.number(),
  }),
);

/** The declared circuits and their settings, from the `CIRCUITS` variable the construct sets. */
export function declaredCircuits(json: string | undefined): Readonly<Record<string, CircuitSettings>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '');
  } catch {
    parsed = undefined;
  }
  const result = SettingsSchema.safeParse(parsed);
  if (!result.success) {
    throw new UnexpectedError(
      'Environment variable CIRCUITS does not hold the circuits of the config as JSON (a deployment bug).',
    );
  }
  return result.data;
}

export function circuitView(item: CircuitItem, settings: CircuitSettings | undefined, stored = true): CircuitView {
  return {
    circuit: item.circuit,
    state: item.state,
    version: item.version,
    failureCount: item.failureCount,
    ...(item.state === 'OPEN' && {
      openUntil: item.openUntil === OPEN_FOREVER ? 'forever' : new Date(item.openUntil * 1000).toISOString(),
    }),
    openCount: item.openCount,
    successCount: item.successCount,
    ...(item.probeHolder && { probeHolder: item.probeHolder }),
    ...(item.lastError && { lastError: item.lastError }),
    ...(item.changedBy && { changedBy: item.changedBy }),
    ...(item.updatedAt && { updatedAt: item.updatedAt }),
    stored,
    ...(settings && { settings }),
  };
}
