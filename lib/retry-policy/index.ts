/** The one retry policy: named presets, their worst-case delays, and the check every ASL file must pass. */
export { type AslState, type AslStates, actionOf, allStates, integrationOf } from './asl-states';
export {
  aslFiles,
  checkAslFile,
  formatViolations,
  type PolicyDeclarations,
  STATE_MACHINES_DIR,
  type StateDeclarations,
} from './check-files';
export { HANDLED_OUTCOMES, IDEMPOTENT_TASKS } from './declarations';
export {
  checkRetryPolicy,
  matchingPreset,
  type PolicyRule,
  type PolicyViolation,
  TERMINAL_ERRORS,
} from './policy-check';
export { PRESET_TABLE_END, PRESET_TABLE_START, presetTables } from './preset-table';
export {
  type AslRetrier,
  findPreset,
  presetRetrier,
  RETRY_CATEGORIES,
  RETRY_PRESETS,
  type RetryCategory,
  type RetryPreset,
  type RetryPresetName,
  type RetryTiming,
} from './presets';
export { expectedDelaySeconds, retryDelays, worstCaseDelaySeconds } from './worst-case';
