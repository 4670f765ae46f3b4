import { ScaledClock, VirtualClock } from '../../local/clock';

describe('ScaledClock', () => {
  afterEach(() => jest.useRealTimers());

  it('waits for timers longer than Node’s 24.8-day setTimeout limit instead of firing at once', () => {
    jest.useFakeTimers();
    const clock = new ScaledClock(1);
    const fired = jest.fn();

    clock.setTimer(30 * 24 * 3600 * 1000, fired);
    jest.advanceTimersByTime(25 * 24 * 3600 * 1000);
    const earlyFire = fired.mock.calls.length;
    jest.advanceTimersByTime(5 * 24 * 3600 * 1000);

    expect(earlyFire).toBe(0);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('runs N times faster than real time', () => {
    jest.useFakeTimers();
    const clock = new ScaledClock(10);
    const fired = jest.fn();

    clock.setTimer(60_000, fired);
    jest.advanceTimersByTime(5_999);
    const before = fired.mock.calls.length;
    jest.advanceTimersByTime(1);

    expect(before).toBe(0);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});

describe('VirtualClock', () => {
  it('fires timers in due order as time advances, and never moves backwards', () => {
    const clock = new VirtualClock({ startAt: 0, autoAdvance: false });
    const order: string[] = [];
    clock.setTimer(300, () => order.push('c'));
    clock.setTimer(100, () => order.push('a'));
    clock.setTimer(200, () => order.push('b'));

    clock.advance(250);
    clock.advanceTo(100);

    expect(order).toEqual(['a', 'b']);
    expect(clock.now()).toBe(250);
  });

  it('does not advance while tracked work is in flight, then jumps to the next timer when idle', async () => {
    const clock = new VirtualClock({ startAt: 0 });
    let release!: () => void;
    const work = clock.track(new Promise<void>((resolve) => (release = resolve)));
    const slept = clock.sleep(60_000);

    await new Promise((resolve) => setTimeout(resolve, 20));
    const whileBusy = clock.now();
    release();
    await work;
    await slept;

    expect(whileBusy).toBe(0);
    expect(clock.now()).toBe(60_000);
  });
});
