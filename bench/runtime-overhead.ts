/**
 * Benchmark 6: how fast the local runtime runs a gated workflow, sequentially and concurrently, next to raw
 * dynalite answering the same DynamoDB calls through the same SDK in the same run (the physical bound here),
 * the same calls through the runtime's PITR proxy, and the engine alone on a pass-only machine. Measured in
 * alternating rounds, the median of each kept, so the machine's load falls on every figure alike.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { runConcurrently } from '../cli/run-concurrently';
import { startDynalite } from '../local/dynamodb/dynalite-server';
import { startBreakerHarness } from '../test/circuit-breaker/breaker-harness';
import { startTestRuntime, testMachine } from '../test/helpers/local-runtime';
import { type Benchmark, median, OutcomeBuilder, round } from './benchmark';

const ROUNDS = 3;
const CONCURRENCY = 10;
const GATED_RUNS = 120;
const DYNAMODB_CALLS = 600;
const PASS_ONLY_RUNS = 3000;

/** Runs per second of `count` runs of `work`, `concurrency` at a time. */
async function rate(count: number, concurrency: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await runConcurrently(count, concurrency, work);
  return (count / (performance.now() - started)) * 1000;
}

const GET_CIRCUIT = (TableName: string) =>
  new GetItemCommand({ TableName, Key: { circuit: { S: 'rds-api' } }, ConsistentRead: true });

export const runtimeOverhead: Benchmark = {
  id: 'runtime-overhead',
  title: '6. Local runtime overhead',
  question:
    'How many gated executions per second does the local runtime run, and how far is that from raw dynalite doing the same DynamoDB calls?',
  async run() {
    const out = new OutcomeBuilder();
    const harness = await startBreakerHarness();
    const { runtime: passRuntime } = await startTestRuntime({
      stateMachines: [
        testMachine('pass-only', { StartAt: 'Do nothing', States: { 'Do nothing': { Type: 'Pass', End: true } } }),
      ],
    });
    const dynalite = await startDynalite(undefined);
    const raw = new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const samples: Record<string, number[]> = {};
    const sample = (name: string, value: number) => {
      samples[name] ??= [];
      samples[name].push(value);
    };
    try {
      await raw.send(
        new CreateTableCommand({
          TableName: 'circuits',
          KeySchema: [{ AttributeName: 'circuit', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'circuit', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // Warm-up: module loading and the first connections are not what is measured.
      await harness.run();
      await raw.send(GET_CIRCUIT('circuits'));
      const gatedDynamoDbCalls = 1; // a CLOSED check: one consistent GetItem (checked by benchmark 1)
      for (let round = 0; round <= ROUNDS; round++) {
        // Round 0 warms up (JIT, module loading, connections) and is not kept.
        if (round === 1) for (const name of Object.keys(samples)) samples[name] = [];
        sample('gated, sequential', await rate(GATED_RUNS, 1, () => harness.runtime.execute('protected-caller', {})));
        sample('raw dynalite, sequential', await rate(DYNAMODB_CALLS, 1, () => raw.send(GET_CIRCUIT('circuits'))));
        sample(
          'PITR proxy, sequential',
          await rate(DYNAMODB_CALLS, 1, () => harness.runtime.dynamoDbClient.send(GET_CIRCUIT('circuits'))),
        );
        sample(
          `gated, ${CONCURRENCY} concurrent`,
          await rate(GATED_RUNS * 2, CONCURRENCY, () => harness.runtime.execute('protected-caller', {})),
        );
        sample(
          `raw dynalite, ${CONCURRENCY} concurrent`,
          await rate(DYNAMODB_CALLS * 2, CONCURRENCY, () => raw.send(GET_CIRCUIT('circuits'))),
        );
        sample('pass-only, sequential', await rate(PASS_ONLY_RUNS, 1, () => passRuntime.execute('pass-only', {})));
      }
      const m = (name: string) => median(samples[name]);
      /** The median of the per-round ratios: both terms of a ratio ran within seconds of each other. */
      const perRound = (numerator: string, denominator: string) =>
        median(samples[numerator].map((value, index) => value / samples[denominator][index]));
      out.table(
        `Median of ${ROUNDS} alternating rounds after a warm-up round (ratios: median of the per-round ratios); a gated execution is the protected caller on a CLOSED circuit (${gatedDynamoDbCalls} DynamoDB call; 5 caller states and a 6-state Express breaker execution)`,
        ['what', 'per second (median)', 'rounds'],
        Object.keys(samples).map((name) => [
          name,
          Math.round(m(name)),
          samples[name].map((v) => Math.round(v)).join(' / '),
        ]),
      );
      const sequential = out.ratio(
        'runtime-overhead.sequential.gated-vs-raw',
        'sequential: gated executions/s / raw dynalite GetItems/s',
        perRound('gated, sequential', 'raw dynalite, sequential') * gatedDynamoDbCalls,
        1,
        'higher',
      );
      out.ratio(
        'runtime-overhead.concurrent.gated-vs-raw',
        `${CONCURRENCY} concurrent: gated executions/s / raw dynalite GetItems/s`,
        perRound(`gated, ${CONCURRENCY} concurrent`, `raw dynalite, ${CONCURRENCY} concurrent`) * gatedDynamoDbCalls,
        1,
        'higher',
      );
      out.ratio(
        'runtime-overhead.proxy-vs-raw',
        'sequential: GetItems/s through the PITR proxy / raw',
        perRound('PITR proxy, sequential', 'raw dynalite, sequential'),
        1,
        'higher',
      );
      out.ratio(
        'runtime-overhead.gated-vs-pass-only',
        'sequential: gated executions/s / pass-only executions/s',
        perRound('gated, sequential', 'pass-only, sequential'),
        1,
        'higher',
      );
      out.check(
        'the physical bound holds: raw dynalite is faster than a gated execution that calls it',
        sequential < 1,
        `ratio ${sequential}`,
      );
      out.check(
        'an engine-only execution is faster than a gated one',
        m('pass-only, sequential') > m('gated, sequential'),
        `${round(m('pass-only, sequential'))} vs ${round(m('gated, sequential'))} per second`,
      );
      out.check(
        'every gated execution succeeded',
        harness.runtime.executions.every((run) => run.status === 'SUCCEEDED'),
        `${harness.runtime.executions.filter((run) => run.status !== 'SUCCEEDED').length} did not`,
      );
    } finally {
      raw.destroy();
      await dynalite.close();
      await passRuntime.stop();
      await harness.close();
    }
    return out.build();
  },
};
