/**
 * cutover-table: copies one parallel-scan segment of the restored table into the live table (the live table
 * keeps its name, so CloudFormation and every handler keep pointing at it). Idempotent: a retried page puts the
 * same items again. Answers where it stopped so the workflow can call again until `done`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/clients';
import { InvalidInputError } from '../shared/errors';
import { withErrorHandling } from '../shared/with-error-handling';
import { batchWrite, type Key, type SegmentCursor, scanSegment } from './segment-scan';

export interface CopySegmentInput extends SegmentCursor {
  readonly restoredTableName: string;
  readonly liveTableName: string;
  /** Items copied by earlier invocations for this segment. @default 0 */
  readonly copied?: number;
  readonly correlationId?: string;
}

export interface CopySegmentOutput {
  readonly segment: number;
  readonly totalSegments: number;
  readonly copied: number;
  readonly done: boolean;
  /** Where to continue; null once the segment is done (the workflow passes it back as it is). */
  readonly startKey: Key | null;
}

export async function copySegment(
  input: CopySegmentInput,
  documents: DynamoDBDocumentClient,
): Promise<CopySegmentOutput> {
  if (
    !input?.restoredTableName ||
    !input.liveTableName ||
    !Number.isInteger(input.segment) ||
    !Number.isInteger(input.totalSegments)
  ) {
    throw new InvalidInputError(
      `copy-restored-items needs restoredTableName, liveTableName, segment and totalSegments, got ${JSON.stringify(input)}.`,
    );
  }
  let copied = input.copied ?? 0;
  const next = await scanSegment(documents, input.restoredTableName, input, async (items) => {
    await batchWrite(
      documents,
      input.liveTableName,
      items.map((item) => ({ PutRequest: { Item: item } })),
    );
    copied += items.length;
  });
  return {
    segment: input.segment,
    totalSegments: input.totalSegments,
    copied,
    done: next === undefined,
    startKey: next ?? null,
  };
}

export const handler = withErrorHandling('copy-restored-items', (input: CopySegmentInput) =>
  copySegment(input, dynamo()),
);
