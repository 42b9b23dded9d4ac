/*
 * Which data source each resolver file uses, by its path under resolvers/ without `.ts`. The
 * names and types are a contract with the CDK stack; a pipeline's own index has none.
 */
import type { DataSourceEntry } from '../src/resolver-manifest.js';

/** The API's data sources. */
export const DATA_SOURCES: readonly DataSourceEntry[] = [
  { name: 'schedules', type: 'AMAZON_DYNAMODB' },
  { name: 'delayQueue', type: 'HTTP' },
  { name: 'none', type: 'NONE' },
];

/** Data source of every unit resolver and pipeline function. */
export const RESOLVER_DATA_SOURCES: Readonly<Record<string, string>> = {
  'Query.schedule/01-read-key-record': 'schedules',
  'Query.schedule/02-read-schedule': 'schedules',
  'Query.schedule/03-read-replacement': 'schedules',
  'Query.pendingSchedules': 'schedules',
  'Mutation.createSchedule/01-read-token': 'schedules',
  'Mutation.createSchedule/02-read-key-record': 'schedules',
  'Mutation.createSchedule/03-read-holder': 'schedules',
  'Mutation.createSchedule/04-read-hop': 'schedules',
  'Mutation.createSchedule/05-write-key-record': 'schedules',
  'Mutation.createSchedule/06-put-token': 'schedules',
  'Mutation.createSchedule/07-put-schedule': 'schedules',
  'Mutation.createSchedule/08-retire-holder': 'schedules',
  'Mutation.createSchedule/09-settle-schedule': 'schedules',
  'Mutation.createSchedule/10-send-message': 'delayQueue',
  'Mutation.cancelSchedule/01-read-key-record': 'schedules',
  'Mutation.cancelSchedule/02-read-schedule': 'schedules',
  'Mutation.cancelSchedule/03-read-replacement': 'schedules',
  'Mutation.cancelSchedule/04-cancel': 'schedules',
  'Mutation.cancelSchedule/05-explain': 'schedules',
  'Mutation.publishScheduleFired': 'none',
  'Mutation.createSchedules/01-read-tokens': 'schedules',
  'Mutation.createSchedules/02-read-replays': 'schedules',
  'Mutation.createSchedules/03-put-tokens': 'schedules',
  'Mutation.createSchedules/04-put-schedules': 'schedules',
  'Mutation.createSchedules/05-send-batch-1': 'delayQueue',
  'Mutation.createSchedules/06-send-batch-2': 'delayQueue',
  'Mutation.createSchedules/07-send-batch-3': 'delayQueue',
  'Mutation.cancelSchedules/01-read': 'schedules',
  'CancelScheduleResult.id/01-cancel': 'schedules',
  'CancelScheduleResult.id/02-explain': 'schedules',
  'CancelScheduleResult.schedule/01-cancel': 'schedules',
  'CancelScheduleResult.schedule/02-explain': 'schedules',
  'CancelScheduleResult.error/01-cancel': 'schedules',
  'CancelScheduleResult.error/02-explain': 'schedules',
  'Mutation.rescheduleSchedule/01-read-by-id': 'schedules',
  'Mutation.rescheduleSchedule/02-read-key-record': 'schedules',
  'Mutation.rescheduleSchedule/03-read-holder': 'schedules',
  'Mutation.rescheduleSchedule/04-read-hop': 'schedules',
  'Mutation.rescheduleSchedule/05-put-new': 'schedules',
  'Mutation.rescheduleSchedule/06-retire-old': 'schedules',
  'Mutation.rescheduleSchedule/07-settle-new': 'schedules',
  'Mutation.rescheduleSchedule/08-explain': 'schedules',
  'Mutation.rescheduleSchedule/09-repoint-key': 'schedules',
  'Mutation.rescheduleSchedule/10-send-message': 'delayQueue',
  'Query.schedules/01-query-history': 'schedules',
  'Query.schedules/02-read-items': 'schedules',
  'Query.schedules/03-read-unprocessed': 'schedules',
  'Subscription.onScheduleFired': 'none',
};
