import { busNameOf, eventFromEntry, scheduledEvent } from '../../../local/events/event-envelope';

const context = {
  account: '111122223333',
  region: 'eu-west-1',
  now: Date.parse('2026-03-01T10:20:30.456Z'),
  newEventId: () => 'e-1',
};

describe('PutEvents entries into events', () => {
  it('wraps an entry in the envelope targets receive, on the bus its name or ARN says', () => {
    // Act
    const built = eventFromEntry(
      {
        Source: 'rds-ops.app',
        DetailType: 'Restore Requested',
        Detail: '{"table":"orders"}',
        Resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'],
        EventBusName: 'arn:aws:events:eu-west-1:111122223333:event-bus/ops',
      },
      context,
    );

    // Assess
    expect(built).toEqual({
      busName: 'ops',
      event: {
        version: '0',
        id: 'e-1',
        'detail-type': 'Restore Requested',
        source: 'rds-ops.app',
        account: '111122223333',
        time: '2026-03-01T10:20:30Z',
        region: 'eu-west-1',
        resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'],
        detail: { table: 'orders' },
      },
    });
  });

  it.each([
    [{ DetailType: 'x', Detail: '{}' }, 'InvalidArgument', /Source is a required argument/],
    [{ Source: 's', DetailType: 'x', Detail: '[1]' }, 'MalformedDetail', /JSON text of an object/],
    [{ Source: 's', DetailType: 'x', Detail: '{' }, 'MalformedDetail', /JSON text of an object/],
    [{ Source: 's', DetailType: 'x', Detail: '{}', Time: 'yesterday' }, 'InvalidArgument', /Time is not valid/],
  ])('reports %j as the per-entry failure PutEvents gives', (entry, errorCode, message) => {
    const built = eventFromEntry(entry, context);

    expect(built).toEqual({ errorCode, errorMessage: expect.stringMatching(message) });
  });

  it('names the default bus when the entry names none', () => {
    expect([busNameOf(undefined), busNameOf(''), busNameOf('ops')]).toEqual(['default', 'default', 'ops']);
  });

  it('builds the Scheduled Event of a rule', () => {
    const rule = {
      name: 'hourly',
      arn: 'arn:aws:events:eu-west-1:111122223333:rule/hourly',
      eventBusName: 'default',
      state: 'ENABLED' as const,
      targets: [],
    };

    expect(scheduledEvent(rule, context)).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-03-01T10:20:30Z',
      resources: [rule.arn],
      detail: {},
    });
  });
});
