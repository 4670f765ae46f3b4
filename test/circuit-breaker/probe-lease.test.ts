import { createApp } from '../../lib/app';
import { assertLeaseOutlastsProbe, worstCaseTaskSeconds } from '../../lib/circuit-breaker/probe-lease';

const listInstances = {
  TimeoutSeconds: 30,
  Retry: [{ IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 20 }],
};

describe('probe lease', () => {
  it('takes the worst case of a protected Task as every attempt timing out plus every capped delay', () => {
    expect(worstCaseTaskSeconds(listInstances)).toBe(5 * 30 + (2 + 4 + 8 + 16));
    expect(worstCaseTaskSeconds({})).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a lease shorter than the probe, naming the config key and the minimum', () => {
    expect(() => assertLeaseOutlastsProbe('rds-api', 120, 'List RDS instances', listInstances)).toThrow(
      /Invalid config "circuits\.rds-api\.probeLeaseSeconds": expected at least 300 .*"List RDS instances".*120 s for the breaker calls.*got 120/,
    );
    expect(() => assertLeaseOutlastsProbe('rds-api', 300, 'List RDS instances', listInstances)).not.toThrow();
  });

  it('refuses to gate a Task that has no TimeoutSeconds, which never times out on AWS', () => {
    expect(() => assertLeaseOutlastsProbe('rds-api', 3600, 'List RDS instances', { Retry: [] })).toThrow(
      /give that Task a TimeoutSeconds/,
    );
  });

  it('fails synth when the configured lease is too short for the gated workflow', () => {
    const synth = () =>
      createApp({ skipBundling: true, nag: false, context: { 'circuits.rds-api.probeLeaseSeconds': 60 } });

    expect(synth).toThrow(/circuits\.rds-api\.probeLeaseSeconds/);
  });
});
