/** `GET /restores?limit=`: the newest executions of `restore-table`, newest first (status, start and stop). */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { listRestores, type RestoreSummary } from '../../operations/restores';
import { requireEnv, stepFunctions } from '../shared/clients';
import { fromAwsError } from '../shared/errors';
import { apiHandler } from '../shared/http';
import { limitField } from './query-fields';

export const DEFAULT_RESTORES = 20;

export const ListRestoresQuery = z.strictObject({ limit: limitField });

export interface RestoreView extends Omit<RestoreSummary, 'startDate' | 'stopDate'> {
  readonly startDate?: string;
  readonly stopDate?: string;
}

export function restoreView(summary: RestoreSummary): RestoreView {
  const { startDate, stopDate, ...rest } = summary;
  return {
    ...rest,
    ...(startDate && { startDate: startDate.toISOString() }),
    ...(stopDate && { stopDate: stopDate.toISOString() }),
  };
}

export async function listRestoreViews(
  limit: number,
  deps: { readonly sfn: SFNClient; readonly restoreStateMachineArn: string },
): Promise<{ restores: RestoreView[] }> {
  try {
    return { restores: (await listRestores(deps.sfn, deps.restoreStateMachineArn, limit)).map(restoreView) };
  } catch (error) {
    throw fromAwsError(error, 'Listing restore-table executions');
  }
}

export const handler = apiHandler({ operation: 'list-restores', query: ListRestoresQuery }, async (request) => ({
  body: await listRestoreViews(request.query.limit ?? DEFAULT_RESTORES, {
    sfn: stepFunctions(),
    restoreStateMachineArn: requireEnv('RESTORE_STATE_MACHINE_ARN'),
  }),
}));
