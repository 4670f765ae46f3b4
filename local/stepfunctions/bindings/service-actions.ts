/** Tasks served by the local stand-ins (RDS, SNS, CloudWatch, EventBridge, Cost Explorer). */
import type { Clock } from '../../clock';
import type { IntegrationKind } from '../../services/integration-error-names';
import { asServiceTaskFailure } from './service-failure';
import type { TaskCall, TaskImplementation } from './task-call';

export type ServiceAction = (params: unknown) => Promise<unknown>;

/** Optimized integrations spell some services differently from their aws-sdk names. */
const OPTIMIZED_TO_SDK_SERVICE: Readonly<Record<string, string>> = { events: 'eventbridge' };

export function serviceActionKey(integration: IntegrationKind, service: string, action: string): string {
  const sdkService = integration === 'optimized' ? (OPTIMIZED_TO_SDK_SERVICE[service] ?? service) : service;
  return `${sdkService}:${action}`;
}

export function serviceActionTask(
  action: ServiceAction,
  clock: Clock,
  integration: IntegrationKind,
  service: string,
): TaskImplementation {
  return async (call: TaskCall) => {
    try {
      const result = await clock.track(action(call.params ?? {}));
      return result === undefined ? {} : JSON.parse(JSON.stringify(result));
    } catch (error) {
      throw asServiceTaskFailure(error, integration, service);
    }
  };
}
