/**
 * Run ids, in a module of their own: the lazy `createEngine` hands out a run's id before the
 * scheduler is loaded.
 */

/**
 * A sortable run id: UTC timestamp to the millisecond plus randomness. The randomness comes
 * from Web Crypto's global `getRandomValues`, not `node:crypto`: importing `@psr/core` should
 * not load `node:crypto` (about 6 ms) for ids that only runs hand out.
 */
export function newRunId(now = new Date()): string {
  const random = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(3))).toString('hex');
  return `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}
