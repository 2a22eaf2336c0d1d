import { definePlugin } from '@psr/core';
import { secretScanTask } from './task.js';

/**
 * The built-in `psr:secret-scan` plugin: one task type, `secret-scan`.
 *
 * @example
 * ```yaml
 * tasks:
 *   secrets:
 *     uses: secret-scan
 *     with: { path: ., format: [sarif], output: [secret-scan.sarif] }
 * ```
 */
export const secretScanPlugin = definePlugin({
  name: 'psr:secret-scan',
  apiVersion: 1,
  tasks: { 'secret-scan': secretScanTask },
});
