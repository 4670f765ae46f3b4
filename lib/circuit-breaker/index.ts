/** The DynamoDB-persisted circuit breaker: declaration, reference model, settings, protected calls. */
export * from './announcement';
export * from './asl-clock';
export * from './breaker-settings';
export * from './circuits';
export * from './errors';
export * from './model';
export * from './probe-lease';
export * from './protected-calls';
export * from './settings';
