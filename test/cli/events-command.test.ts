import { runCli } from '../helpers/cli';

const alarmEvent = JSON.stringify({
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  detail: { alarmName: 'rds-inventory-errors', state: { value: 'ALARM' } },
});

describe('rds-ops events test-pattern', () => {
  it('prints {"Result": true} when the event matches, like aws events test-event-pattern', async () => {
    const pattern = JSON.stringify({ source: ['aws.cloudwatch'], detail: { state: { value: ['ALARM'] } } });

    const result = await runCli(['events', 'test-pattern', '--event-pattern', pattern, '--event', alarmEvent]);

    expect(result).toEqual({ code: 0, out: '{"Result":true}\n', err: '' });
  });

  it('prints {"Result": false} when it does not', async () => {
    const pattern = JSON.stringify({ detail: { state: { value: ['OK'] } } });

    const result = await runCli(['events', 'test-pattern', '--event-pattern', pattern, '--event', alarmEvent]);

    expect(result.out).toBe('{"Result":false}\n');
  });

  it('exits 2 naming the unknown operator, without a stack trace', async () => {
    const pattern = JSON.stringify({ detail: { state: [{ 'begins-with': 'AL' }] } });

    const result = await runCli(['events', 'test-pattern', '--event-pattern', pattern, '--event', alarmEvent]);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/InvalidEventPatternError: .*detail\.state.*begins-with/);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('exits 2 when the event is not JSON', async () => {
    const result = await runCli([
      'events',
      'test-pattern',
      '--event-pattern',
      '{"source":["x"]}',
      '--event',
      '{not json',
    ]);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/InvalidInputError: --event: the value is not valid JSON/);
  });
});

describe('rds-ops usage', () => {
  it('exits 2 for an unknown command', async () => {
    const result = await runCli(['frobnicate']);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/unknown command "frobnicate"/);
  });

  it('exits 2 for an unknown flag, in one line', async () => {
    const result = await runCli(['events', 'test-pattern', '--evnt', '{}']);

    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });
});
