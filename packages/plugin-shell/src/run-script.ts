/**
 * What a `script:` task does once it runs: resolve and check the script path, pick the
 * interpreter its extension implies (or the `shell:`), and run one attempt. Imported by
 * `scriptTask` on its first run, so that loading the plugin to check a workflow costs no
 * process machinery.
 *
 * Path policy: the path is resolved against the task's working directory and may point
 * anywhere, `..` and symlinks included — a workflow can already run any command with `run:`,
 * so refusing `../scripts/build.sh` would protect nothing and break monorepo layouts. Instead
 * the path is resolved (symlinks followed) before anything runs, every error names both the
 * path as written and where it led, and a debug log line records the real path.
 */
import { stat, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskContext } from '@psr/core';
import { createAttemptFiles } from './attempt-files.js';
import { findProgram } from './program-path.js';
import type { ScriptTaskInput } from './script-task.js';
import { type AttemptCommand, runShellAttempt } from './shell-attempt.js';
import { resolveShell, shellArgs } from './shell-command.js';
import { ShellErrorCodes, shellProblem } from './shell-errors.js';

/**
 * Interpreter per file extension: programs to try in order (the first on `PATH` wins, the last
 * is used anyway so a missing one is reported by name); `{tsx}` stands for tsx's loader.
 * Node falls back to the node running psr.
 */
const INTERPRETERS: Record<string, { programs: string[]; args: string[] }> = {
  '.py': { programs: ['python3', 'python'], args: [] },
  '.js': { programs: ['node', process.execPath], args: [] },
  '.mjs': { programs: ['node', process.execPath], args: [] },
  '.cjs': { programs: ['node', process.execPath], args: [] },
  '.ts': { programs: ['node', process.execPath], args: ['--import', '{tsx}'] },
  '.mts': { programs: ['node', process.execPath], args: ['--import', '{tsx}'] },
  '.cts': { programs: ['node', process.execPath], args: ['--import', '{tsx}'] },
  '.sh': { programs: ['bash', 'sh'], args: [] },
  '.bash': { programs: ['bash'], args: [] },
};

/**
 * Extensions that pick an interpreter without `shell:`.
 *
 * @example
 * ```ts
 * SCRIPT_EXTENSIONS.includes('.ts'); // true
 * ```
 */
export const SCRIPT_EXTENSIONS: readonly string[] = Object.keys(INTERPRETERS);

let tsxLoader: string | undefined;
/** tsx comes from this package's own dependencies, so it works without a project install. */
function tsxLoaderUrl(): string {
  tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return tsxLoader;
}

/**
 * Run a script file with the interpreter its extension implies (see `scriptTask`); `shell:`
 * overrides the choice and `args:` are passed as separate arguments. Resolves with what the
 * script wrote to `$PSR_OUTPUT`.
 *
 * @example
 * ```ts
 * const outputs = await runScript(ctx, { script: 'scripts/report.py', args: ['--count', '3'] });
 * ```
 */
export async function runScript(ctx: TaskContext, input: ScriptTaskInput): Promise<Record<string, string>> {
  const scriptPath = await checkScript(ctx, input.script);
  const command = await commandFor(ctx, input.script, scriptPath, input.args, input.shell);
  return runShellAttempt(ctx, command, await createAttemptFiles());
}

/** Resolve `script` against the working directory and check it is a readable regular file. */
async function checkScript(ctx: TaskContext, script: string): Promise<string> {
  if (script.includes('\0')) {
    throw shellProblem(ShellErrorCodes.SCRIPT_INVALID, 'script: path contains a NUL byte', 'check the value (or the expression) that produced the path');
  }
  const path = resolve(ctx.workdir, script);
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw shellProblem(
        ShellErrorCodes.SCRIPT_NOT_FOUND,
        `script not found: ${script} (looked for ${path})`,
        `script: paths are relative to the task's working directory ${ctx.workdir}; check the path and that the file exists before this task runs`,
      );
    }
    if (code === 'ELOOP') {
      throw shellProblem(ShellErrorCodes.SCRIPT_INVALID, `script ${script} is a symlink loop (${path})`, 'point script: at the real file');
    }
    throw shellProblem(ShellErrorCodes.SCRIPT_INVALID, `cannot read script ${script} (${path}): ${(error as Error).message}`, 'check the permissions of the file and its directories');
  }
  const info = await stat(real);
  const via = real === path ? '' : ` (resolved to ${real})`;
  if (info.isDirectory()) {
    throw shellProblem(ShellErrorCodes.SCRIPT_INVALID, `script ${script} is a directory${via}`, 'name the script file itself, e.g. scripts/build.sh');
  }
  if (!info.isFile()) {
    throw shellProblem(ShellErrorCodes.SCRIPT_INVALID, `script ${script} is not a regular file${via}`, 'name a script file (not a device, FIFO or socket)');
  }
  ctx.log.debug(`script ${script} → ${real}`);
  return path;
}

async function commandFor(
  ctx: TaskContext,
  script: string,
  path: string,
  args: readonly string[],
  shellOverride: string | undefined,
): Promise<AttemptCommand> {
  if (shellOverride !== undefined) {
    const shell = resolveShell(shellOverride, ctx.env.PATH);
    return { program: shell.program, args: shellArgs(shell, path, args) };
  }
  const extension = extname(path).toLowerCase();
  const interpreter = Object.hasOwn(INTERPRETERS, extension) ? INTERPRETERS[extension] : undefined;
  if (interpreter) {
    const program = interpreter.programs.find((p) => findProgram(p, ctx.env.PATH)) ?? interpreter.programs[0]!;
    const interpreterArgs = interpreter.args.map((a) => (a === '{tsx}' ? tsxLoaderUrl() : a));
    return { program, args: [...interpreterArgs, path, ...args] };
  }
  const mode = (await stat(path)).mode;
  if ((mode & 0o111) !== 0) return { program: path, args: [...args] };
  throw shellProblem(
    ShellErrorCodes.NO_INTERPRETER,
    `no interpreter known for ${script}${extension ? ` (extension ${extension})` : ' (no extension)'} and the file is not executable`,
    `add shell: (e.g. shell: python3, or a template like "ruby {0}"), use one of ${SCRIPT_EXTENSIONS.join(' ')}, or make it executable with a #! line`,
  );
}
