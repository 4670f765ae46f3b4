/** The DynamoDB-persisted circuit breaker: reference model, settings, ASL gate generator and sync. */
export * from './announcement';
export * from './asl-clock';
export * from './declaration';
export * from './errors';
export * from './gate-states';
export * from './model';
export * from './probe-lease';
export * from './settings';
export * from './substitutions';
export * from './sync';
