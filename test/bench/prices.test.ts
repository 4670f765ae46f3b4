/** The price model every cost figure of the benchmarks uses. */
import { dollarsPerMillion, NO_USAGE, PRICES, PRICES_AS_OF } from '../../bench/prices';

describe('dollarsPerMillion', () => {
  it('prices Standard transitions at $25 per million', () => {
    expect(dollarsPerMillion({ ...NO_USAGE, standardTransitions: 3 })).toBe(75);
  });

  it('prices an Express request with one 100 ms step of 64 MB, as docs/circuit-breaker.md states ($1.10 per million)', () => {
    expect(dollarsPerMillion({ ...NO_USAGE, expressRequests: 1 })).toBe(1.1);
  });

  it('prices DynamoDB on-demand request units and Lambda invocations', () => {
    expect(dollarsPerMillion({ ...NO_USAGE, dynamoDbReadUnits: 1 })).toBe(0.13);
    expect(dollarsPerMillion({ ...NO_USAGE, dynamoDbWriteUnits: 1 })).toBe(0.63);
    expect(dollarsPerMillion({ ...NO_USAGE, lambdaInvocations: 1 })).toBe(0.3);
  });

  it('adds the parts: the healthy protected call of our breaker', () => {
    const usage = { ...NO_USAGE, standardTransitions: 5, expressRequests: 1, dynamoDbReadUnits: 1 };

    expect(dollarsPerMillion(usage)).toBe(126.23);
  });

  it('states its prices once, with a date', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.standardTransition * 1000).toBeCloseTo(0.025, 10);
  });
});
