import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RETRYABLE_HANDLER_ERRORS } from '../../../handlers/shared/error-catalog';
import {
  PRESET_TABLE_END,
  PRESET_TABLE_START,
  presetRetrier,
  presetTables,
  RETRY_CATEGORIES,
  RETRY_PRESETS,
  retryDelays,
  TERMINAL_ERRORS,
  worstCaseDelaySeconds,
} from '../../../lib/retry-policy';
import { integrationErrorName } from '../../../local/services/integration-error-names';

describe('the retry presets', () => {
  it('all back off with full jitter under a cap, and never retry forever', () => {
    for (const [category, timing] of Object.entries(RETRY_CATEGORIES)) {
      expect({ category, jitter: timing.JitterStrategy }).toEqual({ category, jitter: 'FULL' });
      expect(timing.MaxDelaySeconds).toBeGreaterThanOrEqual(timing.IntervalSeconds);
      expect(timing.BackoffRate).toBeGreaterThanOrEqual(1);
      expect(timing.MaxAttempts).toBeGreaterThanOrEqual(1);
      expect(timing.MaxAttempts).toBeLessThanOrEqual(10);
    }
  });

  it('have unique names and retry neither everything nor the terminal errors', () => {
    expect(new Set(RETRY_PRESETS.map((preset) => preset.name)).size).toBe(RETRY_PRESETS.length);
    for (const preset of RETRY_PRESETS) {
      const names: readonly string[] = preset.errorEquals;
      expect(names.length).toBeGreaterThan(0);
      expect(names).not.toContain('States.ALL');
      for (const terminal of TERMINAL_ERRORS) expect(names).not.toContain(terminal);
    }
  });

  it('retry exactly the retryable errors of the handler catalog', () => {
    const handlerPreset = RETRY_PRESETS.find((preset) => preset.name === 'handler-transient-errors')!;
    expect([...handlerPreset.errorEquals].sort()).toEqual([...RETRYABLE_HANDLER_ERRORS].sort());
  });

  it.each<[string, 'optimized' | 'aws-sdk', string, string[]]>([
    [
      'dynamodb-throttling',
      'optimized',
      'dynamodb',
      ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'],
    ],
    ['dynamodb-service-errors', 'optimized', 'dynamodb', ['InternalServerError']],
    [
      'dynamodb-sdk-throttling',
      'aws-sdk',
      'dynamodb',
      ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'],
    ],
    ['dynamodb-sdk-service-errors', 'aws-sdk', 'dynamodb', ['InternalServerError']],
    [
      'dynamodb-transaction-conflicts',
      'aws-sdk',
      'dynamodb',
      ['TransactionConflictException', 'TransactionInProgressException'],
    ],
    ['dynamodb-control-plane', 'aws-sdk', 'dynamodb', ['LimitExceededException']],
    ['rds-api-errors', 'aws-sdk', 'rds', ['Throttling', 'InternalFailure', 'ServiceUnavailable']],
    ['cloudwatch-errors', 'aws-sdk', 'cloudwatch', ['Throttling', 'InternalServiceFault']],
    ['eventbridge-errors', 'optimized', 'events', ['ThrottlingException', 'InternalException']],
    ['sfn-errors', 'aws-sdk', 'sfn', ['ThrottlingException']],
    ['cost-explorer-errors', 'aws-sdk', 'costexplorer', ['LimitExceededException']],
    ['lambda-service-errors', 'optimized', 'lambda', ['ServiceException', 'TooManyRequestsException']],
  ])('%s names what the %s %s integration reports for its transient errors', (name, integration, service, codes) => {
    const preset = RETRY_PRESETS.find((candidate) => candidate.name === name)!;
    for (const errorCode of codes) {
      expect(preset.errorEquals).toContain(integrationErrorName({ integration, service, errorCode }));
    }
  });

  it('compute the worst-case added delay from the fields: capped exponential waits, summed', () => {
    expect(retryDelays({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 10 })).toEqual([
      1, 2, 4, 8, 10,
    ]);
    expect(worstCaseDelaySeconds({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 10 })).toBe(25);
    expect(worstCaseDelaySeconds({ IntervalSeconds: 3, BackoffRate: 1, MaxAttempts: 2, MaxDelaySeconds: 60 })).toBe(6);
    expect(presetRetrier(RETRY_PRESETS[0])).toEqual({
      ErrorEquals: [...RETRY_PRESETS[0].errorEquals],
      ...RETRY_CATEGORIES[RETRY_PRESETS[0].category],
    });
  });

  it('are documented in docs/error-handling.md exactly as they are', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'error-handling.md'), 'utf8');
    const start = doc.indexOf(PRESET_TABLE_START);
    const end = doc.indexOf(PRESET_TABLE_END);

    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start, end + PRESET_TABLE_END.length)).toBe(presetTables());
  });
});
