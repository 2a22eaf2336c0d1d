import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import { ErrorCodes, PsrError, TaskFailure } from '@psr/core';
import type { TaskContext, TaskOutputs } from '@psr/core';
import { runSecretScanTask, secretScanInput } from './task.js';

/** Where a standalone scan writes: log lines go to `stderr`, printed reports to `stdout`. */
export interface StandaloneOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Run the `secret-scan` task outside a workflow (what `psr secret-scan` does): the same task
 * code, with a context whose log goes to the given streams and a no-op span.
 * Returns exit code 1 when unallowed findings remain, 0 otherwise; bad input throws a PsrError.
 *
 * @example
 * ```ts
 * const { exitCode } = await runSecretScanStandalone({ path: '.', format: ['table'] }, { cwd: process.cwd(), output: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) } });
 * ```
 */
export async function runSecretScanStandalone(
  input: Record<string, unknown>,
  options: { cwd: string; output: StandaloneOutput; signal?: AbortSignal; env?: Readonly<Record<string, string>> },
): Promise<{ exitCode: 0 | 1; outputs: TaskOutputs }> {
  const parsed = secretScanInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PsrError(ErrorCodes.USAGE, `invalid ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid value'}`, { hint: 'see psr secret-scan --help' });
  }
  const line = (prefix: string) => (message: string) => options.output.stderr(`${prefix}${message}\n`);
  const ctx: TaskContext = {
    signal: options.signal ?? new AbortController().signal,
    killSignal: new AbortController().signal,
    log: { info: line(''), warn: line(''), error: line('error: '), debug: () => {}, stdout: (c) => options.output.stdout(c), stderr: (c) => options.output.stderr(c) },
    workdir: options.cwd,
    attempt: 1,
    secrets: {},
    env: options.env ?? {},
    run: { id: 'standalone', workflow: 'psr secret-scan', startedAt: new Date().toISOString() },
    task: { id: 'secret-scan', instanceId: 'secret-scan' },
    span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
    tracer: trace.getTracer('psr:secret-scan'),
    mask: (text) => text,
    setMetrics: () => {},
  };
  try {
    return { exitCode: 0, outputs: await runSecretScanTask(ctx, parsed.data) };
  } catch (error) {
    if (error instanceof TaskFailure && error.kind === 'findings') return { exitCode: 1, outputs: error.outputs ?? {} };
    throw error;
  }
}
