import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { circuitStateMetric } from '../../../lib/circuit-breaker/announcement';
import {
  CUSTOM_METRICS,
  WORKFLOW_NAMESPACE_PATTERN,
  workflowMetricsNamespace,
} from '../../../lib/observability/metric-names';
import { synthApp } from '../../helpers/cdk';

const MACHINES_DIR = join(__dirname, '..', '..', '..', 'state-machines');

interface PublishedMetric {
  readonly file: string;
  readonly state: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: string[];
}

/** Every datum of every putMetricData Task in the ASL files, Map and Parallel states included. */
function publishedByDefinitions(): PublishedMetric[] {
  const found: PublishedMetric[] = [];
  const walk = (file: string, states: Record<string, Record<string, unknown>>) => {
    for (const [state, definition] of Object.entries(states)) {
      if (String(definition.Resource).endsWith(':cloudwatch:putMetricData')) {
        const parameters = definition.Parameters as { Namespace: string; MetricData: Record<string, unknown>[] };
        for (const datum of parameters.MetricData) {
          found.push({
            file,
            state,
            namespace: parameters.Namespace,
            metricName: String(datum.MetricName),
            dimensions: ((datum.Dimensions as { Name: string }[] | undefined) ?? []).map((dimension) => dimension.Name),
          });
        }
      }
      const inner = (definition.ItemProcessor ?? definition.Iterator) as
        | { States: Record<string, Record<string, unknown>> }
        | undefined;
      if (inner) walk(file, inner.States);
      for (const branch of (definition.Branches as { States: Record<string, Record<string, unknown>> }[] | undefined) ??
        []) {
        walk(file, branch.States);
      }
    }
  };
  for (const file of readdirSync(MACHINES_DIR).filter((name) => name.endsWith('.asl.json'))) {
    walk(file, JSON.parse(readFileSync(join(MACHINES_DIR, file), 'utf8')).States);
  }
  return found;
}

describe('the custom metric catalog', () => {
  const published = publishedByDefinitions();

  it('lists every metric a workflow publishes, with the dimensions it publishes', () => {
    // Prepare
    expect(published.length).toBeGreaterThan(0);

    // Assess
    for (const metric of published) {
      const listed = CUSTOM_METRICS.find(
        (entry) => entry.namespace === metric.namespace && entry.metricName === metric.metricName,
      );
      expect({ ...metric, listed: listed?.dimensions }).toEqual({ ...metric, listed: metric.dimensions });
      expect(listed?.status).toBe('published');
    }
  });

  it('marks a metric published only when code in this repository publishes it', () => {
    // Prepare: what the workflows publish, what `rds-ops circuits` publishes, and the metric filters of the app
    const cliMetric = circuitStateMetric({ circuit: 'rds-api', to: 'OPEN' }).MetricData[0]!;
    const filters = Object.values(synthApp().workflows.findResources('AWS::Logs::MetricFilter')).flatMap(
      (filter) => filter.Properties.MetricTransformations as { MetricNamespace: string; MetricName: string }[],
    );
    const workflowPrefix = workflowMetricsNamespace('');
    const producers = [
      ...published.map((metric) => `${metric.namespace} ${metric.metricName}`),
      `${circuitStateMetric({ circuit: 'x', to: 'OPEN' }).Namespace} ${cliMetric.MetricName}`,
      ...filters.map(
        (transformation) =>
          `${transformation.MetricNamespace.startsWith(workflowPrefix) ? WORKFLOW_NAMESPACE_PATTERN : transformation.MetricNamespace} ${transformation.MetricName}`,
      ),
    ];
    expect(filters.length).toBeGreaterThan(0);

    // Assess
    const claimed = CUSTOM_METRICS.filter((entry) => entry.status === 'published');
    expect(claimed.length).toBeGreaterThan(0);
    for (const entry of claimed) expect(producers).toContain(`${entry.namespace} ${entry.metricName}`);
  });
});
