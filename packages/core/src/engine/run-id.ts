/**
 * Run ids, in a module of their own: the lazy `createEngine` hands out a run's id before the
 * scheduler is loaded.
 */
import { randomBytes } from 'node:crypto';

/** A sortable run id: UTC timestamp to the millisecond plus randomness. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}
