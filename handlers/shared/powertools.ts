/** The Powertools singletons every handler shares, created once per Lambda container. */
import { Logger } from '@aws-lambda-powertools/logger';

/** Service name and level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL (set by HandlerFunction). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rds-ops' });
