// The public surface of @psr/scheduler.
export { Scheduler, nextFireTimes } from './scheduler.js';
export type { ScheduledJob, FireInfo, ScheduledRun, SchedulerEvent, SchedulerOptions } from './scheduler.js';
