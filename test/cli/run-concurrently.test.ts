import { runConcurrently } from '../../cli/run-concurrently';

/** Work whose runs finish only when released, so a test can see how many are in flight. */
function gatedWork() {
  const gates: (() => void)[] = [];
  let started = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const work = async (): Promise<number> => {
    const index = started++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight--;
    return index;
  };
  const releaseAll = async () => {
    while (gates.length > 0 || inFlight > 0) {
      for (const open of gates.splice(0)) open();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { work, releaseAll, stats: () => ({ started, maxInFlight }) };
}

describe('runConcurrently', () => {
  it('keeps at most `concurrency` runs in flight and returns the results in start order', async () => {
    // Prepare
    const { work, releaseAll, stats } = gatedWork();

    // Act
    const results = runConcurrently(7, 3, work);
    await new Promise((resolve) => setImmediate(resolve));
    const startedBeforeRelease = stats().started;
    await releaseAll();

    // Assess
    expect(startedBeforeRelease).toBe(3);
    expect(await results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stats().maxInFlight).toBe(3);
  });

  it('runs nothing for a count of 0', async () => {
    const work = jest.fn(async () => 1);

    expect(await runConcurrently(0, 4, work)).toEqual([]);
    expect(work).not.toHaveBeenCalled();
  });

  it.each([0, -1, Number.NaN])('refuses a concurrency of %p instead of returning no results', async (concurrency) => {
    const work = jest.fn(async () => 1);

    await expect(runConcurrently(3, concurrency, work)).rejects.toThrow(/concurrency/);
    expect(work).not.toHaveBeenCalled();
  });

  it('starts no further run once one has failed, and rejects with its error', async () => {
    // Prepare
    let calls = 0;
    const work = async () => {
      calls++;
      if (calls === 1) throw new Error('engine broke');
      await new Promise((resolve) => setImmediate(resolve));
      return calls;
    };

    // Act / Assess
    await expect(runConcurrently(10, 2, work)).rejects.toThrow('engine broke');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBeLessThanOrEqual(3);
  });
});
