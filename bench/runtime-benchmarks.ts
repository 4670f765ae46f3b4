/** The local runtime on its own: start-up, engine overhead, and DynamoDB-bound executions. */
import { testMachine, testModel, testTable } from '../test/helpers/local-runtime';
import { type Benchmark, throughput } from './benchmark';

const passOnly = testMachine('pass-only', {
  StartAt: 'Do nothing',
  States: { 'Do nothing': { Type: 'Pass', End: true } },
});

const threeDynamoDbCalls = testMachine('three-dynamodb-calls', {
  StartAt: 'Read the circuit',
  States: {
    'Read the circuit': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: 'bench', Key: { pk: { S: 'circuit' } }, ConsistentRead: true },
      ResultPath: null,
      Next: 'Count the call',
    },
    'Count the call': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: 'bench',
        Key: { pk: { S: 'circuit' } },
        UpdateExpression: 'ADD calls :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      },
      ResultPath: null,
      Next: 'Write an audit entry',
    },
    'Write an audit entry': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: 'bench', Item: { pk: { 'S.$': '$$.Execution.Name' } } },
      End: true,
    },
  },
});

const model = testModel({ tables: [testTable('bench')], stateMachines: [passOnly, threeDynamoDbCalls] });

export const RUNTIME_BENCHMARKS: Benchmark[] = [
  {
    name: 'runtime start, first in process (dynalite, proxy, 1 table)',
    async run({ startRuntime }) {
      const started = performance.now();
      const runtime = await startRuntime(model);
      const elapsed = Math.round(performance.now() - started);
      await runtime.stop();
      return { name: this.name, value: elapsed, unit: 'ms', higherIsBetter: false };
    },
  },
  {
    name: 'pass-only executions, sequential',
    async run({ startRuntime }) {
      const runtime = await startRuntime(model);
      const rate = await throughput(20_000, 1, () => runtime.execute('pass-only', {}));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
  {
    name: '3-DynamoDB-call executions, sequential',
    async run({ startRuntime }) {
      const runtime = await startRuntime(model);
      const rate = await throughput(300, 1, () => runtime.execute('three-dynamodb-calls', {}));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
  {
    name: '3-DynamoDB-call executions, 20 concurrent',
    async run({ startRuntime }) {
      const runtime = await startRuntime(model);
      const rate = await throughput(600, 20, () => runtime.execute('three-dynamodb-calls', {}));
      await runtime.stop();
      return { name: this.name, value: rate, unit: 'exec/s', higherIsBetter: true };
    },
  },
];
