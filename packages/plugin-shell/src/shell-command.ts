/**
 * What `shell:` means. Like GitHub Actions, a shell is a command template in which `{0}` is
 * replaced by the path of a file holding the task's `run:` text; a few names are built in.
 */
import { findProgram } from './program-path.js';
import { ShellErrorCodes, shellProblem } from './shell-errors.js';

/**
 * A resolved shell: program, arguments with `{0}` placeholders, and the script file extension.
 *
 * @example
 * ```ts
 * const sh: ShellCommand = { name: 'sh', program: 'sh', args: ['-e', '{0}'], extension: '.sh' };
 * ```
 */
export interface ShellCommand {
  /** What the user wrote (or `bash` / `sh` for the default). */
  name: string;
  program: string;
  /** Arguments; every `{0}` becomes the script path. */
  args: string[];
  /** Extension of the temporary script file (some interpreters care: pwsh needs `.ps1`). */
  extension: string;
}

interface BuiltinShell {
  /** Programs to try, first found wins (`python` prefers `python3`). */
  programs: string[];
  args: string[];
  extension: string;
}

/** The built-in shells; anything else must be a template containing `{0}`. */
const BUILTIN_SHELLS: Record<string, BuiltinShell> = {
  bash: { programs: ['bash'], args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'], extension: '.sh' },
  sh: { programs: ['sh'], args: ['-e', '{0}'], extension: '.sh' },
  python: { programs: ['python3', 'python'], args: ['{0}'], extension: '.py' },
  python3: { programs: ['python3'], args: ['{0}'], extension: '.py' },
  node: { programs: ['node', process.execPath], args: ['{0}'], extension: '.js' },
  pwsh: { programs: ['pwsh'], args: ['-command', ". '{0}'"], extension: '.ps1' },
};

/**
 * Names accepted by `shell:` besides templates, for help and error hints.
 *
 * @example
 * ```ts
 * BUILTIN_SHELL_NAMES.includes('python'); // true
 * ```
 */
export const BUILTIN_SHELL_NAMES: readonly string[] = Object.keys(BUILTIN_SHELLS);

/**
 * Resolve a `shell:` value against the `PATH` the task will run with. No value means
 * `bash --noprofile --norc -eo pipefail {0}` when bash is installed, else `sh -e {0}`.
 * A template is split on whitespace (no quoting), like GitHub Actions does.
 * Throws a `TaskFailure` (code `PSR_SHELL_UNKNOWN` or `PSR_SHELL_NOT_INSTALLED`) with a hint.
 *
 * @example
 * ```ts
 * resolveShell(undefined, process.env.PATH);       // bash --noprofile --norc -eo pipefail {0}
 * resolveShell('python', process.env.PATH);        // python3 {0}
 * resolveShell('perl -w {0}', process.env.PATH);   // a custom template
 * ```
 */
export function resolveShell(shell: string | undefined, pathVariable: string | undefined): ShellCommand {
  if (shell === undefined) {
    const name = findProgram('bash', pathVariable) ? 'bash' : 'sh';
    const builtin = BUILTIN_SHELLS[name]!;
    return { name, program: name, args: builtin.args, extension: builtin.extension };
  }
  const trimmed = shell.trim();
  const builtin = Object.hasOwn(BUILTIN_SHELLS, trimmed) ? BUILTIN_SHELLS[trimmed] : undefined;
  if (builtin) {
    const program = builtin.programs.find((p) => findProgram(p, pathVariable));
    if (!program) {
      throw shellProblem(
        ShellErrorCodes.NOT_INSTALLED,
        `shell "${trimmed}" is not installed (${builtin.programs.filter((p) => !p.includes('/')).join(' or ')} not found on PATH)`,
        `install it, or pick another shell: ${BUILTIN_SHELL_NAMES.join(', ')}, or a command template such as "perl {0}"`,
      );
    }
    return { name: trimmed, program, args: builtin.args, extension: builtin.extension };
  }
  if (!trimmed.includes('{0}')) {
    throw shellProblem(
      ShellErrorCodes.UNKNOWN_SHELL,
      `unknown shell "${shell}"`,
      `use one of ${BUILTIN_SHELL_NAMES.join(', ')}, or a command template where {0} is the script path, e.g. "${trimmed || 'zsh'} {0}"`,
    );
  }
  const [program, ...args] = trimmed.split(/\s+/);
  if (!program || program.includes('{0}')) {
    throw shellProblem(
      ShellErrorCodes.UNKNOWN_SHELL,
      `shell template "${shell}" must start with a program name`,
      'write the interpreter first and {0} where the script path goes, e.g. "perl -w {0}"',
    );
  }
  if (!findProgram(program, pathVariable)) {
    throw shellProblem(
      ShellErrorCodes.NOT_INSTALLED,
      `shell program "${program}" (from shell: "${shell}") is not installed (not found on PATH)`,
      'install it or use an absolute path in the template',
    );
  }
  return { name: trimmed, program, args, extension: '' };
}

/**
 * The argv after the program: `{0}` replaced by `scriptPath`, then `extraArgs`.
 *
 * @example
 * ```ts
 * shellArgs(resolveShell('sh', process.env.PATH), '/tmp/x.sh', ['a']); // ['-e', '/tmp/x.sh', 'a']
 * ```
 */
export function shellArgs(shell: ShellCommand, scriptPath: string, extraArgs: readonly string[] = []): string[] {
  return [...shell.args.map((a) => a.replaceAll('{0}', scriptPath)), ...extraArgs];
}
