/** Errors raised while building the CDK app: each names what is wrong and how to fix it. */

/** Base class so callers can catch every synth-time error of this project with one `instanceof`. */
export class OpsCdkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OpsCdkError';
  }
}

/** A CDK context value (from `cdk.json` or `-c key=value`) is missing, malformed or out of range. */
export class InvalidConfigError extends OpsCdkError {
  readonly key: string;
  readonly value: unknown;

  constructor(key: string, allowed: string, value: unknown, options?: ErrorOptions) {
    super(
      `Invalid config "${key}": expected ${allowed}, got ${describeValue(value)}. ` +
        `Fix it in cdk.json ("context") or override it with -c ${key}=<value>.`,
      options,
    );
    this.name = 'InvalidConfigError';
    this.key = key;
    this.value = value;
  }
}

/** An ASL file and its substitutions do not fit together, or the file uses a feature the project excludes. */
export class AslDefinitionError extends OpsCdkError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AslDefinitionError';
  }
}

/** A construct was given props that cannot produce a safe resource (e.g. a wildcard grant without a reason). */
export class InvalidConstructPropsError extends OpsCdkError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidConstructPropsError';
  }
}

/** A watched resource or alarm cannot join the observability registry (duplicate name, or created too late). */
export class ObservabilityRegistryError extends OpsCdkError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObservabilityRegistryError';
  }
}

export const isInvalidConfigError = (error: unknown): error is InvalidConfigError =>
  error instanceof InvalidConfigError;

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
