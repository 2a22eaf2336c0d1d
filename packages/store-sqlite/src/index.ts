// The public surface of @psr/store-sqlite.
export { openRunStore, SqliteRunStore, HistoryErrorCodes } from './sqlite-run-store.js';
export type { OpenRunStoreOptions, RunSummary, ListRunsOptions, StoredRunDetail, ScheduleFire } from './sqlite-run-store.js';
export { planResume } from './resume.js';
export type { ResumePlan } from './resume.js';
export { taskSpecHash } from './spec-hash.js';
