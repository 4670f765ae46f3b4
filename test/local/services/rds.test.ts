import { VirtualClock } from '../../../local/clock';
import { createRdsStandIn, type RdsInstanceFixture, ServiceError, seedFleet } from '../../../local/services';
import { UnknownParameterError } from '../../../local/services/errors';

async function walk(rds: ReturnType<typeof createRdsStandIn>, maxRecords?: number): Promise<string[][]> {
  const pages: string[][] = [];
  let marker: string | undefined;
  do {
    const page = await rds.describeDBInstances({ MaxRecords: maxRecords, ...(marker ? { Marker: marker } : {}) });
    pages.push(page.DbInstances.map((instance) => instance.DbInstanceIdentifier));
    marker = page.Marker;
  } while (marker);
  return pages;
}

describe('seedFleet', () => {
  it('gives the same fleet for the same seed and a different one for another seed', () => {
    // Act
    const first = seedFleet({ seed: 42 });
    const again = seedFleet({ seed: 42 });
    const other = seedFleet({ seed: 43 });

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('spreads 36 unique instances across every engine, several statuses, AZs and tags', () => {
    // Act
    const fleet = seedFleet({ seed: 7 });

    // Assess
    expect(fleet).toHaveLength(36);
    expect(new Set(fleet.map((instance) => instance.DbInstanceIdentifier)).size).toBe(36);
    expect(new Set(fleet.map((instance) => instance.Engine))).toEqual(
      new Set(['postgres', 'mysql', 'aurora-postgresql', 'aurora-mysql', 'mariadb', 'oracle-se2', 'sqlserver-se']),
    );
    expect(new Set(fleet.map((instance) => instance.DbInstanceStatus)).size).toBeGreaterThan(2);
    expect(new Set(fleet.map((instance) => instance.AvailabilityZone)).size).toBeGreaterThan(1);
    expect(fleet.some((instance) => instance.MultiAZ)).toBe(true);
    for (const instance of fleet) {
      expect(instance.TagList.map((tag) => tag.Key)).toEqual(['env', 'team']);
    }
  });
});

describe('RDS stand-in describeDBInstances', () => {
  const prepare = (fleet: RdsInstanceFixture[] = seedFleet({ seed: 3, count: 57 })) => {
    const clock = new VirtualClock({ autoAdvance: false });
    return { clock, rds: createRdsStandIn({ clock, fleet }) };
  };

  it('walks the whole fleet with Marker, with no duplicates and a stable order', async () => {
    // Prepare
    const { rds } = prepare();

    // Act
    const pages = await walk(rds, 20);
    const again = await walk(rds, 20);

    // Assess
    const all = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([20, 20, 17]);
    expect(new Set(all).size).toBe(57);
    expect(all).toEqual([...all].sort());
    expect(again).toEqual(pages);
  });

  it('returns up to 100 records and no Marker when MaxRecords is left out', async () => {
    // Prepare
    const { rds } = prepare(seedFleet({ seed: 3, count: 120 }));

    // Act
    const first = await rds.describeDBInstances({});
    const second = await rds.describeDBInstances({ Marker: first.Marker });

    // Assess
    expect(first.DbInstances).toHaveLength(100);
    expect(first.Marker).toEqual(expect.any(String));
    expect(second.DbInstances).toHaveLength(20);
    expect(second.Marker).toBeUndefined();
  });

  it.each([19, 101, 0, 20.5])('rejects MaxRecords %s as RDS does', async (maxRecords) => {
    // Prepare
    const { rds } = prepare();

    // Act
    const result = rds.describeDBInstances({ MaxRecords: maxRecords });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'InvalidParameterValue', statusCode: 400, retryable: false });
  });

  it('answers DBInstanceNotFound (404) for an unknown identifier', async () => {
    // Prepare
    const { rds } = prepare();

    // Act
    const result = rds.describeDBInstances({ DbInstanceIdentifier: 'no-such-db' });

    // Assess
    await expect(result).rejects.toBeInstanceOf(ServiceError);
    await expect(result).rejects.toMatchObject({
      name: 'DBInstanceNotFound',
      code: 'DBInstanceNotFound',
      statusCode: 404,
      service: 'rds',
      message: 'DBInstance no-such-db not found.',
    });
  });

  it('finds one instance by identifier, case-insensitively, or by ARN', async () => {
    // Prepare
    const { rds } = prepare();
    const target = rds.instances()[5];

    // Act
    const byName = await rds.describeDBInstances({ DbInstanceIdentifier: target.DbInstanceIdentifier.toUpperCase() });
    const byArn = await rds.describeDBInstances({ DbInstanceIdentifier: target.DbInstanceArn });

    // Assess
    expect(byName.DbInstances).toEqual([target]);
    expect(byArn.DbInstances).toEqual([target]);
  });

  it('filters by engine and by db-cluster-id', async () => {
    // Prepare
    const { rds } = prepare();
    const aurora = rds.instances().find((instance) => instance.DbClusterIdentifier)!;

    // Act
    const postgres = await rds.describeDBInstances({ Filters: [{ Name: 'engine', Values: ['postgres'] }] });
    const cluster = await rds.describeDBInstances({
      Filters: [{ Name: 'db-cluster-id', Values: [aurora.DbClusterIdentifier!] }],
    });

    // Assess
    expect(postgres.DbInstances.length).toBeGreaterThan(0);
    expect(postgres.DbInstances.every((instance) => instance.Engine === 'postgres')).toBe(true);
    expect(cluster.DbInstances.map((instance) => instance.DbInstanceIdentifier)).toContain(aurora.DbInstanceIdentifier);
  });

  it('rejects an unknown filter and a forged marker', async () => {
    // Prepare
    const { rds } = prepare();

    // Act
    const badFilter = rds.describeDBInstances({ Filters: [{ Name: 'team', Values: ['x'] }] });
    const badMarker = rds.describeDBInstances({ Marker: 'not-a-marker' });

    // Assess
    await expect(badFilter).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Unrecognized filter name: team',
    });
    await expect(badMarker).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('points SDK-for-JavaScript casing at the casing aws-sdk integrations use', async () => {
    // Prepare
    const { rds } = prepare();

    // Act
    const result = rds.describeDBInstances({ DBInstanceIdentifier: 'x' });

    // Assess
    await expect(result).rejects.toBeInstanceOf(UnknownParameterError);
    await expect(result).rejects.toThrow(/spell it 'DbInstanceIdentifier'/);
  });

  it('records each call with its parameters and the clock time', async () => {
    // Prepare
    const { clock, rds } = prepare();

    // Act
    await rds.describeDBInstances({ MaxRecords: 20 });
    clock.advance(1500);
    await rds.describeDBInstances({ DbInstanceIdentifier: 'missing' }).catch(() => undefined);

    // Assess
    expect(rds.calls).toEqual([
      { action: 'describeDBInstances', params: { MaxRecords: 20 }, at: Date.parse('2026-01-01T00:00:00.000Z') },
      {
        action: 'describeDBInstances',
        params: { DbInstanceIdentifier: 'missing' },
        at: Date.parse('2026-01-01T00:00:01.500Z'),
      },
    ]);
  });

  it('keeps paginating without skips when an instance is removed between pages', async () => {
    // Prepare
    const { rds } = prepare();
    const first = await rds.describeDBInstances({ MaxRecords: 20 });
    const removed = first.DbInstances[19].DbInstanceIdentifier;

    // Act
    rds.removeInstance(removed);
    const second = await rds.describeDBInstances({ MaxRecords: 20, Marker: first.Marker });

    // Assess
    const expectedNext = rds.instances().filter((instance) => instance.DbInstanceIdentifier > removed)[0];
    expect(second.DbInstances[0].DbInstanceIdentifier).toBe(expectedNext.DbInstanceIdentifier);
  });

  it('lets scenarios add instances, change status and remove them', async () => {
    // Prepare
    const { rds } = prepare();
    const extra: RdsInstanceFixture = { ...seedFleet({ seed: 99, count: 1 })[0], DbInstanceIdentifier: 'zz-extra' };

    // Act
    rds.addInstance(extra);
    rds.setStatus('zz-extra', 'stopped');
    const stopped = await rds.describeDBInstances({ DbInstanceIdentifier: 'zz-extra' });
    rds.removeInstance('zz-extra');
    const gone = rds.describeDBInstances({ DbInstanceIdentifier: 'zz-extra' });

    // Assess
    expect(stopped.DbInstances[0].DbInstanceStatus).toBe('stopped');
    await expect(gone).rejects.toMatchObject({ name: 'DBInstanceNotFound' });
    expect(() => rds.addInstance(rds.instances()[0])).toThrow(
      expect.objectContaining({ name: 'DBInstanceAlreadyExists' }),
    );
  });

  it('returns copies, so a caller cannot change the fleet by editing a result', async () => {
    // Prepare
    const { rds } = prepare();
    const page = await rds.describeDBInstances({ MaxRecords: 20 });

    // Act
    (page.DbInstances[0] as { DbInstanceStatus: string }).DbInstanceStatus = 'deleting';

    // Assess
    expect(rds.instances()[0].DbInstanceStatus).not.toBe('deleting');
  });
});
