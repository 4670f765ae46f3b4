/** Tasks served by the local stand-ins (RDS, SNS, CloudWatch, EventBridge, Cost Explorer). */
import type { Clock } from '../../clock';
import type { ServiceAction } from '../../services';
import type { IntegrationKind } from '../../services/integration-error-names';
import { asServiceTaskFailure } from './service-failure';
import type { TaskCall, TaskImplementation } from './task-call';

export type { ServiceAction };

/**
 * Stand-in actions are keyed as the resource ARN spells them (`rds:describeDBInstances`); the stand-ins
 * register the optimized spellings too (`events:putEvents` beside `eventbridge:putEvents`).
 */
export function serviceActionKey(service: string, action: string): string {
  return `${service}:${action}`;
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
