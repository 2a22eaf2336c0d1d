import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from './commands.js';
import { runCommand } from './main.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('psr (in-process)', () => {
  it('prints the version from package.json', async () => {
    expect(await runCommand(['--version'])).toEqual({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('lists every command in --help', async () => {
    const { exitCode, stdout } = await runCommand(['--help']);
    expect(exitCode).toBe(0);
    for (const c of commands) expect(stdout).toContain(`  ${c.name}`);
  });

  it('suggests the nearest command for a typo and exits 2', async () => {
    const r = await runCommand(['valdate', 'x.yml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('unknown command "valdate" [PSR_USAGE]\n  hint: did you mean psr validate?\n');
  });

  it('rejects an unknown global option with exit 2', async () => {
    const r = await runCommand(['--verison']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('did you mean --version?');
  });

  it('prints command help for `psr help <command>` and `<command> --help`', async () => {
    const a = await runCommand(['help', 'graph']);
    const b = await runCommand(['graph', '--help']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('--format <format>');
  });

  it('keeps each table summary equal to its command module', async () => {
    for (const entry of commands) {
      const command = (await entry.load()).default;
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});
