/**
 * The report of one execution as a self-contained HTML file: the same view as the console, with the data read
 * through the Step Functions API of the runtime (in-process) and the graph laid out here, in Node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalRuntime } from '../runtime';
import { describeExecutionShape, historyEventShape } from '../server/sfn-shapes';
import type { ExecutionRecord, LocalStateMachine } from '../stepfunctions/local-state-machine';
import { type AslMachineLike, buildWorkflowGraph } from './asl-graph';
import type { ApiHistoryEvent } from './execution-view';
import { layoutWorkflowGraph } from './graph-layout';
import type { ExecutionData } from './page/execution-screen';
import type { ExecutionDescription } from './page/sfn-client';
import { executionReportHtml } from './page-bundle';

/**
 * What the console would read for this execution (DescribeStateMachine, DescribeExecution, the whole
 * GetExecutionHistory), in the API's shapes, built by the same functions the local service answers with.
 */
export function executionDataOf(machine: LocalStateMachine, record: ExecutionRecord): ExecutionData {
  return {
    stateMachine: {
      stateMachineArn: machine.arn,
      name: machine.name,
      type: machine.type,
      definition: JSON.stringify(machine.definition),
    },
    execution: describeExecutionShape(record) as unknown as ExecutionDescription,
    events: machine.historyOf(record).map((event) => historyEventShape(event, true) as unknown as ApiHistoryEvent),
  };
}

/** The data of an execution the runtime knows, by ARN. */
export function executionData(runtime: LocalRuntime, executionArn: string): ExecutionData {
  const found = runtime.findExecution(executionArn);
  if (!found) throw new Error(`No execution ${executionArn} in this runtime.`);
  return executionDataOf(runtime.stateMachine(found.record.stateMachineArn), found.record);
}

export async function executionReport(data: ExecutionData, generatedAt = new Date().toISOString()): Promise<string> {
  const layout = await layoutWorkflowGraph(
    buildWorkflowGraph(JSON.parse(data.stateMachine.definition) as AslMachineLike),
  );
  return executionReportHtml({ ...data, layout, generatedAt });
}

export async function writeExecutionReport(data: ExecutionData, file: string): Promise<void> {
  const html = await executionReport(data);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, html);
}

/** `inventory-refresh-<execution name>.html`, safe on every file system. */
export function reportFileName(stateMachineName: string, executionName: string): string {
  const safe = `${stateMachineName}-${executionName}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 200);
  return `${safe}.html`;
}
