/**
 * Restores as operators run them through the Step Functions API: start restore-table, describe one execution
 * (with its measured RTO and RPO), list the recent ones, and follow an execution's history as it runs, child
 * executions included. AWS SDK only (`@aws-sdk/client-sfn`): the CLI and the operations API call these alike, on
 * AWS or on `rds-ops local serve`.
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

/** What an operator asks for; the workflow checks it (docs/workflows/restore-table.md, "Input"). */
export interface RestoreRequest {
  readonly tableName: string;
  readonly restoreTo: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly approval: 'required' | 'skip';
  readonly targetTableName?: string;
}

/** The figures restore-table reports when it succeeds. */
export interface RestoreFigures {
  readonly table: string;
  readonly restoredTableName: string;
  readonly restorePoint: string;
  readonly recoveryPointSeconds: number;
  readonly recoveryTimeSeconds: number;
  readonly approvalSeconds: number;
  readonly restoreSeconds: number;
  readonly waitSeconds: number;
  readonly settingsSeconds: number;
  readonly validationSeconds: number;
}

export interface RestoreSummary {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate?: Date;
  readonly stopDate?: Date;
  readonly input?: unknown;
  readonly output?: RestoreFigures;
  readonly error?: string;
  readonly cause?: string;
}

/** `health-alerts-20261130091500-3f2a`: readable in the console and in the approval id derived from it. */
export function restoreExecutionName(tableName: string, now: number, random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${tableName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 50)}-${stamp}-${suffix}`;
}

export async function startRestore(
  sfn: SFNClient,
  stateMachineArn: string,
  request: RestoreRequest,
  name: string,
): Promise<{ executionArn: string; startDate?: Date }> {
  const result = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }));
  return { executionArn: result.executionArn!, startDate: result.startDate };
}

export async function describeRestore(sfn: SFNClient, executionArn: string): Promise<RestoreSummary> {
  return summaryOf(await sfn.send(new DescribeExecutionCommand({ executionArn })));
}

export async function listRestores(
  sfn: SFNClient,
  stateMachineArn: string,
  maxResults = 20,
): Promise<RestoreSummary[]> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults }));
  return (executions ?? []).map((execution) => ({
    executionArn: execution.executionArn!,
    name: execution.name!,
    status: execution.status!,
    ...(execution.startDate && { startDate: execution.startDate }),
    ...(execution.stopDate && { stopDate: execution.stopDate }),
  }));
}

function summaryOf(described: DescribeExecutionCommandOutput): RestoreSummary {
  const parse = (text: string | undefined) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return {
    executionArn: described.executionArn!,
    name: described.name!,
    status: described.status!,
    ...(described.startDate && { startDate: described.startDate }),
    ...(described.stopDate && { stopDate: described.stopDate }),
    input: parse(described.input),
    ...(described.output !== undefined && { output: parse(described.output) as RestoreFigures }),
    ...(described.error !== undefined && { error: described.error }),
    ...(described.cause !== undefined && { cause: described.cause }),
  };
}

/** One history event of an execution being followed; `depth` 1 for a child execution's events. */
export interface FollowedEvent {
  readonly executionArn: string;
  readonly depth: number;
  readonly event: HistoryEvent;
}

export interface FollowOptions {
  readonly onEvent: (event: FollowedEvent) => void;
  /** Called between polls (for a countdown); `now` in epoch ms. */
  readonly onIdle?: (now: number) => void;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms, for `onIdle`. @default Date.now */
  readonly now?: () => number;
  readonly pollMs?: number;
  /** Stops following (the execution goes on). */
  readonly signal?: AbortSignal;
}

const END_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/**
 * Follows an execution until it ends (or `signal` aborts), reporting each new history event in order, and the
 * events of the child executions it starts with `.sync` as they come. Resolves with the execution's summary,
 * or undefined when following stopped before the end.
 */
export async function followExecution(
  sfn: SFNClient,
  executionArn: string,
  options: FollowOptions,
): Promise<RestoreSummary | undefined> {
  const lastSeen = new Map<string, number>();
  const depthOf = new Map<string, number>([[executionArn, 0]]);
  /** Executions still running, children after their parent. */
  const running: string[] = [executionArn];
  let finished = false;

  // A child's events come right after the TaskSubmitted that started it, before its parent's next events.
  const drain = async (arn: string): Promise<void> => {
    for (const event of await newEvents(sfn, arn, lastSeen.get(arn) ?? 0)) {
      lastSeen.set(arn, event.id ?? 0);
      const depth = depthOf.get(arn) ?? 0;
      options.onEvent({ executionArn: arn, depth, event });
      const child = childExecutionOf(event);
      if (child && !depthOf.has(child)) {
        depthOf.set(child, depth + 1);
        running.push(child);
        await drain(child);
      }
      if (END_EVENTS.has(event.type ?? '')) {
        running.splice(running.indexOf(arn), 1);
        if (arn === executionArn) finished = true;
      }
    }
  };

  for (;;) {
    // Children first: a child that ended since the last poll shows its last events before its parent moves on.
    for (const arn of [...running].reverse()) {
      if (running.includes(arn)) await drain(arn);
    }
    if (finished) return describeRestore(sfn, executionArn);
    if (options.signal?.aborted) return undefined;
    options.onIdle?.((options.now ?? Date.now)());
    await options.sleep(options.pollMs ?? 2000);
    if (options.signal?.aborted) return undefined;
  }
}

async function newEvents(sfn: SFNClient, executionArn: string, afterId: number): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []).filter((event) => (event.id ?? 0) > afterId));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The child execution a `startExecution.sync` Task started, from its TaskSubmitted event. */
function childExecutionOf(event: HistoryEvent): string | undefined {
  const details = event.taskSubmittedEventDetails;
  if (event.type !== 'TaskSubmitted' || details?.resourceType !== 'states' || !details.output) return undefined;
  try {
    const output = JSON.parse(details.output) as { ExecutionArn?: unknown };
    return typeof output.ExecutionArn === 'string' ? output.ExecutionArn : undefined;
  } catch {
    return undefined;
  }
}
