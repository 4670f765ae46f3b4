/** Fault injection for the local runtime: plan parsing and the injector that applies plans on the clock. */

export type { InjectedFaultDetails } from './errors';
export { InjectedFaultError, InvalidFaultPlanError, isInjectedFaultError } from './errors';
export type { FaultCall, FaultStats } from './fault-injector';
export { FaultInjector } from './fault-injector';
export type { Fault, FaultPlan, FaultTarget, TimePoint } from './fault-plan';
export { loadFaultPlan, parseFaultPlan } from './fault-plan';
export { assertFaultTargetsExist, type CallableTargets } from './fault-targets';
