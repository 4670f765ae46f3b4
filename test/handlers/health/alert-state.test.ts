import fc from 'fast-check';
import {
  type AlertEvent,
  type AlertItem,
  applyHealthEvent,
  type Enrichment,
  isNewerThanState,
} from '../../../handlers/health/alert-state';

const NOW = '2026-03-20T00:00:00.000Z';
const KNOWN: Enrichment = {
  inventory: 'KNOWN',
  engine: 'postgres',
  instanceClass: 'db.r6g.large',
  instanceStatus: 'available',
};

function event(effect: 'RAISE' | 'RESOLVE', time: string, id: string, overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    alertId: 'alarm#arn:aws:cloudwatch:us-east-1:123456789012:alarm:free-storage',
    source: 'cloudwatch-alarm',
    effect,
    condition: 'free-storage',
    severity: 'CRITICAL',
    title: `alarm is ${effect === 'RAISE' ? 'ALARM' : 'OK'}`,
    message: `${effect} at ${time}`,
    eventId: id,
    eventTime: `2026-03-19T${time}:00.000Z`,
    eventCode: effect === 'RAISE' ? 'ALARM' : 'OK',
    instanceId: 'payments-prod-pg-01',
    ...overrides,
  };
}

/** Applies events in order, each once, as the handler does after its duplicate check. */
function replay(events: readonly AlertEvent[], enrichment: Enrichment = KNOWN): AlertItem | undefined {
  return events.reduce<AlertItem | undefined>(
    (item, next) => applyHealthEvent(item, next, enrichment, NOW).item,
    undefined,
  );
}

describe('applyHealthEvent', () => {
  it('creates an OPEN alert on its first raise, with first/last seen, one occurrence and the instance link', () => {
    const { item, outcome } = applyHealthEvent(undefined, event('RAISE', '10:00', 'e1'), KNOWN, NOW);

    expect(outcome).toBe('CREATED');
    expect(item).toEqual(
      expect.objectContaining({
        status: 'OPEN',
        severity: 'CRITICAL',
        raisedAt: '2026-03-19T10:00:00.000Z',
        firstSeenAt: '2026-03-19T10:00:00.000Z',
        lastSeenAt: '2026-03-19T10:00:00.000Z',
        occurrenceCount: 1,
        stateEventId: 'e1',
        instanceId: 'payments-prod-pg-01',
        inventory: 'KNOWN',
        engine: 'postgres',
        version: 1,
        updatedAt: NOW,
      }),
    );
    expect(item).not.toHaveProperty('resolvedAt', expect.anything());
  });

  it('counts a second raise of an open alert without moving raisedAt, then resolves, then reopens', () => {
    const opened = replay([event('RAISE', '10:00', 'e1')])!;
    const again = applyHealthEvent(opened, event('RAISE', '10:05', 'e2', { severity: 'HIGH' }), KNOWN, NOW);
    const resolved = applyHealthEvent(again.item, event('RESOLVE', '10:10', 'e3'), KNOWN, NOW);
    const reopened = applyHealthEvent(resolved.item, event('RAISE', '11:00', 'e4'), KNOWN, NOW);

    expect(again.outcome).toBe('UPDATED');
    expect(again.item).toEqual(
      expect.objectContaining({ occurrenceCount: 2, raisedAt: '2026-03-19T10:00:00.000Z', severity: 'HIGH' }),
    );
    expect(resolved.outcome).toBe('RESOLVED');
    expect(resolved.item).toEqual(
      expect.objectContaining({ status: 'RESOLVED', resolvedAt: '2026-03-19T10:10:00.000Z', occurrenceCount: 2 }),
    );
    expect(reopened.outcome).toBe('REOPENED');
    expect(reopened.item).toEqual(
      expect.objectContaining({ status: 'OPEN', raisedAt: '2026-03-19T11:00:00.000Z', occurrenceCount: 3, version: 4 }),
    );
    expect(reopened.item.resolvedAt).toBeUndefined();
  });

  it('never lets an older event change the status: a late raise after the resolution only counts', () => {
    const resolvedFirst = replay([event('RESOLVE', '10:10', 'e2')])!;
    const late = applyHealthEvent(resolvedFirst, event('RAISE', '10:00', 'e1'), KNOWN, NOW);

    expect(resolvedFirst).toEqual(expect.objectContaining({ status: 'RESOLVED', occurrenceCount: 0 }));
    expect(resolvedFirst.raisedAt).toBeUndefined();
    expect(late.outcome).toBe('STALE');
    expect(late.item).toEqual(
      expect.objectContaining({
        status: 'RESOLVED',
        stateEventId: 'e2',
        raisedAt: '2026-03-19T10:00:00.000Z',
        resolvedAt: '2026-03-19T10:10:00.000Z',
        firstSeenAt: '2026-03-19T10:00:00.000Z',
        lastSeenAt: '2026-03-19T10:10:00.000Z',
        occurrenceCount: 1,
      }),
    );
  });

  it('orders events of the same time by event id', () => {
    const opened = replay([event('RAISE', '10:00', 'b')])!;

    expect(isNewerThanState(event('RESOLVE', '10:00', 'a'), opened)).toBe(false);
    expect(isNewerThanState(event('RESOLVE', '10:00', 'c'), opened)).toBe(true);
  });

  it('keeps what an earlier event learned about the instance when RDS cannot be asked', () => {
    const opened = replay([event('RAISE', '10:00', 'e1')])!;
    const { item } = applyHealthEvent(
      opened,
      event('RAISE', '10:05', 'e2'),
      { inventory: 'UNAVAILABLE', enrichmentError: 'CircuitOpenError' },
      NOW,
    );

    expect(item).toEqual(
      expect.objectContaining({ inventory: 'KNOWN', engine: 'postgres', enrichmentError: 'CircuitOpenError' }),
    );
  });

  it('ends in the same status, counts and first/last seen whatever order the events arrive in', () => {
    const times = ['10:00', '10:05', '10:10', '10:15', '10:20', '10:25'];
    const sequences = fc
      .array(fc.constantFrom<'RAISE' | 'RESOLVE'>('RAISE', 'RESOLVE'), { minLength: 1, maxLength: times.length })
      .map((effects) => effects.map((effect, index) => event(effect, times[index]!, `e${index}`)));

    fc.assert(
      fc.property(
        sequences.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([inOrder, shuffled]) => {
          const expected = replay(inOrder)!;
          const actual = replay(shuffled)!;
          const pick = (item: AlertItem) => ({
            status: item.status,
            stateEventId: item.stateEventId,
            occurrenceCount: item.occurrenceCount,
            firstSeenAt: item.firstSeenAt,
            lastSeenAt: item.lastSeenAt,
            resolvedAt: item.status === 'RESOLVED' ? item.resolvedAt : undefined,
          });
          expect(pick(actual)).toEqual(pick(expected));
        },
      ),
    );
  });
});
