/**
 * restore-table, last step: turns the times the workflow noted at each step into its measured figures. The
 * recovery point (RPO) is how far before the trigger the restored data comes from; the recovery time (RTO) runs
 * from the trigger (the alarm, or the start of the execution) to the validated table.
 */
import { InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';

export interface RecoveryTimeline {
  /** When the data loss was noticed: the alarm's time, or the execution start. */
  readonly triggeredAt: string;
  readonly acceptedAt: string;
  /** When the operator's decision arrived (absent when approval was skipped). */
  readonly approvedAt?: string;
  readonly restoreStartedAt: string;
  readonly activeAt: string;
  readonly settingsAppliedAt: string;
  readonly validatedAt: string;
  /** The point the data comes from (DynamoDB's RestoreDateTime of the restored table). */
  readonly restorePoint: string;
  /** Seconds the polling loop spent between DescribeTable calls. */
  readonly waitedSeconds: number;
}

export interface RecoveryFigures {
  readonly restorePoint: string;
  readonly recoveryPointSeconds: number;
  readonly approvalSeconds: number;
  readonly restoreSeconds: number;
  readonly waitSeconds: number;
  readonly settingsSeconds: number;
  readonly validationSeconds: number;
  readonly recoveryTimeSeconds: number;
}

export function measureRecovery(timeline: RecoveryTimeline): RecoveryFigures {
  const times: Record<string, number> = {};
  for (const field of [
    'triggeredAt',
    'acceptedAt',
    'restoreStartedAt',
    'activeAt',
    'settingsAppliedAt',
    'validatedAt',
    'restorePoint',
  ] as const) {
    const value = Date.parse(timeline?.[field] ?? '');
    if (Number.isNaN(value)) {
      throw new InvalidInputError(
        `measure-recovery needs ${field} as an ISO time, got ${JSON.stringify(timeline?.[field])}.`,
      );
    }
    times[field] = value;
  }
  const approvedAt = timeline.approvedAt ? Date.parse(timeline.approvedAt) : times.acceptedAt;
  const seconds = (from: number, to: number) => Math.max(0, Math.round((to - from) / 100) / 10);
  return {
    restorePoint: new Date(times.restorePoint).toISOString(),
    recoveryPointSeconds: seconds(times.restorePoint, times.triggeredAt),
    approvalSeconds: seconds(times.acceptedAt, approvedAt),
    restoreSeconds: seconds(times.restoreStartedAt, times.activeAt),
    waitSeconds: Number(timeline.waitedSeconds) || 0,
    settingsSeconds: seconds(times.activeAt, times.settingsAppliedAt),
    validationSeconds: seconds(times.settingsAppliedAt, times.validatedAt),
    recoveryTimeSeconds: seconds(times.triggeredAt, times.validatedAt),
  };
}

export const handler = withErrorHandling('measure-recovery', async (input: RecoveryTimeline) => measureRecovery(input));
