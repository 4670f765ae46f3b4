/** The per-key lock the proxy's writes, reads and transactions share. */
import { KeyedLock } from '../../../local/dynamodb/keyed-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs holders of one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const work = (name: string) =>
      lock.runExclusive(['k'], async () => {
        order.push(`${name}:start`);
        await tick();
        order.push(`${name}:end`);
      });

    await Promise.all([work('a'), work('b'), work('c')]);

    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('never deadlocks holders that ask for the same keys in opposite orders, and forgets idle keys', async () => {
    const lock = new KeyedLock();
    let inside = 0;
    let overlapped = false;
    const work = (keys: string[]) =>
      lock.runExclusive(keys, async () => {
        inside++;
        overlapped ||= inside > 1;
        await tick();
        inside--;
      });

    await Promise.all(Array.from({ length: 50 }, (_, i) => work(i % 2 === 0 ? ['x', 'y', 'x'] : ['y', 'x'])));

    expect(overlapped).toBe(false);
    expect(lock.size).toBe(0);
  });

  it('lets holders of different keys run at the same time and releases a key when work throws', async () => {
    const lock = new KeyedLock();
    let release!: () => void;
    const held = lock.runExclusive(['a'], () => new Promise<void>((resolve) => (release = resolve)));
    const other = await lock.runExclusive(['b'], async () => 'b ran');
    const failing = lock.runExclusive(['c'], async () => {
      throw new Error('boom');
    });

    await expect(failing).rejects.toThrow('boom');
    expect(other).toBe('b ran');
    expect(await lock.runExclusive(['c'], async () => 'c free')).toBe('c free');
    release();
    await held;
    expect(lock.size).toBe(0);
  });
});
