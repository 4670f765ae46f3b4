import { DEFAULT_ALARM_SEVERITY } from '../../../handlers/health/alarm-event';
import { describeHealthEvent, handler } from '../../../handlers/health/describe-health-event';
import { normalizeEventTime } from '../../../handlers/health/health-event';
import { HEALTH_CATEGORIES, RDS_EVENT_MEANINGS } from '../../../handlers/health/rds-event';
import { InvalidInputError } from '../../../handlers/shared/errors';
import { RDS_EVENT_CATEGORIES } from '../../../lib/workflows/health-alert-ingestion-workflow';
import { alarmEvent, rdsEvent } from '../../helpers/health-events';
import { captureOutput } from '../../helpers/lambda';

describe('describeHealthEvent: CloudWatch alarm state changes', () => {
  it('raises the alarm alert on ALARM, with the instance from the DBInstanceIdentifier dimension', () => {
    const described = describeHealthEvent(alarmEvent({ dimensions: { DBInstanceIdentifier: 'Payments-Prod-PG-01' } }));

    expect(described).toEqual({
      alertId: 'alarm#arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-prod-pg-01-free-storage',
      source: 'cloudwatch-alarm',
      effect: 'RAISE',
      condition: 'payments-prod-pg-01-free-storage',
      severity: 'CRITICAL',
      title: 'payments-prod-pg-01: alarm payments-prod-pg-01-free-storage is ALARM',
      message: expect.stringContaining('Threshold Crossed'),
      eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
      eventTime: '2026-03-19T19:34:09.293Z',
      eventCode: 'ALARM',
      alarmName: 'payments-prod-pg-01-free-storage',
      metricName: 'FreeStorageSpace',
      instanceId: 'payments-prod-pg-01',
    });
  });

  it('resolves on OK and ignores INSUFFICIENT_DATA, on the same alert', () => {
    const ok = describeHealthEvent(alarmEvent({ state: 'OK' }));
    const unknown = describeHealthEvent(alarmEvent({ state: 'INSUFFICIENT_DATA' }));

    expect(ok).toEqual(expect.objectContaining({ effect: 'RESOLVE', severity: 'CRITICAL', eventCode: 'OK' }));
    expect(unknown).toEqual(
      expect.objectContaining({ effect: 'IGNORE', ignoredBecause: expect.stringContaining('INSUFFICIENT_DATA') }),
    );
    expect(new Set([ok.alertId, unknown.alertId]).size).toBe(1);
  });

  it.each([
    ['ReplicaLag', 'HIGH'],
    ['CPUUtilization', DEFAULT_ALARM_SEVERITY],
    ['FreeLocalStorage', 'CRITICAL'],
  ])('maps an alarm on %s to severity %s', (metricName, severity) => {
    expect(describeHealthEvent(alarmEvent({ metricName })).severity).toBe(severity);
  });

  it('reads the RDS metric of a metric-math alarm and the cluster of a DBClusterIdentifier alarm', () => {
    const described = describeHealthEvent(
      alarmEvent({
        metrics: [
          { id: 'e1', expression: 'm1 / 1e9', returnData: true },
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: 'AWS/RDS', name: 'AuroraReplicaLag', dimensions: { DBClusterIdentifier: 'ledger' } },
            },
          },
        ],
      }),
    );

    expect(described).toEqual(
      expect.objectContaining({
        effect: 'RAISE',
        severity: 'HIGH',
        clusterId: 'ledger',
        metricName: 'AuroraReplicaLag',
      }),
    );
    expect(described).not.toHaveProperty('instanceId');
  });

  it('ignores an alarm on no AWS/RDS metric (a composite alarm has none)', () => {
    expect(describeHealthEvent(alarmEvent({ metrics: [] }))).toEqual(
      expect.objectContaining({ effect: 'IGNORE', ignoredBecause: 'the alarm watches no AWS/RDS metric' }),
    );
  });
});

describe('describeHealthEvent: RDS events', () => {
  it('raises the availability condition of an instance on RDS-EVENT-0004 and resolves it on RDS-EVENT-0006', () => {
    const shutdown = describeHealthEvent(rdsEvent({ eventId: 'RDS-EVENT-0004' }));
    const restarted = describeHealthEvent(
      rdsEvent({ id: 'other', eventId: 'RDS-EVENT-0006', message: 'DB instance restarted' }),
    );

    expect(shutdown).toEqual({
      alertId: 'rds#arn:aws:rds:us-east-1:123456789012:db:payments-prod-pg-01#availability',
      source: 'rds-event',
      effect: 'RAISE',
      condition: 'availability',
      severity: 'HIGH',
      title: 'payments-prod-pg-01: DB instance shutdown (RDS-EVENT-0004)',
      message: 'DB instance shutdown',
      eventId: 'a19938cd-14c7-8d2e-9d66-e9db582d2f4d',
      eventTime: '2026-03-19T19:34:09.293Z',
      eventCode: 'RDS-EVENT-0004',
      instanceId: 'payments-prod-pg-01',
    });
    expect(restarted).toEqual(expect.objectContaining({ effect: 'RESOLVE', alertId: shutdown.alertId }));
  });

  it('puts a cluster failover and its completion on one cluster alert, without an instance', () => {
    const started = describeHealthEvent(
      rdsEvent({ cluster: true, identifier: 'ledger-prod', categories: ['failover'], eventId: 'RDS-EVENT-0073' }),
    );
    const completed = describeHealthEvent(
      rdsEvent({ cluster: true, identifier: 'ledger-prod', categories: ['failover'], eventId: 'RDS-EVENT-0071' }),
    );

    expect(started).toEqual(expect.objectContaining({ effect: 'RAISE', clusterId: 'ledger-prod' }));
    expect(completed).toEqual(expect.objectContaining({ effect: 'RESOLVE', alertId: started.alertId }));
    expect(started.alertId).toBe('rds#arn:aws:rds:us-east-1:123456789012:cluster:ledger-prod#failover');
    expect(started).not.toHaveProperty('instanceId');
  });

  it('judges an unknown event id by its category: failures raise, maintenance notices are ignored', () => {
    expect(describeHealthEvent(rdsEvent({ eventId: 'RDS-EVENT-9999', categories: ['failure'] }))).toEqual(
      expect.objectContaining({ effect: 'RAISE', severity: 'CRITICAL', condition: 'failure' }),
    );
    expect(describeHealthEvent(rdsEvent({ eventId: 'RDS-EVENT-0155', categories: ['maintenance'] }))).toEqual(
      expect.objectContaining({ effect: 'IGNORE', ignoredBecause: expect.stringContaining('RDS-EVENT-0155') }),
    );
  });

  it('gives every known resolving id a raising id of the same condition', () => {
    const meanings = Object.values(RDS_EVENT_MEANINGS);
    const resolving = meanings.filter((meaning) => meaning.effect === 'RESOLVE');

    expect(resolving.length).toBeGreaterThan(3);
    for (const { condition } of resolving) {
      expect(meanings.some((meaning) => meaning.effect === 'RAISE' && meaning.condition === condition)).toBe(true);
    }
  });

  it('forwards exactly the categories the handler understands (the rule pattern in lib/)', () => {
    expect([...RDS_EVENT_CATEGORIES].sort()).toEqual([...HEALTH_CATEGORIES].sort());
  });
});

describe('describeHealthEvent: bad input', () => {
  it('refuses an event of another source, naming source and detail-type', () => {
    const ec2 = { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} };

    expect(() => describeHealthEvent(ec2)).toThrow(InvalidInputError);
    expect(() => describeHealthEvent(ec2)).toThrow(/source "aws.ec2", detail-type "EC2 Instance State-change/);
  });

  it('names every missing field of a malformed RDS event', () => {
    const event = rdsEvent();
    const broken = { ...event, id: '', detail: { ...event.detail, SourceIdentifier: undefined, SourceType: 3 } };

    expect(() => describeHealthEvent(broken)).toThrow(
      /Invalid RDS event: id: must be the EventBridge event id; detail.SourceType: .*; detail.SourceIdentifier: must be the DB instance or cluster identifier/,
    );
  });

  it('refuses an alarm whose state is unknown and whose times do not parse', () => {
    const event = alarmEvent();

    expect(() => describeHealthEvent({ ...event, detail: { ...event.detail, state: { value: 'BROKEN' } } })).toThrow(
      /detail.state.value: must be ALARM, OK or INSUFFICIENT_DATA/,
    );
    expect(() =>
      describeHealthEvent({
        ...event,
        time: 'yesterday',
        detail: { ...event.detail, state: { ...event.detail.state, timestamp: 'now' } },
      }),
    ).toThrow(/detail.state.timestamp "now" and time "yesterday" are not ISO-8601 times/);
  });

  it('reads CloudWatch offsets without a colon and leaves garbage undefined', () => {
    expect(normalizeEventTime('2019-10-02T17:04:40.989+0000')).toBe('2019-10-02T17:04:40.989Z');
    expect(normalizeEventTime('2019-10-02T19:04:40.989+0200')).toBe('2019-10-02T17:04:40.989Z');
    expect(normalizeEventTime('not a time')).toBeUndefined();
  });
});

describe('describe-health-event handler', () => {
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers with the described event and logs it under the correlation id', async () => {
    const described = await handler({ event: rdsEvent(), correlationId: 'arn:execution:1' });

    expect(described.effect).toBe('RAISE');
    expect(output.logs()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'health event described', correlationId: 'arn:execution:1' }),
      ]),
    );
  });

  it('fails with InvalidInputError (400, not retryable) and counts it', async () => {
    const failure = await handler({ event: 'not an object', correlationId: 'arn:execution:2' }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(InvalidInputError);
    expect(failure).toEqual(expect.objectContaining({ name: 'InvalidInputError', statusCode: 400, retryable: false }));
    expect((failure as Error).message).toMatch(/event: must be the EventBridge event/);
    expect(output.emf().map((document) => document.ErrorName)).toEqual(['InvalidInputError']);
  });
});
