/**
 * `rds-ops capacity advise --table T [--days 14]`: reads the table's consumed read and write capacity from
 * CloudWatch (GetMetricData, through the AWS SDK: AWS, or the local service with --local / --endpoint), and prints
 * the monthly cost on demand against provisioned capacity with auto scaling at a recommended range and target,
 * the assumptions and prices, and a one-line recommendation.
 */

import { parseArgs } from 'node:util';
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../lib/app';
import { TABLE_IDS } from '../lib/config';
import { type AwsClients, createAwsClients, DEFAULT_LOCAL_ENDPOINT } from './aws-clients';
import {
  adviseCapacity,
  type CapacityAdvice,
  money,
  SCALE_IN_WINDOW_MINUTES,
  SCALE_OUT_DELAY_MINUTES,
} from './capacity/capacity-model';
import { HOURS_PER_MONTH, PRICES } from './capacity/prices';
import { type CliIo, EXIT } from './cli-io';
import { EndpointUnreachableError, InvalidInputError, NoUsageDataError, UsageError } from './errors';
import { findTablesByTag } from './ops-tables';

const DEFAULT_DAYS = 14;
/** CloudWatch keeps one-minute data 15 days, five-minute data 63 days, hourly data 455 days. */
const RETENTION: readonly (readonly [maxDays: number, periodSeconds: number])[] = [
  [15, 60],
  [63, 300],
  [455, 3600],
];

export async function runCapacityCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'advise')
    throw new UsageError('capacity takes one command: advise --table T [--days 14] (rds-ops help).');
  const { values } = parseArgs({
    args: rest,
    options: {
      table: { type: 'string' },
      days: { type: 'string' },
      local: { type: 'boolean' },
      endpoint: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.table) throw new UsageError('capacity advise needs --table <table name or id, e.g. rds-inventory>.');
  const days = daysOf(values.days ?? String(DEFAULT_DAYS));
  const endpoint = values.endpoint ?? (values.local ? DEFAULT_LOCAL_ENDPOINT : undefined);
  const clients = createAwsClients({ ...(endpoint && { endpoint }) });
  try {
    const table = await resolveTable(clients, values.table);
    const periodSeconds = RETENTION.find(([maxDays]) => days <= maxDays)![1];
    // Up to the end of the current period, so usage of the last seconds counts.
    const end = Math.ceil(Date.now() / (periodSeconds * 1000)) * periodSeconds * 1000;
    const start = end - days * 86_400_000;
    const usage = await consumedCapacity(clients, table.TableName!, start, end, periodSeconds);
    if (usage.reads.every((value) => value === 0) && usage.writes.every((value) => value === 0)) {
      throw new NoUsageDataError(
        `CloudWatch has no consumed capacity for ${table.TableName} in the last ${days} day(s) ` +
          `(${iso(start)} to ${iso(end)}); check the table and the region, or advise over more days once it has traffic.`,
      );
    }
    const mode = table.BillingModeSummary?.BillingMode === 'PROVISIONED' ? 'PROVISIONED' : 'ON_DEMAND';
    const advice = adviseCapacity(usage, mode);
    if (values.json)
      io.out(
        JSON.stringify(
          { table: table.TableName, mode, start: iso(start), end: iso(end), prices: PRICES, advice },
          null,
          2,
        ),
      );
    else printAdvice(io, table, mode, advice, start, end);
    return EXIT.ok;
  } catch (error) {
    throw unreachable(error, clients) ?? error;
  } finally {
    clients.destroy();
  }
}

function daysOf(text: string): number {
  const days = Number(text);
  const longest = RETENTION.at(-1)![0];
  if (!Number.isInteger(days) || days < 1 || days > longest) {
    throw new UsageError(
      `--days must be a whole number of days from 1 to ${longest} (CloudWatch's retention), got "${text}".`,
    );
  }
  return days;
}

/** A physical table name, or the app's id (`rdsInventory`) or kebab name (`rds-inventory`), found by its tag. */
async function resolveTable(clients: AwsClients, given: string): Promise<TableDescription> {
  const described = await describe(clients, given);
  if (described) return described;
  const tableId = TABLE_IDS.find((id) => id === given || kebab(id) === given);
  if (tableId) {
    const found = await findTablesByTag(clients.dynamoDb, loadConfig().stage, [tableId]);
    const name = found[tableId];
    const table = name ? await describe(clients, name) : undefined;
    if (table) return table;
  }
  throw new InvalidInputError(
    `no table "${given}" here; give its name (from the Data stack outputs) or one of ${TABLE_IDS.map(kebab).join(', ')}.`,
  );
}

async function describe(clients: AwsClients, name: string): Promise<TableDescription | undefined> {
  try {
    return (await clients.dynamoDb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException' || (error as Error).name === 'ValidationException')
      return undefined;
    throw error;
  }
}

/** One-period sums of ConsumedRead/WriteCapacityUnits from start to end, zero where CloudWatch has no datapoint. */
async function consumedCapacity(
  clients: AwsClients,
  tableName: string,
  start: number,
  end: number,
  periodSeconds: number,
) {
  const query = (id: string, metricName: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/DynamoDB',
        MetricName: metricName,
        Dimensions: [{ Name: 'TableName', Value: tableName }],
      },
      Period: periodSeconds,
      Stat: 'Sum',
    },
  });
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query('reads', 'ConsumedReadCapacityUnits'), query('writes', 'ConsumedWriteCapacityUnits')],
        StartTime: new Date(start),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
    );
    results.push(...(page.MetricDataResults ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const periods = Math.round((end - start) / (periodSeconds * 1000));
  const series = (id: string) => {
    const values = new Array<number>(periods).fill(0);
    for (const result of results.filter((candidate) => candidate.Id === id)) {
      (result.Timestamps ?? []).forEach((timestamp, index) => {
        const slot = Math.floor((timestamp.getTime() - start) / (periodSeconds * 1000));
        if (slot >= 0 && slot < periods) values[slot]! += result.Values?.[index] ?? 0;
      });
    }
    return values;
  };
  return { periodSeconds, reads: series('reads'), writes: series('writes') };
}

function printAdvice(
  io: CliIo,
  table: TableDescription,
  mode: string,
  advice: CapacityAdvice,
  start: number,
  end: number,
) {
  const rate = (value: number) => value.toFixed(value < 10 ? 2 : 1).padStart(10);
  const { reads, writes } = advice.provisioned;
  io.out(`Capacity advice for ${table.TableName} (${mode === 'PROVISIONED' ? 'provisioned' : 'on-demand'} now)`);
  io.out(
    `Usage: ConsumedRead/WriteCapacityUnits, ${advice.periodSeconds / 60}-minute sums, ${iso(start)} to ${iso(end)} ` +
      `(${advice.windowDays} days).`,
  );
  io.out('');
  io.out(`${''.padEnd(12)}${'reads/s'.padStart(10)}${'writes/s'.padStart(10)}`);
  for (const key of ['average', 'median', 'p99', 'peak'] as const) {
    io.out(`${key.padEnd(12)}${rate(advice.reads[key])}${rate(advice.writes[key])}`);
  }
  io.out('');
  io.out(`Monthly cost (${HOURS_PER_MONTH} h, this window's usage repeated):`);
  io.out(
    `  on-demand                   ${money(advice.onDemand.monthlyCost).padStart(9)}  = ` +
      `${millions(advice.onDemand.monthlyReadUnits)} M read units x $${PRICES.onDemandReadPerMillion}/M + ` +
      `${millions(advice.onDemand.monthlyWriteUnits)} M write units x $${PRICES.onDemandWritePerMillion}/M`,
  );
  io.out(
    `  provisioned, auto scaling   ${money(advice.provisioned.monthlyCost).padStart(9)}  = ` +
      `${reads.averageProvisioned.toFixed(1)} RCU x $${PRICES.provisionedReadPerUnitHour}/h + ` +
      `${writes.averageProvisioned.toFixed(1)} WCU x $${PRICES.provisionedWritePerUnitHour}/h, on average`,
  );
  io.out(
    `  recommended auto scaling: reads min ${reads.plan.min} max ${reads.plan.max} RCU, writes min ${writes.plan.min} ` +
      `max ${writes.plan.max} WCU, target ${reads.plan.targetPercent}% (reads) / ${writes.plan.targetPercent}% (writes)`,
  );
  io.out(
    `  periods with more traffic than provisioned (throttled beyond burst capacity): ` +
      `${Math.round(advice.provisioned.throttledShare * 10_000) / 100}%`,
  );
  io.out('');
  io.out(
    `Assumptions: ${PRICES.region} list prices, ${PRICES.tableClass} table class, as of ${PRICES.asOf} (check the ` +
      'DynamoDB pricing page); no free tier or reserved capacity; the table only (each GSI consumes and is billed ' +
      'separately; storage, backups and PITR are not included); auto scaling modelled as target tracking: the ' +
      `highest rate of the last ${SCALE_IN_WINDOW_MINUTES} minutes seen ${SCALE_OUT_DELAY_MINUTES} minutes late, ` +
      'divided by the target, within min..max. See docs/dynamodb-scaling-guide.md.',
  );
  io.out(`Recommendation: ${advice.summary}`);
}

function unreachable(error: unknown, clients: AwsClients): Error | undefined {
  const failure = error as NodeJS.ErrnoException;
  const where = clients.endpoint ?? process.env.AWS_ENDPOINT_URL;
  if (where && (failure?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(failure?.message)))) {
    return new EndpointUnreachableError(
      `nothing answers at ${where}: start the local service first (rds-ops local serve), or check --endpoint.`,
      { cause: error },
    );
  }
  return undefined;
}

function millions(units: number): string {
  return (units / 1e6).toFixed(units < 1e6 ? 3 : 1);
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/:00\.000Z$/, 'Z');
}

function kebab(id: string): string {
  return id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
