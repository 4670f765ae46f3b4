/**
 * The `${<Circuit>Circuit<Setting>}` placeholder values of a gated machine, from CDK circuit config: the
 * settings a missing circuit item is created with, and the table fail policy (which cannot come from the
 * item, since it applies exactly when the item cannot be read).
 */
import type { CircuitConfig } from '../config';
import { type SettingPlaceholder, settingPlaceholder } from './gate-states';
import { openTimeoutLadder, validateCircuitSettings, withoutPolicy } from './settings';

export function circuitSubstitutions(circuit: string, config: CircuitConfig): Record<string, string> {
  const settings = validateCircuitSettings(circuit, withoutPolicy(config));
  const values: Record<SettingPlaceholder, string> = {
    FailureThreshold: String(settings.failureThreshold),
    SuccessThreshold: String(settings.successThreshold),
    OpenTimeoutSeconds: String(settings.openTimeoutSeconds),
    OpenTimeoutGrowth: String(settings.openTimeoutGrowth),
    MaxOpenTimeoutSeconds: String(settings.maxOpenTimeoutSeconds),
    FailureWindowSeconds: String(settings.failureWindowSeconds),
    ProbeLeaseSeconds: String(settings.probeLeaseSeconds),
    OpenTimeoutLadder: openTimeoutLadder(settings).join(','),
    TableFailPolicy: config.tableFailPolicy,
  };
  return Object.fromEntries(
    Object.entries(values).map(([setting, value]) => [
      settingPlaceholder(circuit, setting as SettingPlaceholder).slice(2, -1),
      value,
    ]),
  );
}
