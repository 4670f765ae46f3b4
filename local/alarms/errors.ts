/** Errors of the local CloudWatch alarm evaluation. */

/** A metric-math expression uses something the local evaluator does not implement (the alarm is not evaluated). */
export class UnsupportedMetricMathError extends Error {
  constructor(
    readonly expression: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `Metric math "${expression}" cannot be evaluated locally: ${problem}. Supported: numbers, query ids, + - * /, ` +
        'parentheses, FILL(series, number), ABS, MAX, MIN, SUM, AVG (docs/local-runtime.md, "CloudWatch alarms").',
      options,
    );
    this.name = 'UnsupportedMetricMathError';
  }
}

/** An alarm in the template that the local runtime cannot evaluate (percentiles, anomaly bands, math it lacks). */
export class UnsupportedAlarmError extends Error {
  constructor(
    readonly alarmName: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`Alarm ${alarmName} is not evaluated locally: ${problem}.`, options);
    this.name = 'UnsupportedAlarmError';
  }
}

/** An alarm name that the runtime does not know. */
export class UnknownAlarmError extends Error {
  constructor(
    readonly alarmName: string,
    known: readonly string[],
  ) {
    super(`No alarm named ${alarmName}; known alarms: ${known.join(', ') || 'none'}.`);
    this.name = 'UnknownAlarmError';
  }
}
