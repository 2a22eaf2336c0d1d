import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, PsrAggregateError, type Diagnostic } from '../errors.js';
import { loadWorkflow } from './load.js';
import { MAX_WORKFLOW_BYTES } from './source.js';
import { testRegistry } from './test-registry.js';

const fixtures = fileURLToPath(new URL('../../fixtures/workflows/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'psr-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Load text that must fail; return its problems rendered as the CLI would. */
async function problemsOf(text: string, file = 'wf.yml'): Promise<string[]> {
  const err = await loadWorkflow({ text, file }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PsrAggregateError);
  return (err as PsrAggregateError).problems.map((p: Diagnostic) => formatDiagnostic(p));
}

describe('loadWorkflow on valid workflows', () => {
  it('loads a file with defaults applied and positions recorded', async () => {
    const wf = await loadWorkflow(join(fixtures, 'hello.yml'));
    expect(wf.name).toBe('hello');
    expect(wf.file).toBe(resolve(fixtures, 'hello.yml'));
    expect(wf.dir).toBe(resolve(fixtures));
    expect(wf.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(wf.tasks.map((t) => [t.id, t.uses, t.needs])).toEqual([
      ['setup', 'run', []],
      ['left', 'run', ['setup']],
      ['right', 'run', ['setup']],
      ['join', 'run', ['left', 'right']],
    ]);
    const join_ = wf.tasks[3]!;
    expect(join_.with).toEqual({ run: 'echo "joined"\necho "result=${{ tasks.left.result }}" >> "$PSR_OUTPUT"\n' });
    expect(join_.retry).toEqual({ attempts: 1, backoff: 'fixed', delayMs: 1000, maxDelayMs: 60_000, jitter: false });
    expect(join_.location).toMatchObject({ line: 12, col: 3 });
    expect(join_.needsLocations?.map((l) => l?.line)).toEqual([13, 13]);
    expect(wf.failFast).toBe(false);
  });
});

describe('loadWorkflow on the full example', () => {
  it('loads every key of the reference example, with a registry checking task types and inputs', async () => {
    const wf = await loadWorkflow(join(fixtures, 'full.yml'), { registry: testRegistry() });
    expect(wf).toMatchObject({
      name: 'nightly-security',
      description: 'Scan, inventory and publish the service',
      concurrency: 4,
      timeoutMs: 1_800_000,
      failFast: false,
      env: { PYTHONUNBUFFERED: '1', TARGET: '${{ inputs.target }}' },
      inputs: { target: { type: 'string', default: 'staging', enum: ['staging', 'prod'], required: false }, verbose: { type: 'boolean', default: false, required: false } },
      schedule: [{ cron: '0 3 * * *', timezone: 'Europe/Berlin', overlap: 'skip', catchUp: 'none' }],
    });
    const byId = Object.fromEntries(wf.tasks.map((t) => [t.id, t]));
    expect(byId.deps!.retry).toEqual({ attempts: 3, backoff: 'exponential', delayMs: 2000, maxDelayMs: 60_000, jitter: true, on: ['network', 'timeout', 75] });
    expect(byId.deps!.timeoutMs).toBe(600_000); // defaults.timeout
    expect(byId.secrets!.continueOnError).toBe(true);
    expect(byId.build!.timeoutMs).toBe(300_000);
    expect(byId.build!.matrix?.maxParallel).toBe(2);
    expect(byId.report).toMatchObject({ uses: 'script', with: { script: 'scripts/report.py', args: ['--count', '${{ tasks.deps.outputs.total }}'] }, if: 'always()', env: { API_TOKEN: '${{ secrets.API_TOKEN }}' } });
    expect(byId.release!.if).toBe("tasks.deps.outputs.critical == 0 && inputs.target == 'prod'");
  });

  it('applies defaults: retry merges key by key, shell and env reach every shell task', async () => {
    const wf = await loadWorkflow(`defaults:
  retry: { attempts: 2, backoff: exponential, delay: 500ms }
  shell: sh -e
  env: { A: "1", B: 2 }
  timeout: 1m
tasks:
  plain:
    run: echo
  more:
    run: echo
    retry: 5
    shell: bash
    env: { B: three }
    timeout: 90
  own:
    script: x.sh
    args: [1, two]
    retry: { delay: 2s }
`);
    const [plain, more, own] = wf.tasks;
    expect(plain).toMatchObject({ with: { run: 'echo', shell: 'sh -e' }, env: { A: '1', B: '2' }, timeoutMs: 60_000, retry: { attempts: 2, backoff: 'exponential', delayMs: 500, maxDelayMs: 60_000, jitter: false } });
    expect(more).toMatchObject({ with: { run: 'echo', shell: 'bash' }, env: { A: '1', B: 'three' }, timeoutMs: 90_000, retry: { attempts: 5, backoff: 'exponential', delayMs: 500 } });
    expect(own).toMatchObject({ uses: 'script', with: { script: 'x.sh', args: ['1', 'two'], shell: 'sh -e' }, retry: { attempts: 2, backoff: 'exponential', delayMs: 2000 } });
  });

  it('names an unnamed workflow after its file and hashes the exact text', async () => {
    const file = join(scratch, 'nightly-build.yaml');
    writeFileSync(file, 'tasks:\n  a:\n    run: x\n');
    const wf = await loadWorkflow(file);
    expect(wf.name).toBe('nightly-build');
    const again = await loadWorkflow({ text: 'tasks:\n  a:\n    run: x\n' });
    expect(again.hash).toBe(wf.hash);
    expect(again.file).toBe('<inline>');
    expect(again.dir).toBe(process.cwd());
    const other = await loadWorkflow('tasks:\n  a:\n    run: y\n');
    expect(other.hash).not.toBe(wf.hash);
  });
});

describe('loadWorkflow on unreadable input', () => {
  it('reports a missing file and a directory as PSR_FILE_READ', async () => {
    await expect(loadWorkflow(join(scratch, 'nope.yml'))).rejects.toMatchObject({ code: 'PSR_FILE_READ', problems: [expect.objectContaining({ message: expect.stringContaining('no such file') })] });
    await expect(loadWorkflow(scratch)).rejects.toMatchObject({ code: 'PSR_FILE_READ', problems: [expect.objectContaining({ message: expect.stringContaining('is a directory') })] });
  });

  it('refuses a file over 5 MB without parsing it', async () => {
    const file = join(scratch, 'huge.yml');
    writeFileSync(file, `tasks:\n${'  # padding padding padding padding padding padding padding\n'.repeat(Math.ceil(MAX_WORKFLOW_BYTES / 60) + 10)}`);
    await expect(loadWorkflow(file)).rejects.toMatchObject({ code: 'PSR_FILE_TOO_LARGE', problems: [expect.objectContaining({ message: expect.stringMatching(/MB; workflow files may be at most 5 MB$/) })] });
    await expect(loadWorkflow({ text: 'x\n'.repeat(MAX_WORKFLOW_BYTES) })).rejects.toMatchObject({ code: 'PSR_FILE_TOO_LARGE' });
  });

  it('refuses binary files: NUL bytes or invalid UTF-8', async () => {
    const nul = join(scratch, 'nul.yml');
    writeFileSync(nul, Buffer.from([0x74, 0x61, 0x73, 0x6b, 0x73, 0x3a, 0x00, 0x01, 0x02]));
    await expect(loadWorkflow(nul)).rejects.toMatchObject({ code: 'PSR_FILE_BINARY', problems: [expect.objectContaining({ message: expect.stringContaining('NUL byte at offset 6') })] });
    const latin1 = join(scratch, 'latin1.yml');
    writeFileSync(latin1, Buffer.from('name: caf\xe9\n', 'latin1'));
    await expect(loadWorkflow(latin1)).rejects.toMatchObject({ code: 'PSR_FILE_BINARY', problems: [expect.objectContaining({ message: expect.stringContaining('not valid UTF-8') })] });
  });

  it('rejects a source that is not a path or text, and a path with a NUL byte', async () => {
    await expect(loadWorkflow(undefined as unknown as string)).rejects.toMatchObject({ code: 'PSR_USAGE' });
    await expect(loadWorkflow({ text: 42 } as unknown as { text: string })).rejects.toMatchObject({ code: 'PSR_USAGE' });
    await expect(loadWorkflow('wf\0.yml')).rejects.toMatchObject({ code: 'PSR_FILE_READ' });
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const bom = join(scratch, 'bom.yml');
    writeFileSync(bom, '\ufefftasks:\n  a:\n    run: x\n');
    expect((await loadWorkflow(bom)).tasks[0]!.id).toBe('a');
  });
});

describe('loadWorkflow on malformed YAML and wrong types', () => {
  it('reports every YAML syntax error with line:col', async () => {
    expect(await problemsOf('tasks:\n  a:\n    run: x\n   b: 1\n  c: [1, 2\nenv:\n  X: 1\n  X: 2\n')).toEqual([
      'wf.yml:4:1: All mapping items must start at the same column [PSR_YAML_SYNTAX]\n  hint: check the indentation: nested keys must be indented more than their parent, with spaces (not tabs)',
      'wf.yml:6:1: Flow sequence in block collection must be sufficiently indented and end with a ] [PSR_YAML_SYNTAX]\n  hint: check the indentation: nested keys must be indented more than their parent, with spaces (not tabs)',
      'wf.yml:8:3: duplicate key: X [PSR_YAML_SYNTAX]\n  hint: each key may appear once in a mapping; merge or rename the duplicates',
    ]);
  });

  it('says an unclosed quote is one, though yaml reports it where the text ends', async () => {
    const [problem] = await problemsOf('version: 1\ntasks:\n  a:\n    run: "echo hi\n  b:\n    run: echo b\n');
    expect(problem).toMatch(/\[PSR_YAML_SYNTAX\]\n {2}hint: a quoted string runs on to here: close the quote/);
  });

  it('rejects more than one document, an empty file and a non-mapping', async () => {
    expect(await problemsOf('tasks: {}\n---\ntasks: {}\n')).toEqual([
      'wf.yml:2:1: the file holds more than one YAML document [PSR_YAML_SYNTAX]\n  hint: a workflow file holds one YAML document; remove the extra `---`',
    ]);
    expect((await problemsOf('\n'))[0]).toMatch(/^wf.yml:1:1: the workflow is empty \[PSR_SCHEMA\]/);
    expect((await problemsOf('- a\n- b\n'))[0]).toMatch(/^wf.yml:1:1: a workflow is a mapping of keys, not a list \[PSR_SCHEMA\]/);
  });

  it('reports YAML nested too deeply instead of overflowing the stack', async () => {
    expect((await problemsOf(`${'['.repeat(100_000)}\n`))[0]).toMatch(/^wf.yml:\d+:\d+: the YAML is nested too deeply to read/);
  });

  it('reports YAML nested too deeply at every depth, closed or not, flow or block, with its position', async () => {
    const tooDeep = /^wf\.yml:(\d+):(\d+): the YAML is nested too deeply to read: more than 256 levels of lists and mappings \[PSR_YAML_SYNTAX\]\n {2}hint: .*nested at most 256 deep/;
    const head = 'version: 1\ntasks: { a: { run: echo } }\n';
    for (const depth of [300, 3_000, 5_000, 50_000]) {
      // A closed flow list: parses fine in yaml's parser, overflowed its composer (from ~4,000 levels) or toJS (~3,000).
      const closed = await problemsOf(`${head}x-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
      expect(closed).toHaveLength(1);
      expect(closed[0]).toMatch(tooDeep);
      expect(closed[0]).toMatch(/^wf\.yml:3:\d+:/);
      // Compact block sequences (`- - - x`) and the simple parser's one-line flow collections nest the same way.
      expect((await problemsOf(`${head}x-deep: ${'- '.repeat(depth)}x\n`.replace('x-deep: -', 'x-deep:\n  -')))[0]).toMatch(tooDeep);
      expect((await problemsOf(`${head}x-deep: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}\n`))[0]).toMatch(tooDeep);
    }
    // Within the limit, the value is read (and checked as usual).
    await expect(loadWorkflow(`${head}x-ok: ${'['.repeat(250)}${']'.repeat(250)}\n`)).resolves.toMatchObject({ name: 'workflow' });
  });

  it('reports values nested too deeply through aliases, and aliases inside their own anchor', async () => {
    // Each anchor nests the one before 200 levels deeper: a shallow text, a 600-level value.
    const anchors = Array.from({ length: 3 }, (_, i) => `x-a${i}: &a${i} ${'['.repeat(200)}${i === 0 ? '1' : `*a${i - 1}`}${']'.repeat(200)}`);
    const deep = await problemsOf(`version: 1\n${anchors.join('\n')}\ntasks:\n  a:\n    run: echo\n    with:\n      x: *a2\n`);
    expect(deep).toHaveLength(1);
    expect(deep[0]).toMatch(/^wf\.yml:\d+:\d+: the YAML is nested too deeply to read/);
    expect(await problemsOf('version: 1\ntasks:\n  a:\n    run: echo\n    env:\n      X: &x [1, *x]\n')).toEqual([
      expect.stringMatching(/^wf\.yml:6:17: an alias \(\*name\) refers to a list or mapping that contains it/),
    ]);
  });

  it('survives alias bombs', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`), 'tasks: { t: { run: x } }'].join('\n') + '\n';
    const err = await loadWorkflow(bomb).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^PSR_/) });
  });

  it('reports wrong types and unknown keys with the key path, position and a hint', async () => {
    expect(await problemsOf(`version: 2
name: [x]
concurrency: "4"
fail-fast: yes
tasks:
  a:
    run: 12
    needs: 3
    env: { A: [1] }
    retry: { attempts: 0 }
    continue-on-error: "no"
    time-out: 5m
  b c:
    run: x
`)).toEqual([
      'wf.yml:1:10: version: 2 is not allowed [PSR_SCHEMA]\n  hint: use one of: 1',
      'wf.yml:2:7: name: expected a string, got a list [PSR_SCHEMA]',
      'wf.yml:3:14: concurrency: expected a number, got the string "4" [PSR_SCHEMA]\n  hint: write the number without quotes',
      'wf.yml:4:12: fail-fast: expected a boolean, got the string "yes" [PSR_SCHEMA]\n  hint: write true or false (yes/no/on/off are strings in YAML 1.2)',
      'wf.yml:7:10: tasks.a.run: expected a string, got number 12 [PSR_SCHEMA]\n  hint: quote it: "12"',
      'wf.yml:8:12: tasks.a.needs: expected a string or a list, got number 3 [PSR_SCHEMA]',
      'wf.yml:9:15: tasks.a.env.A: expected a string or a number or a boolean, got a list [PSR_SCHEMA]',
      'wf.yml:10:24: tasks.a.retry.attempts: must be at least 1 [PSR_SCHEMA]',
      'wf.yml:11:24: tasks.a.continue-on-error: expected a boolean or one ${{ }} expression, got the string "no" [PSR_SCHEMA]\n  hint: write true or false (yes/no/on/off are strings in YAML 1.2), or one expression: ${{ matrix.experimental }}',
      'wf.yml:12:5: unknown key "time-out" in tasks.a [PSR_SCHEMA]\n  hint: did you mean "timeout"?',
      'wf.yml:13:3: task id "b c" is not valid [PSR_SCHEMA]\n  hint: task ids use letters, digits, _ and -, and start with a letter or _',
    ]);
  });

  it('translates keys from GitHub Actions, Argo and Taskfile', async () => {
    const out = await problemsOf('jobs:\n  a: {}\ntasks:\n  b:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    depends_on: [c]\n    run: x\n  c:\n    run: y\n');
    expect(out).toEqual([
      'wf.yml:1:1: unknown key "jobs" at the top level [PSR_SCHEMA]\n  hint: psr calls jobs tasks: rename jobs: to tasks:',
      'wf.yml:5:5: unknown key "runs-on" in tasks.b [PSR_SCHEMA]\n  hint: psr runs tasks on this machine (or on workers); remove runs-on',
      'wf.yml:6:5: unknown key "timeout-minutes" in tasks.b [PSR_SCHEMA]\n  hint: psr writes durations with a unit: timeout: 10m',
      'wf.yml:7:5: unknown key "depends_on" in tasks.b [PSR_SCHEMA]\n  hint: psr calls dependencies needs: needs: [other-task]',
    ]);
  });

  it('reports a missing or empty tasks: key', async () => {
    expect(await problemsOf('name: x\n')).toEqual(['wf.yml:1:1: tasks is required [PSR_SCHEMA]\n  hint: add tasks: under the top level']);
    expect(await problemsOf('name: x\ntasks: {}\n')).toEqual([
      'wf.yml:2:1: the workflow has no tasks [PSR_SCHEMA]\n  hint: add one under tasks:, e.g. tasks: { hello: { run: echo hello } }',
    ]);
  });
});

describe('several problems at once', () => {
  it('reports schema, YAML duplicate-id and semantic problems of different rules in one error, in file order', async () => {
    const err = (await loadWorkflow(
      {
        text: `tasks:
  build:
    run: make
  test:
    needs: [biuld, test]
    run: make \${{ tasks.deploy.outputs.url }}
    timeout: 10x
  build:
    run: again
    timout: 5m
`,
        file: 'ci/wf.yml',
      },
      { registry: testRegistry() },
    ).catch((e: unknown) => e)) as PsrAggregateError;
    expect(err).toBeInstanceOf(PsrAggregateError);
    expect(err.problems.map((p) => `${p.location?.line}:${p.location?.col} ${p.code}`)).toEqual([
      '5:13 PSR_UNKNOWN_NEEDS',
      '5:20 PSR_WORKFLOW_CYCLE',
      '6:19 PSR_EXPRESSION',
      '7:14 PSR_DURATION',
      '8:3 PSR_DUPLICATE_ID',
      '10:5 PSR_SCHEMA',
    ]);
    expect(err.problems.every((p) => p.location?.file === 'ci/wf.yml')).toBe(true);
    expect(err.code).toBe('PSR_UNKNOWN_NEEDS');
  });
});

describe('YAML conveniences and hostile paths', () => {
  it('accepts x-* anchors with merge keys, and keeps on/yes as strings (YAML 1.2)', async () => {
    const wf = await loadWorkflow(`x-common: &common
  retry: 3
  timeout: 1m
tasks:
  a:
    <<: *common
    run: echo yes
  on:
    run: echo on
`);
    expect(wf.tasks[0]).toMatchObject({ id: 'a', timeoutMs: 60_000, retry: { attempts: 3 }, with: { run: 'echo yes' } });
    expect(wf.tasks[1]!.id).toBe('on');
  });

  it('loads a workflow through a symlink and resolves relative paths from the link', async () => {
    const real = join(scratch, 'real.yml');
    writeFileSync(real, 'tasks:\n  a:\n    run: x\n');
    const link = join(scratch, 'link.yml');
    symlinkSync(real, link);
    expect((await loadWorkflow(link)).file).toBe(link);
  });

  it('reports dangling and looping symlinks as PSR_FILE_READ', async () => {
    const dangling = join(scratch, 'dangling.yml');
    symlinkSync(join(scratch, 'gone.yml'), dangling);
    await expect(loadWorkflow(dangling)).rejects.toMatchObject({ code: 'PSR_FILE_READ' });
    const loop = join(scratch, 'loop.yml');
    symlinkSync(loop, loop);
    await expect(loadWorkflow(loop)).rejects.toMatchObject({ code: 'PSR_FILE_READ', problems: [expect.objectContaining({ message: expect.stringContaining('too many symbolic links') })] });
  });

  it('treats ../ paths in plugins: as relative to the workflow file', async () => {
    const dir = join(scratch, 'nested', 'wf');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'wf.yml'), 'plugins: [../../outside.js]\ntasks:\n  a:\n    run: x\n');
    const err = (await loadWorkflow(join(dir, 'wf.yml'), { registry: testRegistry() }).catch((e: unknown) => e)) as PsrAggregateError;
    expect(err.problems[0]).toMatchObject({ code: 'PSR_UNKNOWN_PLUGIN', message: `plugin "../../outside.js" not found: no file ${join(scratch, 'outside.js')}`, location: { line: 1, col: 11 } });
  });
});
