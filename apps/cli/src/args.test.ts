import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';

const cmd: Pick<Command, 'name' | 'options' | 'positionals'> = {
  name: 'run',
  positionals: [{ name: 'workflow', description: 'file' }],
  options: [
    { name: 'input', short: 'i', type: 'string', multiple: true, description: 'input' },
    { name: 'concurrency', short: 'j', type: 'string', description: 'n' },
    { name: 'json', type: 'boolean', description: 'json' },
    { name: 'format', type: 'string', choices: ['mermaid', 'dot'], default: 'mermaid', description: 'format' },
  ],
};

describe('parseCommandArgs', () => {
  it('collects repeated options, short flags and defaults', () => {
    const r = parseCommandArgs(cmd, ['wf.yml', '-i', 'a=1', '--input=b=2', '-j', '3', '--json']);
    expect(r).toEqual({
      ok: true,
      args: { positionals: ['wf.yml'], options: { input: ['a=1', 'b=2'], concurrency: '3', json: true, format: 'mermaid', help: undefined } },
    });
  });

  it('reports an unknown option with a did-you-mean hint', () => {
    const r = parseCommandArgs(cmd, ['wf.yml', '--jsn']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ code: 'PSR_USAGE', message: 'unknown option --jsn for psr run', hint: 'did you mean --json?' }]);
  });

  it('reports every problem at once', () => {
    const r = parseCommandArgs(cmd, ['--bogus-thing', '--format', 'svg', '--json=yes', '-j']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.message)).toEqual([
        'unknown option --bogus-thing for psr run',
        'invalid value "svg" for --format',
        'option --json takes no value',
        'option -j needs a value',
        'missing argument <workflow> for psr run',
      ]);
    }
  });

  it('refuses extra positionals unless variadic', () => {
    expect(parseCommandArgs(cmd, ['a.yml', 'b.yml']).ok).toBe(false);
    const variadic = { ...cmd, positionals: [{ name: 'workflow', description: 'f', variadic: true }] };
    expect(parseCommandArgs(variadic, ['a.yml', 'b.yml'])).toMatchObject({ ok: true, args: { positionals: ['a.yml', 'b.yml'] } });
  });

  it('lets --help through without the required arguments', () => {
    expect(parseCommandArgs(cmd, ['--help'])).toMatchObject({ ok: true, args: { options: { help: true } } });
  });

  it('treats everything after -- as positionals', () => {
    expect(parseCommandArgs(cmd, ['--', '--json'])).toMatchObject({ ok: true, args: { positionals: ['--json'], options: { json: undefined } } });
  });
});
