import { VirtualClock } from '../../../local/clock';
import { RuleRegistry, type StoredRule } from '../../../local/events/rule-registry';
import { RuleSchedules } from '../../../local/events/rule-schedules';
import type { RuleSpec } from '../../../local/events/types';

const START = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

function scheduled(scheduleExpression: string, state: RuleSpec['state'] = 'ENABLED'): RuleSpec {
  return {
    name: 'refresh',
    arn: 'arn:aws:events:us-east-1:000000000000:rule/refresh',
    eventBusName: 'default',
    scheduleExpression,
    state,
    targets: [],
  };
}

function prepare() {
  const clock = new VirtualClock({ startAt: START, autoAdvance: false });
  const rules = new RuleRegistry();
  const fired: string[] = [];
  const schedules = new RuleSchedules(clock, rules, (rule: StoredRule) =>
    fired.push(`${rule.spec.scheduleExpression}@${new Date(clock.now()).toISOString()}`),
  );
  const put = (spec: RuleSpec) => schedules.changed(rules.add(spec));
  return { clock, schedules, fired, put };
}

describe('rule schedules', () => {
  it('fires a rule replaced while schedules run on its new schedule only', () => {
    // Prepare
    const { clock, schedules, fired, put } = prepare();
    put(scheduled('rate(1 hour)'));
    schedules.start();

    // Act
    clock.advance(10 * MINUTE);
    put(scheduled('rate(30 minutes)'));
    clock.advance(70 * MINUTE);

    // Assess: 30 minutes from the replacement, then every 30 minutes; the hourly timer is gone
    expect(fired).toEqual(['rate(30 minutes)@2026-01-01T00:40:00.000Z', 'rate(30 minutes)@2026-01-01T01:10:00.000Z']);
    schedules.stop();
  });

  it('stops firing a rule disabled while schedules run, and leaves no timer behind', () => {
    // Prepare
    const { clock, schedules, fired, put } = prepare();
    put(scheduled('rate(5 minutes)'));
    schedules.start();
    clock.advance(5 * MINUTE);

    // Act
    put(scheduled('rate(5 minutes)', 'DISABLED'));
    clock.advance(60 * MINUTE);

    // Assess
    expect(fired).toEqual(['rate(5 minutes)@2026-01-01T00:05:00.000Z']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('arms nothing before start and cancels every timer on stop', () => {
    const { clock, schedules, fired, put } = prepare();
    put(scheduled('rate(1 minute)'));
    clock.advance(5 * MINUTE);
    expect(fired).toEqual([]);

    schedules.start();
    schedules.stop();

    expect(clock.pendingTimers).toBe(0);
  });
});
