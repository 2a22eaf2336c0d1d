// @psr/plugin-scan: the built-in `psr:scan` plugin. Named exports only.
import { definePlugin } from '@psr/core';
import { scanTask } from './scan-task.js';

export { scanTask, ScanInputSchema } from './scan-task.js';
export { runScan, planOutputs, applyIgnores } from './run-scan.js';
export type { ScanOptions, ScanResult } from './run-scan.js';
export { openSources } from './data-sources.js';
export type { OpenedSources } from './data-sources.js';
export { parseIgnoreFile, readIgnoreFile } from './ignore-file.js';
export type { IgnoreRule } from './ignore-file.js';
export { ScanErrorCodes, ScanWarningCodes } from './scan-errors.js';

/**
 * The `psr:scan` plugin: task type `scan`.
 *
 * @example
 * ```ts
 * import scanPlugin from '@psr/plugin-scan';
 * registry.register(scanPlugin);
 * ```
 */
const scanPlugin = definePlugin({ name: 'psr:scan', apiVersion: 1, tasks: { scan: scanTask } });
export default scanPlugin;
