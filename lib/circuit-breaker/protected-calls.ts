/**
 * A protected call in a workflow's definition: the six-state handshake with the breaker machine around one
 * Task. Found by its check state, checked for its shape at synth (so a new protected call is wired the way
 * the breaker expects), and given its substitutions: the circuit's settings document and where the Catch
 * of an unreachable breaker leads (the call under FAIL_OPEN, the refusal under FAIL_CLOSED).
 */
import type { CircuitConfig } from '../config';
import { breakerCircuitSettings, settingsPlaceholderValue } from './breaker-settings';
import { declarationOf } from './circuits';
import { CircuitDeclarationError } from './errors';
import { BREAKER_CALL_TIMEOUT_SECONDS } from './probe-lease';

export const START_SYNC_EXECUTION = 'arn:aws:states:::aws-sdk:sfn:startSyncExecution';
/** The placeholder of the breaker machine's ARN in every caller. */
export const BREAKER_ARN_PLACEHOLDER = 'CircuitBreakerArn';

/** The caller's states around one protected Task, named around the dependency. */
export function protectedCallStateNames(label: string) {
  return {
    check: `Check the ${label} circuit`,
    decide: `Does the ${label} circuit let the call through?`,
    refused: `The ${label} circuit refused the call`,
    afterSuccess: `Does the ${label} circuit want to hear about the success?`,
    success: `Tell the ${label} circuit the call succeeded`,
    failure: `Tell the ${label} circuit the call failed`,
  };
}

/** `rds-api` -> `RdsApi`: the prefix of a circuit's placeholders. */
export function pascalCircuitName(circuit: string): string {
  return circuit
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export function settingsPlaceholder(circuit: string): string {
  return `${pascalCircuitName(circuit)}CircuitSettings`;
}

export function whenBreakerUnavailablePlaceholder(circuit: string): string {
  return `${pascalCircuitName(circuit)}CircuitWhenBreakerUnavailable`;
}

export interface ProtectedCall {
  readonly circuit: string;
  readonly states: ReturnType<typeof protectedCallStateNames>;
  /** The Task the circuit protects. */
  readonly protectedState: string;
}

interface AslState {
  readonly Type?: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly StateMachineArn?: string; readonly Input?: Record<string, unknown> };
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: readonly { readonly Next?: string }[];
  readonly Catch?: readonly { readonly ErrorEquals?: readonly string[]; readonly Next?: string }[];
  readonly Retry?: readonly { readonly ErrorEquals?: readonly string[] }[];
  readonly TimeoutSeconds?: number;
}

/** Every protected call of a definition (top level), each checked against the handshake's shape. */
export function findProtectedCalls(definition: { readonly States: Record<string, unknown> }, where: string) {
  const states = definition.States as Record<string, AslState>;
  const calls: ProtectedCall[] = [];
  for (const [name, state] of Object.entries(states)) {
    const input = state.Parameters?.Input;
    if (state.Resource !== START_SYNC_EXECUTION || input?.request !== 'check') continue;
    const fail = (problem: string): never => {
      throw new CircuitDeclarationError(`${where}: the protected call checked by "${name}" ${problem}.`);
    };
    if (typeof input.circuit !== 'string') fail('names no circuit (Input.circuit)');
    const circuit = input.circuit as string;
    const names = protectedCallStateNames(declarationOf(circuit).label);
    if (name !== names.check) fail(`must be named "${names.check}"`);
    const expectPlaceholders = (state: AslState, what: string) => {
      if (state.Parameters?.StateMachineArn !== `\${${BREAKER_ARN_PLACEHOLDER}}`) {
        fail(`${what}: StateMachineArn must be \${${BREAKER_ARN_PLACEHOLDER}}`);
      }
      if (state.Parameters?.Input?.settings !== `\${${settingsPlaceholder(circuit)}}`) {
        fail(`${what}: Input.settings must be \${${settingsPlaceholder(circuit)}}`);
      }
      if (!state.Retry?.some((retry) => retry.ErrorEquals?.includes('Sfn.SfnException'))) {
        fail(`${what}: retry Sfn.SfnException (the breaker throttled or unavailable)`);
      }
      if (state.TimeoutSeconds === undefined || state.TimeoutSeconds > BREAKER_CALL_TIMEOUT_SECONDS) {
        fail(`${what}: give the breaker call a TimeoutSeconds of at most ${BREAKER_CALL_TIMEOUT_SECONDS}`);
      }
    };
    expectPlaceholders(state, names.check);
    const unavailable = state.Catch?.find((c) => c.ErrorEquals?.includes('States.ALL'))?.Next;
    if (unavailable !== `\${${whenBreakerUnavailablePlaceholder(circuit)}}`) {
      fail(`must Catch States.ALL to \${${whenBreakerUnavailablePlaceholder(circuit)}} (the fail policy)`);
    }
    const stateOf = (stateName: string | undefined, type: string, expected: string): AslState => {
      const found = stateName === undefined ? undefined : states[stateName];
      if (stateName !== expected || found?.Type !== type) fail(`must lead to a ${type} state "${expected}"`);
      return found as AslState;
    };
    const decide = stateOf(state.Next, 'Choice', names.decide);
    stateOf(decide.Choices?.[0]?.Next, 'Pass', names.refused);
    const protectedState = decide.Default;
    const task = protectedState === undefined ? undefined : states[protectedState];
    if (protectedState === undefined || task?.Type !== 'Task')
      fail(`"${names.decide}" must default to the protected Task`);
    const afterSuccess = stateOf(task!.Next, 'Choice', names.afterSuccess);
    const onFailure = task!.Catch?.find((c) => c.ErrorEquals?.includes('States.ALL'))?.Next;
    expectPlaceholders(stateOf(onFailure, 'Task', names.failure), names.failure);
    expectPlaceholders(
      stateOf(afterSuccess.Choices?.find((choice) => choice.Next === names.success)?.Next, 'Task', names.success),
      names.success,
    );
    calls.push({ circuit, states: names, protectedState: protectedState as string });
  }
  return calls;
}

/** The placeholder values of one protected call, from its circuit's config. */
export function protectedCallSubstitutions(call: ProtectedCall, config: CircuitConfig): Record<string, string> {
  return {
    [settingsPlaceholder(call.circuit)]: settingsPlaceholderValue(breakerCircuitSettings(call.circuit, config)),
    [whenBreakerUnavailablePlaceholder(call.circuit)]:
      config.tableFailPolicy === 'FAIL_OPEN' ? call.protectedState : call.states.refused,
  };
}
