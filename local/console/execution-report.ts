/**
 * The report of one execution as a self-contained HTML file: the same view as the console, with the data read
 * through the Step Functions API of the runtime (in-process) and the graph laid out here, in Node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalRuntime } from '../runtime';
import { SfnApi } from '../server/sfn-api';
import { type AslMachineLike, buildWorkflowGraph } from './asl-graph';
import type { ApiHistoryEvent } from './execution-view';
import { layoutWorkflowGraph } from './graph-layout';
import type { ExecutionData } from './page/execution-screen';
import type { ExecutionDescription, StateMachineDescription } from './page/sfn-client';
import { executionReportHtml } from './page-bundle';

/** What the console would read for this execution: DescribeStateMachine, DescribeExecution, the whole history. */
export async function executionData(runtime: LocalRuntime, executionArn: string): Promise<ExecutionData> {
  const api = new SfnApi(runtime);
  const execution = (await api.call('DescribeExecution', { executionArn })) as ExecutionDescription;
  const stateMachine = (await api.call('DescribeStateMachine', {
    stateMachineArn: execution.stateMachineArn,
  })) as StateMachineDescription;
  const events: ApiHistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await api.call('GetExecutionHistory', {
      executionArn,
      maxResults: 1000,
      ...(nextToken && { nextToken }),
    })) as { events: ApiHistoryEvent[]; nextToken?: string };
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return { stateMachine, execution, events };
}

export async function executionReport(data: ExecutionData, generatedAt = new Date().toISOString()): Promise<string> {
  const layout = await layoutWorkflowGraph(
    buildWorkflowGraph(JSON.parse(data.stateMachine.definition) as AslMachineLike),
  );
  return executionReportHtml({ ...data, layout, generatedAt });
}

export async function writeExecutionReport(runtime: LocalRuntime, executionArn: string, file: string): Promise<void> {
  const html = await executionReport(await executionData(runtime, executionArn));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}

/** `inventory-refresh-<execution name>.html`, safe on every file system. */
export function reportFileName(stateMachineName: string, executionName: string): string {
  const safe = `${stateMachineName}-${executionName}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 200);
  return `${safe}.html`;
}
