/** Errors of the benchmarks. */

/** A benchmark measured something that cannot be right (e.g. no breaker wasting fewer calls than the breaker). */
export class BenchmarkSanityError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchmarkSanityError';
  }
}

/** A process the developer-loop benchmark runs ended with a non-zero exit code. */
export class BenchmarkProcessError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BenchmarkProcessError';
  }
}
