/**
 * The options the local runtime gives the engine (aws-local-stepfunctions, patched): what it replaces
 * (clock, random source), limits as AWS does (the longest Wait) and checks at load. Every option here
 * and every patch is named in docs/local-runtime.md ("Engine options and patches"); a test keeps it so.
 */
import type { Clock } from '../clock';

/** The longest Wait AWS allows: one year for Standard workflows, five minutes for Express (AWS quotas). */
export const MAX_WAIT_SECONDS = { STANDARD: 365 * 24 * 60 * 60, EXPRESS: 5 * 60 } as const;

export interface EngineOptionsInput {
  readonly clock: Clock;
  readonly random?: () => number;
  readonly type?: 'STANDARD' | 'EXPRESS';
}

export function engineOptions(input: EngineOptionsInput) {
  return {
    clock: input.clock,
    random: input.random,
    maxWaitSeconds: MAX_WAIT_SECONDS[input.type ?? 'STANDARD'],
    validationOptions: { checkArn: true, checkPaths: true },
  };
}
