/**
 * `--json`: one RunEvent per line (NDJSON) on stdout, for machines. The run's heavy
 * `workflow` object is reduced to name/file/hash; every string is secret-masked.
 */
import type { RunEvent, RunInfo, RunObserver } from '@psr/core';
import type { OutputStream } from '../io.js';
import type { Mask, Reporter } from './reporter.js';

/** RunInfo as printed: the workflow reduced to what identifies it. */
export type JsonRunInfo = Omit<RunInfo, 'workflow'> & { workflow: { name: string; file: string; hash: string } };

function slimRun(run: RunInfo): JsonRunInfo {
  const { workflow, ...rest } = run;
  return { ...rest, workflow: { name: workflow.name, file: workflow.file, hash: workflow.hash } };
}

/** The JSON form of an event (one NDJSON line, without the newline). */
export function eventToJson(event: RunEvent, mask: Mask): string {
  const slim: Record<string, unknown> = { ...event, run: slimRun(event.run) };
  if (event.type === 'run-end') slim['result'] = { ...event.result, run: slimRun(event.result.run) };
  return JSON.stringify(slim, (_key, value: unknown) => (typeof value === 'string' ? mask(value) : value));
}

/**
 * Create the NDJSON reporter.
 *
 * @example
 * ```ts
 * createEngine({ registry, observers: [createJsonReporter(process.stdout, mask)] });
 * ```
 */
export function createJsonReporter(out: OutputStream, mask: Mask): Reporter {
  const emit = (event: RunEvent): void => void out.write(`${eventToJson(event, mask)}\n`);
  const observer: Required<RunObserver> = {
    onRunStart: (e) => emit(e),
    onTaskStart: (e) => emit(e),
    onAttemptStart: (e) => emit(e),
    onOutput: (e) => emit(e),
    onAttemptEnd: (e) => emit(e),
    onRetryWait: (e) => emit(e),
    onTaskEnd: (e) => emit(e),
    onRunEnd: (e) => emit(e),
  };
  return {
    ...observer,
    notice(message) {
      out.write(`${JSON.stringify({ type: 'notice', message: mask(message) })}\n`);
    },
    close() {},
  };
}
