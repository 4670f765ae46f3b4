/**
 * A metric in the embedded metric format, printed as one log line: CloudWatch Logs extracts it from the
 * function's log group, so no `cloudwatch:PutMetricData` grant is needed. Takes the PutMetricData input the
 * CLI sends, so a metric has one shape whoever publishes it.
 */

export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Value: number;
  readonly Unit: string;
}

export interface MetricInput {
  readonly Namespace: string;
  readonly MetricData: readonly MetricDatum[];
}

/** One EMF document per datum (each has its own dimension values). */
export function emfDocuments(input: MetricInput, timestamp: number): Record<string, unknown>[] {
  return input.MetricData.map((datum) => ({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: input.Namespace,
          Dimensions: [datum.Dimensions.map((dimension) => dimension.Name)],
          Metrics: [{ Name: datum.MetricName, Unit: datum.Unit }],
        },
      ],
    },
    ...Object.fromEntries(datum.Dimensions.map((dimension) => [dimension.Name, dimension.Value])),
    [datum.MetricName]: datum.Value,
  }));
}

export function printEmf(input: MetricInput, timestamp: number): void {
  for (const document of emfDocuments(input, timestamp)) process.stdout.write(`${JSON.stringify(document)}\n`);
}
