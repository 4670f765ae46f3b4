/**
 * The breaker machine's definition: valid ASL, drawn once with English names, every write conditional,
 * every Task bounded and caught (the breaker always answers), and in step with the TypeScript constants
 * (announcement names, the Cause patterns of ill health).
 */
import {
  CIRCUIT_EVENT_DETAIL_TYPE,
  CIRCUIT_EVENT_SOURCE,
  CIRCUIT_METRIC_NAMESPACE,
  CIRCUIT_STATE_METRIC,
  UNHEALTHY_CAUSE_PATTERNS,
} from '../../lib/circuit-breaker';
import { checkSubstitutions, findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { danglingTargets, unreachableStates } from '../helpers/asl-graph';
import { BREAKER_SUBSTITUTIONS, readAsl, substitutedDefinition, validateAsl } from './asl-fixtures';

type AslState = Record<string, unknown> & { Type: string };
const text = readAsl('circuit-breaker');
const definition = substitutedDefinition(text, BREAKER_SUBSTITUTIONS) as {
  StartAt: string;
  States: Record<string, AslState>;
};
const states = Object.entries(definition.States);
const params = (name: string) => definition.States[name]!.Parameters as Record<string, unknown>;
const tasks = states.filter(([, state]) => state.Type === 'Task');
const updates = tasks.filter(([, state]) => String(state.Resource).endsWith(':dynamodb:updateItem'));

describe('circuit-breaker.asl.json', () => {
  it('validates with asl-validator, uses JSONPath only and exactly its two placeholders', () => {
    const result = validateAsl(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
    expect(findUnsupportedFeatures(definition)).toEqual([]);
    expect(() => checkSubstitutions('circuit-breaker.asl.json', text, BREAKER_SUBSTITUTIONS)).not.toThrow();
  });

  it('has no dangling or unreachable states', () => {
    expect(danglingTargets(definition)).toEqual([]);
    expect(unreachableStates(definition)).toEqual([]);
  });

  it('always answers: no Fail state, and every Task is bounded, retried with capped jitter and caught', () => {
    expect(states.filter(([, state]) => state.Type === 'Fail')).toEqual([]);
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const retries = (state.Retry ?? []) as Record<string, unknown>[];
      const caught = ((state.Catch ?? []) as { ErrorEquals: string[] }[]).flatMap((c) => c.ErrorEquals);
      expect({ name, timeout: state.TimeoutSeconds, catchesAll: caught.includes('States.ALL') }).toEqual({
        name,
        timeout: 10,
        catchesAll: true,
      });
      expect(retries.length).toBeGreaterThan(0);
      for (const retry of retries)
        expect(retry).toEqual(expect.objectContaining({ JitterStrategy: 'FULL', MaxDelaySeconds: 4 }));
    }
  });

  it('answers a check with a decision document in every ending state reachable from a check', () => {
    const decisions = states.filter(
      ([, state]) => state.End === true && 'decision' in ((state.Parameters ?? {}) as object),
    );

    expect(decisions.map(([name]) => name).sort()).toEqual([
      'Let the call through',
      'Let the call through and ask for the outcome',
      'Let the call through as the probe',
      'Let the call through without the circuit',
      'Refuse the call: another execution is probing',
      'Refuse the call: the circuit is open',
      'Refuse the call: the circuit state is unknown',
    ]);
    for (const [name, state] of decisions) {
      const document = state.Parameters as Record<string, unknown>;
      expect(Object.keys(document)).toEqual(
        expect.arrayContaining(['circuit.$', 'decision', 'reportSuccess', 'state']),
      );
      if (document.decision === 'REFUSE') {
        expect({ name, Error: document.Error, cause: typeof document['Cause.$'] }).toEqual({
          name,
          Error: expect.stringMatching(/^Circuit(Open|Unavailable)Error$/),
          cause: 'string',
        });
      }
    }
  });

  it('reads the circuit with one strongly consistent GetItem and changes it only with conditional writes', () => {
    expect(params('Read the circuit')).toEqual(expect.objectContaining({ ConsistentRead: true }));
    expect(updates.length).toBeGreaterThan(8);
    for (const [, state] of [...updates, ...tasks.filter(([, s]) => String(s.Resource).endsWith(':putItem'))]) {
      expect((state.Parameters as { ConditionExpression?: string }).ConditionExpression).toEqual(expect.any(String));
    }
  });

  it('guards every transition with its state and a version compare-and-set, the lease holder or the threshold', () => {
    const condition = (name: string) => params(name).ConditionExpression;

    expect(condition('Take the probe lease')).toBe('#state = :open AND #version = :seen AND openUntil <= :now');
    expect(condition('Take over the expired probe lease')).toBe(
      '#state = :halfOpen AND #version = :seen AND probeLeaseUntil <= :now',
    );
    expect(condition('Open the circuit')).toBe('#state = :closed AND #version = :seen AND failureCount >= :threshold');
    expect(condition('Reopen the circuit')).toBe('#state = :halfOpen AND probeHolder = :me');
    expect(condition('Close the circuit')).toBe('#state = :halfOpen AND successCount >= :threshold');
    expect(condition('Record the successful probe')).toBe(
      '#state = :halfOpen AND probeHolder = :me AND NOT contains(probedBy, :me)',
    );
    expect(params('Count the failure').UpdateExpression).toMatch(/^ADD failureCount :one/);
  });

  it('sends only the expression names and values each write uses (DynamoDB rejects unused ones)', () => {
    expect(updates.length).toBeGreaterThan(8);
    for (const [, state] of updates) {
      const p = state.Parameters as Record<string, Record<string, unknown>>;
      const expression = `${p.UpdateExpression} ${p.ConditionExpression}`;
      for (const name of Object.keys(p.ExpressionAttributeNames ?? {})) expect(expression).toContain(name);
      for (const value of Object.keys(p.ExpressionAttributeValues ?? {})) expect(expression).toContain(value);
    }
  });

  it('counts a Cause as ill health with exactly the patterns the model uses', () => {
    const choices = definition.States['Does the error count against the circuit?']!.Choices as Record<
      string,
      unknown
    >[];
    const causes = choices.flatMap((choice) =>
      ((choice.Or as { StringMatches?: string }[] | undefined) ?? []).map((rule) => rule.StringMatches),
    );

    expect(causes).toEqual(UNHEALTHY_CAUSE_PATTERNS);
  });

  it('announces transitions with the names the CLI and dashboards use', () => {
    const entry = (params('Announce the circuit state change').Entries as Record<string, unknown>[])[0];
    const metric = params('Publish the circuit state metric');

    expect(entry).toEqual(
      expect.objectContaining({
        Source: CIRCUIT_EVENT_SOURCE,
        DetailType: CIRCUIT_EVENT_DETAIL_TYPE,
        EventBusName: BREAKER_SUBSTITUTIONS.EventBusName,
      }),
    );
    expect(metric.Namespace).toBe(CIRCUIT_METRIC_NAMESPACE);
    expect((metric.MetricData as { MetricName: string }[])[0]!.MetricName).toBe(CIRCUIT_STATE_METRIC);
    expect(params('Count the unreachable circuit table').Namespace).toBe(CIRCUIT_METRIC_NAMESPACE);
  });
});
