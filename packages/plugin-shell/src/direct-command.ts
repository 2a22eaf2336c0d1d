/**
 * The fast path for a `run:` that is one plain command line such as `true`, `make build` or
 * `pytest -q tests/unit`: it is started directly, without a shell in between, the way GNU make
 * runs recipe lines without shell syntax. A shell would only have parsed the line into the same
 * words and exec'd the program; skipping it saves a shell start (about a millisecond) per task.
 *
 * The line qualifies only when nothing in it could mean anything to a shell: one line, words of
 * letters, digits and `_ @ % + = : , . / -` separated by spaces or tabs, a first word that is
 * neither a variable assignment nor a shell builtin or keyword (except `true`, `false`, `echo`,
 * `printf` and `test`, whose programs behave the same for such plain words), and a program found
 * on `PATH`. Everything else, and every task that names a `shell:`, runs through the shell.
 * The child gets `PWD` set to its working directory, as a shell would have set it.
 */
import { findProgram } from './program-path.js';

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** bash builtins and keywords (`compgen -b -k`) a program on PATH cannot stand in for. */
const SHELL_ONLY = new Set(
  (
    '. : [ alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown ' +
    'enable eval exec exit export fc fg getopts hash help history jobs kill let local logout mapfile popd pushd pwd ' +
    'read readarray readonly return set shift shopt source suspend times trap type typeset ulimit umask unalias unset wait ' +
    'if then else elif fi case esac for select while until do done in function time { } ! [[ ]] coproc'
  ).split(' '),
);

/**
 * A command to start without a shell.
 *
 * @example
 * ```ts
 * const direct: DirectCommand = { program: 'make', args: ['build'] };
 * ```
 */
export interface DirectCommand {
  program: string;
  args: string[];
}

/**
 * The program and arguments of `run` when it can start without a shell (see the module
 * comment), else `undefined`.
 *
 * @example
 * ```ts
 * directCommand('make build', process.env.PATH);    // { program: 'make', args: ['build'] }
 * directCommand('make build && ls', process.env.PATH); // undefined: needs a shell
 * ```
 */
export function directCommand(run: string, pathVariable: string | undefined): DirectCommand | undefined {
  const line = run.trim();
  if (line === '' || line.includes('\n') || line.includes('\r')) return undefined;
  const words = line.split(/[ \t]+/);
  if (!words.every((w) => PLAIN_WORD.test(w))) return undefined;
  const [program, ...args] = words as [string, ...string[]];
  // `a=b cmd` is an assignment; `./x` and `dir/x` are relative to the task's directory, and a
  // script without a #! line there would need the shell's fallback: leave both to the shell.
  if (program.includes('=') || program.includes('/') || SHELL_ONLY.has(program)) return undefined;
  if (findProgram(program, pathVariable) === undefined) return undefined;
  return { program, args };
}
