/**
 * What a restore copies from a source table: keys, attribute definitions, secondary indexes and billing
 * (as AWS does), and nothing else: no TTL, streams, tags, deletion protection or PITR.
 */
import type { WireBody } from './wire';

/** A CreateTable request body (wire form) that recreates a table's schema. */
export type CreateTableBody = WireBody & { TableName: string };

/** The restore overrides AWS accepts, in wire form. */
export interface RestoreOverrides {
  readonly BillingModeOverride?: string;
  readonly ProvisionedThroughputOverride?: WireBody;
  readonly GlobalSecondaryIndexOverride?: WireBody[];
  readonly LocalSecondaryIndexOverride?: WireBody[];
}

type Index = WireBody & { IndexName?: string; KeySchema?: WireBody[]; Projection?: WireBody };

/** Turns a DescribeTable `Table` into the CreateTable body of a copy named `targetName`. */
export function createTableBodyFrom(
  table: WireBody,
  targetName: string,
  overrides: RestoreOverrides = {},
): CreateTableBody {
  const billingSummary = table.BillingModeSummary as WireBody | undefined;
  const billingMode = overrides.BillingModeOverride ?? (billingSummary?.BillingMode as string) ?? 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED';
  const throughputOf = (source: WireBody | undefined) => ({
    ReadCapacityUnits: Math.max(1, Number(source?.ReadCapacityUnits ?? 1)),
    WriteCapacityUnits: Math.max(1, Number(source?.WriteCapacityUnits ?? 1)),
  });

  const gsis = (overrides.GlobalSecondaryIndexOverride ?? (table.GlobalSecondaryIndexes as Index[] | undefined))?.map(
    (index: Index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ...(provisioned ? { ProvisionedThroughput: throughputOf(index.ProvisionedThroughput as WireBody) } : {}),
    }),
  );
  const lsis = (overrides.LocalSecondaryIndexOverride ?? (table.LocalSecondaryIndexes as Index[] | undefined))?.map(
    (index: Index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }),
  );

  const keySchema = table.KeySchema as WireBody[];
  const usedAttributes = new Set(
    [keySchema, ...(gsis ?? []).map((index) => index.KeySchema), ...(lsis ?? []).map((index) => index.KeySchema)]
      .flatMap((schema) => (schema ?? []) as WireBody[])
      .map((element) => element.AttributeName),
  );
  const attributeDefinitions = (table.AttributeDefinitions as WireBody[]).filter((definition) =>
    usedAttributes.has(definition.AttributeName),
  );

  return {
    TableName: targetName,
    KeySchema: keySchema,
    AttributeDefinitions: attributeDefinitions,
    BillingMode: billingMode,
    ...(provisioned
      ? {
          ProvisionedThroughput:
            overrides.ProvisionedThroughputOverride ?? throughputOf(table.ProvisionedThroughput as WireBody),
        }
      : {}),
    ...(gsis && gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis && lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
  };
}

export function restoreOverridesOf(body: WireBody): RestoreOverrides {
  return {
    BillingModeOverride: body.BillingModeOverride as string | undefined,
    ProvisionedThroughputOverride: body.ProvisionedThroughputOverride as WireBody | undefined,
    GlobalSecondaryIndexOverride: body.GlobalSecondaryIndexOverride as WireBody[] | undefined,
    LocalSecondaryIndexOverride: body.LocalSecondaryIndexOverride as WireBody[] | undefined,
  };
}
