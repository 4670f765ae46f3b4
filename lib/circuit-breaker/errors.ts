/** Errors of the circuit-breaker library: declarations, settings and items that break its rules. */

/** Base class: one `instanceof` catches every circuit-breaker error. */
export class CircuitBreakerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitBreakerError';
  }
}

/** Circuit settings that cannot work (a threshold of 0, a cap below the timeout). */
export class InvalidCircuitSettingsError extends CircuitBreakerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidCircuitSettingsError';
  }
}

/** A circuit nobody declared, a declaration that breaks its rules, or a protected call wired wrongly. */
export class CircuitDeclarationError extends CircuitBreakerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitDeclarationError';
  }
}

/** A manual change that the circuit's current state does not allow (e.g. closing a CLOSED circuit). */
export class CircuitTransitionError extends CircuitBreakerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CircuitTransitionError';
  }
}

export function isCircuitTransitionError(error: unknown): error is CircuitTransitionError {
  return error instanceof CircuitTransitionError;
}
