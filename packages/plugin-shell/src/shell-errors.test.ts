import { readFile } from 'node:fs/promises';
import { PsrError, TaskFailure } from '@psr/core';
import { describe, expect, test } from 'vitest';
import { SCRIPT_EXTENSIONS } from './run-script.js';
import { BUILTIN_SHELL_NAMES } from './shell-command.js';
import { ShellErrorCodes, shellProblem } from './shell-errors.js';

const doc = () => readFile(new URL('../../../docs/plugins/shell.md', import.meta.url), 'utf8');

describe('shell errors', () => {
  test('a problem is a TaskFailure whose cause carries the code and the hint (shown on a line of its own)', () => {
    const failure = shellProblem(ShellErrorCodes.UNKNOWN_SHELL, 'unknown shell "fish"', 'use bash');
    expect(failure).toBeInstanceOf(TaskFailure);
    expect(failure.message).toBe('unknown shell "fish"');
    expect(failure.cause).toBeInstanceOf(PsrError);
    expect((failure.cause as PsrError).toDiagnostic()).toEqual({ code: 'PSR_SHELL_UNKNOWN', message: 'unknown shell "fish"', hint: 'use bash' });
  });

  test('docs/plugins/shell.md documents every error code, shell and script extension', async () => {
    const text = await doc();
    for (const code of Object.values(ShellErrorCodes)) expect(text).toContain(`| \`${code}\` |`);
    for (const shell of BUILTIN_SHELL_NAMES) expect(text).toContain(`| \`${shell}\` |`);
    for (const ext of SCRIPT_EXTENSIONS) expect(text).toContain(`\`${ext}\``);
  });
});
