/**
 * `POST /restores` with `{ tableName, restoreTo, reason, approval?, targetTableName? }`: starts `restore-table`
 * for the caller (`requestedBy` is their IAM identity) and answers 202 with the execution to follow
 * (`GET /executions/{arn}`). The workflow checks the request in depth (unknown table, restore point out of the
 * window, ...) and ends with `InvalidInputError` when it is wrong; here the shape is checked.
 * An `Idempotency-Key` header names the execution: a retried request returns the same execution while it runs
 * with the same input, and 409 when that name was used for another request or has ended.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { describeRestore, type RestoreRequest, restoreExecutionName, startRestore } from '../../operations/restores';
import { requireEnv, stepFunctions } from '../shared/clients';
import { ConflictError, fromAwsError, InvalidInputError } from '../shared/errors';
import { apiHandler, headerValue } from '../shared/http';
import { callerArn } from './caller-identity';

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export const StartRestoreBody = z.strictObject(
  {
    tableName: z
      .string({ error: 'is required: the table to restore (health-alerts, or its physical name)' })
      .regex(TABLE_NAME, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)'),
    restoreTo: z
      .string({ error: 'is required: an ISO-8601 time with a zone, or "latest"' })
      .refine(
        (value) => value === 'latest' || (/(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))),
        'must be an ISO-8601 time with a zone (2026-03-01T10:00:00Z) or "latest"',
      ),
    reason: z
      .string({ error: 'is required: say why, for the audit log and the approver' })
      .trim()
      .min(3, 'must say why in at least 3 characters')
      .max(500, 'must be at most 500 characters'),
    approval: z.enum(['required', 'skip'], { error: 'must be "required" or "skip"' }).default('required'),
    targetTableName: z
      .string()
      .regex(TABLE_NAME, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : 'must be a JSON object with tableName, restoreTo and reason',
  },
);
export type StartRestoreBody = z.output<typeof StartRestoreBody>;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export interface StartRestoreDependencies {
  readonly sfn: SFNClient;
  readonly restoreStateMachineArn: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

export interface StartedRestore {
  readonly executionArn: string;
  readonly name: string;
  readonly startDate?: string;
  /** Where to follow it: `GET` this path. */
  readonly execution: string;
  /** True when an `Idempotency-Key` matched an execution already running with the same request. */
  readonly replayed: boolean;
}

export async function startRestoreFor(
  body: StartRestoreBody,
  requestedBy: string,
  idempotencyKey: string | undefined,
  deps: StartRestoreDependencies,
): Promise<StartedRestore> {
  const request: RestoreRequest = { ...body, requestedBy };
  const name = idempotencyKey
    ? `${body.tableName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${idempotencyKey}`
    : restoreExecutionName(body.tableName, deps.now());
  const answer = (executionArn: string, startDate: Date | undefined, replayed: boolean): StartedRestore => ({
    executionArn,
    name,
    ...(startDate && { startDate: startDate.toISOString() }),
    execution: `/executions/${encodeURIComponent(executionArn)}`,
    replayed,
  });
  try {
    const started = await startRestore(deps.sfn, deps.restoreStateMachineArn, request, name);
    return answer(started.executionArn, started.startDate, false);
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionAlreadyExists')
      throw fromAwsError(error, 'Starting restore-table');
  }
  // The name is taken: the same request still running is a retry; anything else is a conflict.
  const executionArn = `${deps.restoreStateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const existing = await describeRestore(deps.sfn, executionArn).catch((error: unknown) => {
    throw fromAwsError(error, `Describing ${executionArn}`);
  });
  if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(request)) {
    return answer(executionArn, existing.startDate, true);
  }
  throw new ConflictError(
    `Idempotency-Key ${idempotencyKey} was used for execution ${executionArn} (${existing.status}) with another request ` +
      'or it has ended; send a new key to start another restore.',
  );
}

export const handler = apiHandler(
  { operation: 'start-restore', body: StartRestoreBody, maxBodyBytes: 4096 },
  async (request) => {
    const key = headerValue(request.event, 'idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new InvalidInputError('Invalid headers: Idempotency-Key: must be 8-64 of A-Z a-z 0-9 _ -, such as a UUID.');
    }
    const started = await startRestoreFor(request.body, callerArn(request.event), key, {
      sfn: stepFunctions(),
      restoreStateMachineArn: requireEnv('RESTORE_STATE_MACHINE_ARN'),
      now: () => Date.now(),
    });
    return { statusCode: started.replayed ? 200 : 202, body: started };
  },
);
