/**
 * The retry and catch policy every ASL file must follow, as one pure check that names the file, the state
 * and the rule of each violation (run over every state-machines/*.asl.json by the test suite):
 * - `retry-preset`: every retrier is one of the named presets, as it is, and fits the Task's integration;
 * - `jitter-and-cap`: every retrier has `JitterStrategy: FULL` and a `MaxDelaySeconds` cap;
 * - `transient-retry`: every Task retries the transient errors of what it calls (a preset for its integration);
 * - `lambda-service-retry`: every Lambda Task retries the Lambda service errors;
 * - `catch-all`: every Task catches `States.ALL` into a handled path: one that records, notifies or fails with a
 *   named error (it reaches a Task, Map, Parallel or Fail state), or ends in a state declared a handled outcome
 *   (a nested helper that answers its caller with the failure instead of failing); a Next filled by a
 *   `${Placeholder}` is not followed;
 * - `no-retry-all-on-non-idempotent`: `States.ALL` is retried only on a Task that reads, or that is declared
 *   idempotent in lib/retry-policy/declarations.ts;
 * - `no-retry-terminal`: `States.Runtime`, `States.DataLimitExceeded` and `States.Permissions` are never retried;
 * - `fail-named`: every Fail state has `Error` and `Cause` (or `ErrorPath` and `CausePath`);
 * - `declaration`: every declared idempotent Task and handled outcome exists.
 */
import { type AslState, type AslStates, actionOf, allStates, integrationOf, reachableFrom } from './asl-states';
import { type AslRetrier, presetRetrier, RETRY_PRESETS, type RetryPreset } from './presets';

export type PolicyRule =
  | 'retry-preset'
  | 'jitter-and-cap'
  | 'transient-retry'
  | 'lambda-service-retry'
  | 'catch-all'
  | 'no-retry-all-on-non-idempotent'
  | 'no-retry-terminal'
  | 'fail-named'
  | 'declaration';

export interface PolicyViolation {
  readonly file: string;
  readonly state: string;
  readonly rule: PolicyRule;
  readonly message: string;
}

export interface PolicyCheckOptions {
  /** How messages name the definition, e.g. `state-machines/inventory-refresh.asl.json`. */
  readonly file: string;
  /** Tasks declared idempotent (safe to repeat whatever failed), by state name, with the reason. */
  readonly idempotentTasks?: Readonly<Record<string, string>>;
  /** States that end the execution with an answer its caller acts on, by state name, with the reason. */
  readonly handledOutcomes?: Readonly<Record<string, string>>;
}

/** Errors Step Functions does not retry meaningfully: a bad definition, too much data, a missing permission. */
export const TERMINAL_ERRORS = ['States.Runtime', 'States.DataLimitExceeded', 'States.Permissions'] as const;
const LAMBDA_SERVICE_PRESET = 'lambda-service-errors';
const READ_ACTION = /^(get|describe|list|query|scan|batchGet)/i;
/** ASL's defaults for omitted retrier fields. */
const RETRIER_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;
const TIMING_FIELDS = ['IntervalSeconds', 'BackoffRate', 'MaxAttempts', 'MaxDelaySeconds', 'JitterStrategy'] as const;

export function checkRetryPolicy(definition: AslStates, options: PolicyCheckOptions): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const states = allStates(definition);
  const report = (state: string, rule: PolicyRule, message: string) =>
    violations.push({ file: options.file, state, rule, message });

  for (const { name, path, state, scope } of states) {
    for (const [index, retrier] of (state.Retry ?? []).entries()) {
      const which = `retrier ${index + 1} (${retrier.ErrorEquals.join(', ')})`;
      const terminal = retrier.ErrorEquals.filter((error) => (TERMINAL_ERRORS as readonly string[]).includes(error));
      if (terminal.length > 0) {
        report(path, 'no-retry-terminal', `${which} retries ${terminal.join(', ')}, which fail the same way again.`);
      }
      if (retrier.JitterStrategy !== 'FULL' || typeof retrier.MaxDelaySeconds !== 'number') {
        report(path, 'jitter-and-cap', `${which} needs "JitterStrategy": "FULL" and a "MaxDelaySeconds" cap.`);
      }
    }
    if (state.Type === 'Fail' && !((state.Error || state.ErrorPath) && (state.Cause || state.CausePath))) {
      report(path, 'fail-named', 'a Fail state needs Error and Cause (or ErrorPath and CausePath).');
    }
    if (state.Type === 'Task') checkTask(name, path, state, scope, options, report);
  }

  for (const declared of Object.keys(options.idempotentTasks ?? {})) {
    if (!states.some(({ name, state }) => name === declared && state.Type === 'Task')) {
      report(declared, 'declaration', 'is declared idempotent but no Task has that name.');
    }
  }
  for (const declared of Object.keys(options.handledOutcomes ?? {})) {
    if (!states.some(({ name }) => name === declared)) {
      report(declared, 'declaration', 'is declared a handled outcome but no state has that name.');
    }
  }
  return violations;
}

function checkTask(
  name: string,
  path: string,
  state: AslState,
  scope: AslStates,
  options: PolicyCheckOptions,
  report: (state: string, rule: PolicyRule, message: string) => void,
): void {
  const integration = state.Resource ? integrationOf(state.Resource) : undefined;
  const retriers = state.Retry ?? [];
  const presets = retriers.map((retrier) => matchingPreset(retrier));

  for (const [index, retrier] of retriers.entries()) {
    const preset = presets[index];
    const which = `retrier ${index + 1} (${retrier.ErrorEquals.join(', ')})`;
    if (!preset) {
      report(path, 'retry-preset', `${which} is not a retry preset. ${closestPresetHint(retrier)}`);
    } else if (integration && !preset.integrations.includes(integration)) {
      report(
        path,
        'retry-preset',
        `${which} is preset "${preset.name}", which is for ${preset.integrations.join(', ')}; this Task calls ${integration}.`,
      );
    }
    if (retrier.ErrorEquals.includes('States.ALL') && !isIdempotent(name, state, options)) {
      report(
        path,
        'no-retry-all-on-non-idempotent',
        `${which} retries States.ALL on a Task that writes; retry named transient errors, or declare the Task ` +
          'idempotent (with the reason) in lib/retry-policy/declarations.ts.',
      );
    }
  }

  const covering = presets.filter((preset) => preset && integration && preset.integrations.includes(integration));
  if (covering.length === 0) {
    const available = RETRY_PRESETS.filter(
      (preset) => integration && preset.integrations.includes(integration as never),
    );
    report(
      path,
      'transient-retry',
      integration
        ? `no Retry for the transient errors of ${integration}; add ${available.length > 0 ? available.map((preset) => `"${preset.name}"`).join(' or ') : 'a preset for it in lib/retry-policy/presets.ts'}.`
        : `cannot tell what ${state.Resource ?? 'this Task'} calls, so no preset can cover it.`,
    );
  }
  if (integration === 'lambda' && !presets.some((preset) => preset?.name === LAMBDA_SERVICE_PRESET)) {
    report(
      path,
      'lambda-service-retry',
      `a Lambda Task must retry the Lambda service errors (preset "${LAMBDA_SERVICE_PRESET}").`,
    );
  }

  const catchAll = (state.Catch ?? []).find((catcher) => catcher.ErrorEquals.includes('States.ALL'));
  if (!catchAll) {
    report(path, 'catch-all', 'no Catch for States.ALL: an unexpected error would end the execution unrecorded.');
  } else if (!leadsToHandledPath(catchAll.Next, scope, options.handledOutcomes ?? {})) {
    report(
      path,
      'catch-all',
      `the States.ALL catcher goes to "${catchAll.Next}", from where nothing records, notifies or fails with a ` +
        'named error; route it to the failure path, or declare the answer a handled outcome in lib/retry-policy/declarations.ts.',
    );
  }
}

/** The preset this retrier is, exactly: same error names (in any order) and the same timing. */
export function matchingPreset(retrier: AslRetrier): RetryPreset | undefined {
  return (RETRY_PRESETS as readonly RetryPreset[]).find((preset) => differences(retrier, preset).length === 0);
}

function differences(retrier: AslRetrier, preset: RetryPreset): string[] {
  const expected = presetRetrier(preset);
  const actual = { ...RETRIER_DEFAULTS, ...retrier } as Record<string, unknown>;
  const found: string[] = [];
  const names = new Set(retrier.ErrorEquals);
  if (names.size !== expected.ErrorEquals.length || !expected.ErrorEquals.every((error) => names.has(error))) {
    found.push(`ErrorEquals [${expected.ErrorEquals.join(', ')}]`);
  }
  for (const field of TIMING_FIELDS) {
    if (actual[field] !== expected[field])
      found.push(`${field} ${expected[field]} (is ${String(actual[field] ?? 'absent')})`);
  }
  return found;
}

function closestPresetHint(retrier: AslRetrier): string {
  const overlap = (preset: RetryPreset) =>
    preset.errorEquals.filter((error) => retrier.ErrorEquals.includes(error)).length;
  const closest = [...(RETRY_PRESETS as readonly RetryPreset[])].sort((a, b) => overlap(b) - overlap(a))[0]!;
  if (overlap(closest) === 0) return 'No preset retries these errors: add one in lib/retry-policy/presets.ts.';
  return `Closest is "${closest.name}", which needs ${differences(retrier, closest).join('; ')}.`;
}

function isIdempotent(name: string, state: AslState, options: PolicyCheckOptions): boolean {
  if (options.idempotentTasks && Object.hasOwn(options.idempotentTasks, name)) return true;
  const action = state.Resource ? actionOf(state.Resource) : undefined;
  return action !== undefined && action !== 'invoke' && READ_ACTION.test(action);
}

/**
 * A catch target is handled when some path from it records or notifies (a Task, Map or Parallel), fails, or
 * reaches a declared handled outcome. A `${Placeholder}` target is chosen at synth and cannot be followed here.
 */
function leadsToHandledPath(
  target: string,
  scope: AslStates,
  handledOutcomes: Readonly<Record<string, string>>,
): boolean {
  if (/^\$\{[A-Za-z0-9]+\}$/.test(target)) return true;
  return reachableFrom(target, scope).some(
    (name) =>
      Object.hasOwn(handledOutcomes, name) ||
      ['Task', 'Fail', 'Map', 'Parallel'].includes(scope.States[name]?.Type ?? ''),
  );
}
