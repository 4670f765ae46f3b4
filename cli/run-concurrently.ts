/** Runs `work` `count` times with at most `concurrency` runs in flight; results in start order. */
export async function runConcurrently<T>(count: number, concurrency: number, work: () => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
