/**
 * Every semantic rule, through loadWorkflow as a user meets it: the rendered
 * `file:line:col: message [CODE]` and the hint.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, PsrAggregateError, type Diagnostic } from '../../errors.js';
import { loadWorkflow } from '../load.js';
import { PluginRegistry } from '../../plugins/registry.js';
import { testPlugin, testRegistry } from '../test-registry.js';

async function problems(text: string, withRegistry = false): Promise<Diagnostic[]> {
  const err = await loadWorkflow({ text, file: 'wf.yml' }, withRegistry ? { registry: testRegistry() } : {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PsrAggregateError);
  return [...(err as PsrAggregateError).problems];
}

async function rendered(text: string, withRegistry = false): Promise<string[]> {
  return (await problems(text, withRegistry)).map((p) => formatDiagnostic(p));
}

describe('knownNeeds', () => {
  it('reports an unknown need at its position with a "did you mean"', async () => {
    const out = await rendered(`version: 1
tasks:
  build:
    run: make
  test:
    needs: [biuld]
    run: make test
`);
    expect(out).toEqual(['wf.yml:6:13: task "test" needs "biuld", which is not a task in this workflow [PSR_UNKNOWN_NEEDS]\n  hint: did you mean "build"?']);
  });

  it('lists the task ids when nothing is close', async () => {
    const [p] = await problems('tasks:\n  a:\n    run: x\n  b:\n    needs: zzzzzz\n    run: y\n');
    expect(p).toMatchObject({ code: 'PSR_UNKNOWN_NEEDS', hint: 'needs lists task ids from this file: a, b', location: { line: 5, col: 12 } });
  });
});

describe('noCycles', () => {
  it('names the cycle path and the line of each edge, and catches self-needs', async () => {
    const out = await rendered(`tasks:
  a:
    needs: [c]
    run: x
  b:
    needs: a
    run: x
  c:
    needs:
      - b
    run: x
  self:
    needs: [self]
    run: x
`);
    expect(out).toEqual([
      'wf.yml:3:13: needs form a cycle: a -> c -> b -> a (a -> c at line 3, c -> b at line 10, b -> a at line 6) [PSR_WORKFLOW_CYCLE]\n  hint: a task cannot (even indirectly) need itself: remove one of these needs entries',
      'wf.yml:13:13: needs form a cycle: self -> self (self -> self at line 13) [PSR_WORKFLOW_CYCLE]\n  hint: task "self" cannot need itself: remove it from its needs',
    ]);
  });

  it('accepts a diamond', async () => {
    const wf = await loadWorkflow('tasks:\n  a: { run: x }\n  b: { run: x, needs: a }\n  c: { run: x, needs: a }\n  d: { run: x, needs: [b, c] }\n');
    expect(wf.tasks).toHaveLength(4);
  });
});

describe('uniqueIds', () => {
  it('reports a duplicate task id pointing back at the first, and repeated needs', async () => {
    const out = await rendered(`tasks:
  a:
    run: x
  b:
    needs: [a, a]
    run: y
  a:
    run: z
`);
    expect(out).toEqual([
      'wf.yml:5:16: task "b" lists "a" in needs twice [PSR_DUPLICATE_ID]\n  hint: remove the repeated entry',
      'wf.yml:7:3: duplicate task id "a" (first defined at line 2) [PSR_DUPLICATE_ID]\n  hint: task ids must be unique: rename one of the tasks',
    ]);
  });

  it('reports a matrix that yields one instance id twice', async () => {
    const [p] = await problems(`tasks:
  m:
    strategy:
      matrix:
        include:
          - { os: linux }
          - { os: linux }
    run: x
`);
    expect(p).toMatchObject({ code: 'PSR_DUPLICATE_ID', message: 'matrix of "m" produces the instance "m (os=linux)" twice', location: { line: 4, col: 7 } });
  });
});

describe('knownTaskTypes', () => {
  it('suggests the nearest registered type and lists them all', async () => {
    const out = await rendered('tasks:\n  a:\n    uses: greeet\n  b:\n    uses: nothing-like-it\n  c:\n    run: echo ok\n', true);
    expect(out).toEqual([
      'wf.yml:3:11: unknown task type "greeet" in task "a" [PSR_UNKNOWN_TASK_TYPE]\n  hint: did you mean "greet"? registered task types: greet, pair, run, script, secret-scan; add the plugin that provides it to plugins:',
      'wf.yml:5:11: unknown task type "nothing-like-it" in task "b" [PSR_UNKNOWN_TASK_TYPE]\n  hint: registered task types: greet, pair, run, script, secret-scan; add the plugin that provides it to plugins:',
    ]);
  });

  it('does not report a task type for a run: the schema already rejected', async () => {
    const out = await rendered('tasks:\n  a:\n    run: 12\n', true);
    expect(out).toEqual(['wf.yml:3:10: tasks.a.run: expected a string, got number 12 [PSR_SCHEMA]\n  hint: quote it: "12"']);
  });

  it('does not check task types without a registry', async () => {
    const wf = await loadWorkflow('tasks:\n  a:\n    uses: anything\n');
    expect(wf.tasks[0]).toMatchObject({ uses: 'anything', with: {} });
  });

  it('requires exactly one of uses/run/script and keys that fit the kind', async () => {
    const out = await rendered(`tasks:
  a:
    run: x
    uses: greet
  b:
    env: {}
  c:
    run: x
    with: { a: 1 }
    args: [1]
`);
    expect(out).toEqual([
      'wf.yml:3:5: task "a" has uses: and run:; a task has exactly one of uses:, run:, script: [PSR_SCHEMA]\n  hint: split it into separate tasks joined by needs',
      'wf.yml:5:3: task "b" has nothing to do: it needs one of uses:, run: or script: [PSR_SCHEMA]\n  hint: add `run: <command>`, `script: <file>` or `uses: <task type>`',
      'wf.yml:9:5: task "c": with: is not allowed with run: [PSR_SCHEMA]\n  hint: with: belongs to uses: tasks; a run:/script: task takes env: and args:',
      'wf.yml:10:5: task "c": args: is not allowed with run: [PSR_SCHEMA]\n  hint: args: belongs to script: tasks',
    ]);
  });
});

describe('knownTaskTypes in a program that registered no shell plugin', () => {
  it('says how to register it', async () => {
    const registry = new PluginRegistry();
    registry.register(testPlugin, 'test');
    const err = (await loadWorkflow({ text: 'tasks:\n  a:\n    run: make\n', file: 'wf.yml' }, { registry }).catch((e: unknown) => e)) as PsrAggregateError;
    expect(err.problems.map((p) => formatDiagnostic(p))).toEqual([
      "wf.yml:3:10: task \"a\" is a run: task, but the built-in shell plugin (psr:shell) is not registered [PSR_UNKNOWN_TASK_TYPE]\n  hint: register it with the registry: import { shellPlugin } from '@psr/plugin-shell'; registry.register(shellPlugin, '@psr/plugin-shell')",
    ]);
  });
});

describe('knownRetryKinds', () => {
  it('refuses a retry.on kind the task type never fails with, and kinds never retried, at the entry', async () => {
    const out = await rendered(
      `tasks:
  audit:
    uses: secret-scan
    retry: { attempts: 3, on: [network, timeout, sorce] }
  build:
    run: make
    retry: { attempts: 2, on: [network, 75, input] }
  greet:
    uses: greet
    with: { who: x }
    retry: { attempts: 2, on: [anything] }
`,
      true,
    );
    expect(out).toEqual([
      'wf.yml:4:32: task "audit" retry.on: "network" is not a failure kind of secret-scan: nothing would be retried for it [PSR_SCHEMA]\n  hint: secret-scan fails as "findings", "source", any task as "timeout" or "error"',
      'wf.yml:4:50: task "audit" retry.on: "sorce" is not a failure kind of secret-scan: nothing would be retried for it [PSR_SCHEMA]\n  hint: secret-scan fails as "findings", "source", any task as "timeout" or "error"; did you mean "source"?',
      'wf.yml:7:45: task "build" retry.on: "input" failures are never retried [PSR_SCHEMA]\n  hint: another attempt cannot change them: remove it',
    ]);
  });
});

describe('taskInputs (with: against the task type schema)', () => {
  it('reports each offending key at its position, skipping keys with expressions', async () => {
    const out = await rendered(
      `tasks:
  a:
    uses: greet
    with:
      who: 5
      extra: 1
  b:
    uses: greet
    with:
      who: \${{ inputs.name }}
      times: 0
  c:
    uses: greet
  d:
    script: build.rb
inputs:
  name: { default: x }
`,
      true,
    );
    expect(out).toEqual([
      'wf.yml:5:12: task "a" (greet) with: who: expected a string, got number 5 [PSR_TASK_INPUT]\n  hint: quote it: "5"',
      'wf.yml:6:7: task "a" (greet) with: unknown key "extra" in with: [PSR_TASK_INPUT]\n  hint: allowed keys: who, times',
      'wf.yml:11:14: task "b" (greet) with: times: must be at least 1 [PSR_TASK_INPUT]\n  hint: task type "greet" from test: Say hello',
      'wf.yml:13:5: task "c" (greet) with: who is required [PSR_TASK_INPUT]\n  hint: add who: under with:',
      'wf.yml:15:13: task "d" (script) script: unknown script extension [PSR_TASK_INPUT]\n  hint: task type "script" from psr:shell: Run a script',
    ]);
  });

  it('quotes a number in the hint as it is written, not as YAML reads it (3.10 is the number 3.1)', async () => {
    const text = 'tasks:\n  a:\n    uses: greet\n    with:\n      who: 3.10\n  b:\n    uses: greet\n    with: { who: 0x1F }\n  c:\n    uses: greet\n    with:\n      who: 12\n  d:\n    run: 1.50\n';
    const expected = [
      'wf.yml:5:12: task "a" (greet) with: who: expected a string, got number 3.1 (YAML reads 3.10 as that number) [PSR_TASK_INPUT]\n  hint: quote it: "3.10"',
      'wf.yml:8:18: task "b" (greet) with: who: expected a string, got number 31 (YAML reads 0x1F as that number) [PSR_TASK_INPUT]\n  hint: quote it: "0x1F"',
      'wf.yml:12:12: task "c" (greet) with: who: expected a string, got number 12 [PSR_TASK_INPUT]\n  hint: quote it: "12"',
      'wf.yml:14:10: tasks.d.run: expected a string, got number 1.5 (YAML reads 1.50 as that number) [PSR_SCHEMA]\n  hint: quote it: "1.50"',
    ];
    expect(await rendered(text, true)).toEqual(expected);
    // The same through yaml's full parser (an anchor is outside the fast subset).
    expect(await rendered(`x-v: &v 1\n${text}    env: { A: *v }\n`, true)).toEqual(expected.map((e) => e.replace(/^wf\.yml:(\d+)/, (_, n: string) => `wf.yml:${Number(n) + 1}`)));
  });

  it('reports a task type\'s own rule (a zod refinement) at the key it names, with the hint it gives', async () => {
    const out = await rendered('tasks:\n  a:\n    uses: pair\n    with:\n      from: [x, y]\n      to: [z]\n', true);
    expect(out).toEqual(['wf.yml:6:11: task "a" (pair) with: to: 2 source(s) but 1 destination(s) [PSR_TASK_INPUT]\n  hint: one destination per source']);
  });

  it('accepts valid input and keeps with: as written (defaults apply at run time)', async () => {
    const wf = await loadWorkflow({ text: 'tasks:\n  a:\n    uses: greet\n    with: { who: me }\n' }, { registry: testRegistry() });
    expect(wf.tasks[0]!.with).toEqual({ who: 'me' });
  });
});

describe('validExpressions', () => {
  it('checks syntax, contexts, functions, needs for tasks.X, matrix use and declared inputs', async () => {
    const out = await rendered(`inputs:
  target: { default: staging }
env:
  A: \${{ tasks.x.outputs.y }}
tasks:
  a:
    run: echo \${{ inputs.targt }} \${{ matrix.os }}
  b:
    run: echo \${{ tasks.a.outputs.x }} and \${{ tasks.c.result }} \${{ tasks.nope.result }}
  c:
    needs: [b]
    if: \${{ tasks.a.result == 'success' && nope() }}
    run: "echo \${{ 1 + }}"
  d:
    strategy:
      matrix:
        os: [linux]
    run: echo \${{ matrix.os }} \${{ matrix.python }} \${{ run.id }} \${{ run.foo }} \${{ github.sha }}
    timeout: \${{ inputs.t }}
  e:
    run: echo \${{ inputs.target
`);
    expect(out).toEqual([
      'wf.yml:4:10: tasks.* is not available in workflow-level env [PSR_EXPRESSION]\n  hint: read task outputs inside the task that needs them',
      'wf.yml:7:19: inputs.targt is not declared [PSR_EXPRESSION]\n  hint: did you mean "target"?',
      'wf.yml:7:39: task "a" reads matrix.os, but has no strategy.matrix [PSR_EXPRESSION]\n  hint: matrix values exist only inside a task with strategy.matrix',
      'wf.yml:9:19: task "b" reads tasks.a, but does not need "a" [PSR_EXPRESSION]\n  hint: add "a" to the needs of "b" so it has finished first',
      'wf.yml:9:48: task "b" reads tasks.c, but does not need "c" [PSR_EXPRESSION]\n  hint: add "c" to the needs of "b" so it has finished first',
      'wf.yml:9:70: task "b" reads tasks.nope, which is not a task in this workflow [PSR_EXPRESSION]\n  hint: tasks: a, b, c, d, e',
      "wf.yml:12:44: unknown function \"nope\" in ${{ tasks.a.result == 'success' && nope() }} [PSR_EXPRESSION]\n  hint: functions: success(), failure(), always(), cancelled(), contains, startsWith, endsWith, format, join, toJSON, fromJSON",
      "wf.yml:13:22: invalid expression ${{ 1 + }}: Unexpected symbol: '+' [PSR_EXPRESSION]\n  hint: expressions use the GitHub Actions syntax: ${{ inputs.x == 'prod' && tasks.build.result == 'success' }}",
      'wf.yml:18:36: task "d" reads matrix.python, which is not a matrix key [PSR_EXPRESSION]\n  hint: matrix keys: os',
      'wf.yml:18:71: run.foo does not exist [PSR_EXPRESSION]\n  hint: run has: id, attempt, workflow, started-at',
      'wf.yml:18:86: unknown context "github" in ${{ github.sha }} [PSR_EXPRESSION]\n  hint: psr has no github context; use run.id, run.workflow, env.* or inputs.*',
      'wf.yml:19:14: expressions are not evaluated in tasks.d.timeout [PSR_EXPRESSION]\n  hint: use ${{ }} only in a task\'s with, run, script, args, shell, env, if, continue-on-error or strategy.matrix, or in env, defaults.env and defaults.shell',
      'wf.yml:21:15: unclosed ${{: the expression has no closing }} [PSR_EXPRESSION]\n  hint: close it: ${{ inputs.name }}',
    ]);
  });

  it('points GitHub Actions contexts to their psr equivalents', async () => {
    const out = await rendered('tasks:\n  a:\n    run: x\n  b:\n    needs: a\n    run: echo ${{ needs.a.outputs.v }}\n');
    expect(out).toEqual([
      'wf.yml:6:19: unknown context "needs" in ${{ needs.a.outputs.v }} [PSR_EXPRESSION]\n  hint: psr reads other tasks as tasks.<id>.outputs.<key> and tasks.<id>.result (the task must be in needs)',
    ]);
  });

  it('accepts indirect needs, if: without braces, and include-only matrix keys', async () => {
    const wf = await loadWorkflow(`tasks:
  a:
    run: echo
  b:
    needs: a
    run: echo
  c:
    needs: b
    if: tasks.a.outputs.n > 1 || failure()
    strategy:
      matrix:
        os: [linux]
        include: [{ os: linux, extra: yes }]
    run: echo \${{ tasks.a.outputs.n }} \${{ matrix.extra }} \${{ secrets.TOKEN }} \${{ env.HOME }}
`);
    expect(wf.tasks[2]!.if).toBe('tasks.a.outputs.n > 1 || failure()');
  });

  it('strips the ${{ }} of if: and rejects text around it', async () => {
    const wf = await loadWorkflow('tasks:\n  a:\n    run: x\n    if: ${{ always() }}\n');
    expect(wf.tasks[0]!.if).toBe('always()');
    const [p] = await problems('tasks:\n  a:\n    run: x\n    if: ok ${{ always() }}\n');
    expect(p).toMatchObject({ code: 'PSR_EXPRESSION', location: { line: 4, col: 9 } });
  });
});

describe('validDurations', () => {
  it('reports every bad duration at its value', async () => {
    const out = await rendered(`timeout: 1x
defaults:
  timeout: soon
  retry: { delay: 5q }
tasks:
  a:
    run: x
    timeout: 0
    retry:
      max-delay: 1m1h
      budget: -3
`);
    const hint = '\n  hint: write a number with a unit: 500ms, 30s, 5m, 1h, 1h30m, 2d (a bare number means seconds)';
    expect(out).toEqual([
      `wf.yml:1:10: timeout: invalid duration "1x" [PSR_DURATION]${hint}`,
      `wf.yml:3:12: timeout: invalid duration "soon" [PSR_DURATION]${hint}`,
      `wf.yml:4:19: delay: invalid duration "5q" [PSR_DURATION]${hint}`,
      'wf.yml:8:14: timeout of 0 would stop at once [PSR_DURATION]\n  hint: use a positive duration, or remove the key for no limit',
      `wf.yml:10:18: max-delay: invalid duration "1m1h" [PSR_DURATION]${hint}`,
      `wf.yml:11:15: budget: invalid duration -3 [PSR_DURATION]${hint}`,
    ]);
  });
});

describe('validMatrix', () => {
  it('reports empty and non-list axes, bad include/exclude, max-parallel and empty expansions', async () => {
    const out = await rendered(`tasks:
  a:
    strategy:
      matrix:
        os: []
        py: 3
    run: x
  b:
    strategy:
      matrix:
        os: [linux]
        exclude:
          - oss: linux
        include: nope
      max-parallel: 0
    run: x
  c:
    strategy:
      matrix:
        os: [linux]
        exclude:
          - os: linux
    run: x
  d:
    strategy:
      matrix: {}
    run: x
`);
    expect(out).toEqual([
      'wf.yml:5:13: matrix axis "os" of task "a" is empty [PSR_MATRIX]\n  hint: give the axis at least one value (os: [a, b]), or remove it',
      'wf.yml:6:13: matrix axis "py" of task "a" must be a list of values [PSR_MATRIX]\n  hint: write it as a list: py: [a, b], or as one expression that gives a list: py: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
      'wf.yml:13:13: matrix exclude of task "b" names "oss", which is not an axis [PSR_MATRIX]\n  hint: did you mean "os"?',
      'wf.yml:14:18: matrix include of task "b" must be a list of mappings [PSR_MATRIX]\n  hint: include: [{ os: value }]',
      'wf.yml:15:21: max-parallel of task "b" is 0; it must be at least 1 [PSR_MATRIX]\n  hint: remove it to run as many instances as concurrency allows',
      'wf.yml:19:7: matrix of task "c" expands to no instances [PSR_MATRIX]\n  hint: the exclude entries remove every combination; loosen them',
      'wf.yml:26:7: matrix of task "d" expands to no instances [PSR_MATRIX]\n  hint: add at least one axis (name: [values]) or include entry',
    ]);
  });

  it('refuses combinatorial explosions', async () => {
    const ten = `[${Array.from({ length: 10 }, (_, i) => i).join(', ')}]`;
    const [p] = await problems(`tasks:\n  big:\n    strategy:\n      matrix:\n        a: ${ten}\n        b: ${ten}\n        c: ${ten}\n    run: x\n`);
    expect(p).toMatchObject({ code: 'PSR_MATRIX', message: 'matrix of task "big" expands to 1000 instances; the limit is 256' });
  });

  it('normalises a valid matrix', async () => {
    const wf = await loadWorkflow('tasks:\n  b:\n    strategy:\n      matrix: { py: ["3.11", "3.12"], os: [linux], exclude: [{ py: "3.11" }] }\n      max-parallel: 2\n    run: x\n');
    expect(wf.tasks[0]!.matrix).toEqual({ axes: { py: ['3.11', '3.12'], os: ['linux'] }, include: [], exclude: [{ py: '3.11' }], maxParallel: 2 });
  });
});

describe('dynamic matrix', () => {
  it('accepts an expression as the whole matrix, as an axis and as include/exclude, and normalises it', async () => {
    const wf = await loadWorkflow(`inputs:
  extra: { default: '[]' }
tasks:
  list:
    run: echo
  test:
    needs: list
    strategy:
      matrix:
        pkg: \${{ fromJSON(tasks.list.outputs.pkgs) }}
        py: ["3.11", "3.12"]
        exclude: \${{ fromJSON(inputs.extra) }}
      max-parallel: 2
    run: echo \${{ matrix.pkg }} \${{ matrix.py }}
  whole:
    needs: list
    strategy:
      matrix: \${{ fromJSON(tasks.list.outputs.matrix) }}
    run: echo \${{ matrix.anything }} \${{ env.HOME }} \${{ run.id }}
`);
    const byId = Object.fromEntries(wf.tasks.map((t) => [t.id, t]));
    expect(byId.test!.matrix).toEqual({
      axes: { pkg: [], py: ['3.11', '3.12'] },
      include: [],
      exclude: [],
      maxParallel: 2,
      expressions: { axes: { pkg: 'fromJSON(tasks.list.outputs.pkgs)' }, exclude: 'fromJSON(inputs.extra)' },
    });
    expect(byId.whole!.matrix).toEqual({ axes: {}, include: [], exclude: [], expressions: { matrix: 'fromJSON(tasks.list.outputs.matrix)' } });
  });

  it('reports tasks outside needs, matrix and secrets contexts, bad syntax and text around the expression, at file:line:col', async () => {
    const out = await rendered(`tasks:
  list:
    run: echo
  a:
    strategy:
      matrix:
        pkg: \${{ fromJSON(tasks.list.outputs.pkgs) }}
    run: echo \${{ matrix.pkgg }}
  b:
    needs: list
    strategy:
      matrix: \${{ fromJSON(secrets.M) }}
    if: matrix.os == 'linux'
    run: x
  c:
    needs: list
    strategy:
      matrix:
        os: \${{ matrix.os }}
        py: \${{ fromJSON(tasks.list.outputs.py }}
        include: "v\${{ inputs.x }}"
    run: x
`);
    expect(out).toEqual([
      'wf.yml:7:27: task "a" reads tasks.list, but does not need "list" [PSR_EXPRESSION]\n  hint: add "list" to the needs of "a" so it has finished first',
      'wf.yml:8:19: task "a" reads matrix.pkgg, which is not a matrix key [PSR_EXPRESSION]\n  hint: did you mean "pkg"?',
      'wf.yml:12:28: the matrix of task "b" reads secrets.M, which a matrix expression cannot read [PSR_EXPRESSION]\n  hint: instance ids show matrix values in output and history, so secrets stay out of them',
      'wf.yml:13:9: the if: of task "b" reads matrix.os, but its matrix comes from an expression and expands only after if: is decided [PSR_EXPRESSION]\n  hint: test the value inside the task (run:), or drop combinations with exclude',
      'wf.yml:19:17: the matrix of task "c" reads matrix.os, which a matrix expression cannot read [PSR_EXPRESSION]\n  hint: the matrix is being built: read inputs, env, run or the outputs of tasks in needs',
      expect.stringMatching(/^wf\.yml:20:\d+: invalid expression \$\{\{ fromJSON\(tasks\.list\.outputs\.py \}\}: .* \[PSR_EXPRESSION\]/),
      'wf.yml:21:18: a matrix value from an expression must be one ${{ }} and nothing else, not text ("v${{ inputs.x }}") [PSR_MATRIX]\n  hint: the expression must give the list (or mapping) itself: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
    ]);
  });

  it('gives one diagnostic for a bad static value, an expression inside a list, or a whole matrix that is plain text', async () => {
    const out = await rendered(`tasks:
  a:
    strategy:
      matrix:
        item: hello
    run: x
  b:
    strategy:
      matrix:
        item: [a, "\${{ inputs.x }}"]
    run: x
  c:
    strategy:
      matrix: linux
    run: x
`);
    expect(out).toEqual([
      'wf.yml:5:15: matrix axis "item" of task "a" must be a list of values [PSR_MATRIX]\n  hint: write it as a list: item: [a, b], or as one expression that gives a list: item: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
      'wf.yml:10:19: expressions are not evaluated in tasks.b.strategy.matrix.item[1] [PSR_EXPRESSION]\n  hint: write the whole list as one expression instead: axis: ${{ fromJSON(tasks.<id>.outputs.<name>) }} (also works for include, exclude and the whole matrix)',
      'wf.yml:14:15: strategy.matrix of task "c" must be a mapping of axes, or one ${{ }} expression that gives one [PSR_MATRIX]\n  hint: matrix: { os: [linux, mac] }, or matrix: ${{ fromJSON(tasks.<id>.outputs.<name>) }}',
    ]);
  });

  it('keeps the static checks of the parts written out, the size limit included', async () => {
    const ten = `[${Array.from({ length: 10 }, (_, i) => i).join(', ')}]`;
    const out = await problems(`tasks:\n  big:\n    strategy:\n      matrix:\n        a: ${ten}\n        b: ${ten}\n        c: ${ten}\n        d: \${{ fromJSON('[1]') }}\n        e: []\n    run: x\n`);
    expect(out.map((p) => p.message)).toEqual(['matrix axis "e" of task "big" is empty']);
    const [p] = await problems(`tasks:\n  big:\n    strategy:\n      matrix:\n        a: ${ten}\n        b: ${ten}\n        c: ${ten}\n        d: \${{ fromJSON('[1]') }}\n    run: x\n`);
    expect(p).toMatchObject({ code: 'PSR_MATRIX', message: 'matrix of task "big" expands to at least 1000 instances; the limit is 256', location: { line: 4, col: 7 } });
  });
});

describe('continue-on-error and strategy.fail-fast', () => {
  it('accepts the GitHub Actions matrix idiom: continue-on-error from a matrix value, strategy.fail-fast', async () => {
    const wf = await loadWorkflow({
      text: `inputs:
  lenient: { type: boolean, default: false }
tasks:
  list:
    run: x
  build:
    needs: list
    strategy:
      fail-fast: true
      matrix:
        py: ["3.11", "3.12"]
        experimental: [false]
        include: [{ py: "3.13", experimental: true }]
    continue-on-error: \${{ matrix.experimental || inputs.lenient || tasks.list.outputs.ok == 'yes' || env.X == run.id }}
    run: x
  plain:
    continue-on-error: true
    run: x
`,
      file: 'wf.yml',
    });
    const build = wf.tasks.find((t) => t.id === 'build')!;
    expect(build).toMatchObject({ continueOnError: false, continueOnErrorExpression: "matrix.experimental || inputs.lenient || tasks.list.outputs.ok == 'yes' || env.X == run.id" });
    expect(build.matrix!.failFast).toBe(true);
    expect(wf.tasks.find((t) => t.id === 'plain')).toMatchObject({ continueOnError: true });
    expect(wf.tasks.find((t) => t.id === 'plain')!.continueOnErrorExpression).toBeUndefined();
  });

  it('checks a continue-on-error expression like any other: syntax, contexts, needs, no secrets, one whole expression', async () => {
    const out = await rendered(`tasks:
  a:
    run: x
  b:
    continue-on-error: \${{ matrix.x }}
    run: x
  c:
    continue-on-error: \${{ tasks.a.result == 'failure' }}
    run: x
  d:
    continue-on-error: \${{ secrets.TOKEN }}
    run: x
  e:
    continue-on-error: \${{ inputs.x ==  }}
    run: x
  f:
    continue-on-error: "ok \${{ true }}"
    run: x
  g:
    strategy:
      fail-fast: "yes"
      matrix: { n: [1] }
    run: x
`);
    expect(out).toEqual([
      'wf.yml:5:28: task "b" reads matrix.x, but has no strategy.matrix [PSR_EXPRESSION]\n  hint: matrix values exist only inside a task with strategy.matrix',
      'wf.yml:8:28: task "c" reads tasks.a, but does not need "a" [PSR_EXPRESSION]\n  hint: add "a" to the needs of "c" so it has finished first',
      'wf.yml:11:28: the continue-on-error of task "d" reads secrets.TOKEN, which it cannot read [PSR_EXPRESSION]\n  hint: whether a failure continues shows in output and history: decide it from inputs, env, matrix, run or tasks in needs',
      expect.stringMatching(/^wf\.yml:14:\d+: invalid expression \$\{\{ inputs\.x == \}\}: .* \[PSR_EXPRESSION\]/),
      'wf.yml:17:24: tasks.f.continue-on-error: expected a boolean or one ${{ }} expression, got the string "ok ${{ true }}" [PSR_SCHEMA]\n  hint: write true or false (yes/no/on/off are strings in YAML 1.2), or one expression: ${{ matrix.experimental }}',
      'wf.yml:21:18: tasks.g.strategy.fail-fast: expected a boolean, got the string "yes" [PSR_SCHEMA]\n  hint: write true or false (yes/no/on/off are strings in YAML 1.2)',
    ]);
  });

  it('gives one diagnostic, the expression one, for ${{ }} in a field that takes none', async () => {
    const out = await rendered(`concurrency: \${{ 2 }}
fail-fast: \${{ true }}
timeout: \${{ inputs.t }}
defaults:
  retry: \${{ 3 }}
tasks:
  a:
    run: x
    needs: \${{ inputs.t }}
    timeout: \${{ inputs.t }}
    retry: { attempts: "\${{ 3 }}", delay: "\${{ 1 }}", jitter: "\${{ true }}" }
    strategy:
      max-parallel: \${{ 2 }}
      fail-fast: \${{ true }}
      matrix: { n: [1] }
`);
    const hint = "\n  hint: use ${{ }} only in a task's with, run, script, args, shell, env, if, continue-on-error or strategy.matrix, or in env, defaults.env and defaults.shell";
    expect(out).toEqual(
      [
        'wf.yml:1:14: expressions are not evaluated in concurrency',
        'wf.yml:2:12: expressions are not evaluated in fail-fast',
        'wf.yml:3:10: expressions are not evaluated in timeout',
        'wf.yml:5:10: expressions are not evaluated in defaults.retry',
        'wf.yml:9:12: expressions are not evaluated in tasks.a.needs',
        'wf.yml:10:14: expressions are not evaluated in tasks.a.timeout',
        'wf.yml:11:24: expressions are not evaluated in tasks.a.retry.attempts',
        'wf.yml:11:43: expressions are not evaluated in tasks.a.retry.delay',
        'wf.yml:11:63: expressions are not evaluated in tasks.a.retry.jitter',
        'wf.yml:13:21: expressions are not evaluated in tasks.a.strategy.max-parallel',
        'wf.yml:14:18: expressions are not evaluated in tasks.a.strategy.fail-fast',
      ].map((line) => `${line} [PSR_EXPRESSION]${hint}`),
    );
  });

  it('gives one diagnostic, not also a cron, plugin or task type one, for ${{ }} in cron, timezone, plugins and uses', async () => {
    const out = await problems(
      `on:
  schedule:
    - cron: \${{ inputs.c }}
      timezone: \${{ inputs.tz }}
plugins: ["\${{ inputs.p }}"]
tasks:
  a:
    uses: \${{ inputs.u }}
`,
      true,
    );
    expect(out.map((p) => `${p.location?.line}:${p.location?.col} ${p.code} ${p.message}`)).toEqual([
      '3:13 PSR_EXPRESSION expressions are not evaluated in on.schedule[0].cron',
      '4:17 PSR_EXPRESSION expressions are not evaluated in on.schedule[0].timezone',
      '5:11 PSR_EXPRESSION expressions are not evaluated in plugins[0]',
      '8:11 PSR_EXPRESSION expressions are not evaluated in tasks.a.uses',
    ]);
  });
});

describe('validCron', () => {
  it('checks field count, values, never-firing dates and IANA timezones', async () => {
    const out = await rendered(`on:
  schedule:
    - cron: "0 3 * * *"
      timezone: Mars/Olympus
    - cron: "61 * * * *"
    - cron: "0 3 * *"
    - cron: "0 0 30 2 *"
    - cron: "*/10 * * * * *"
      timezone: Europe/Berlin
tasks:
  a:
    run: x
`);
    expect(out).toEqual([
      'wf.yml:4:17: unknown timezone "Mars/Olympus" [PSR_CRON]\n  hint: use an IANA timezone name such as UTC, Europe/Berlin or America/New_York',
      'wf.yml:5:13: invalid cron "61 * * * *": Invalid value for minute: 61 [PSR_CRON]\n  hint: five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *"), or six with seconds first',
      'wf.yml:6:13: cron "0 3 * *" has 4 field(s); psr reads 5 (minute hour day-of-month month day-of-week) or 6 (seconds first) [PSR_CRON]\n  hint: for example "0 3 * * *" (03:00 every day) or "*/30 * * * * *" (every 30 seconds)',
      'wf.yml:7:13: cron "0 0 30 2 *" never fires [PSR_CRON]\n  hint: check day and month: a date such as 30 February never comes',
    ]);
  });

  it('normalises schedules with defaults', async () => {
    const wf = await loadWorkflow('on:\n  schedule:\n    - cron: "*/5 * * * *"\ntasks:\n  a:\n    run: x\n');
    expect(wf.schedule).toEqual([{ cron: '*/5 * * * *', timezone: 'UTC', overlap: 'skip', catchUp: 'none', location: expect.objectContaining({ line: 3, col: 13 }) }]);
  });
});

describe('validInputs', () => {
  it('checks default and enum against the type and each other', async () => {
    const out = await rendered(`inputs:
  a: { type: number, default: "1" }
  b: { type: string, enum: [x, 2], default: y }
  c: { type: boolean, enum: [] }
  d: { required: true, default: x }
tasks:
  t:
    run: x
`);
    expect(out).toEqual([
      'wf.yml:2:31: default of input "a" is "1" (string), but its type is number [PSR_INPUT]\n  hint: give a number default or change type:',
      'wf.yml:3:32: enum value 2 of input "b" is not a string [PSR_INPUT]\n  hint: quote it',
      'wf.yml:3:45: default "y" of input "b" is not one of its enum values ("x", 2) [PSR_INPUT]\n  hint: make the default one of the allowed values',
      'wf.yml:4:29: enum of input "c" is empty [PSR_INPUT]\n  hint: list the allowed values, or remove enum:',
      'wf.yml:5:18: input "d" is required but has a default, which would never apply [PSR_INPUT]\n  hint: remove required: true or the default',
    ]);
  });

  it('normalises inputs: required when there is no default', async () => {
    const wf = await loadWorkflow('inputs:\n  target: { enum: [a, b], default: a }\n  n: { type: number }\ntasks:\n  t:\n    run: x\n');
    expect(wf.inputs).toEqual({ target: { type: 'string', enum: ['a', 'b'], default: 'a', required: false }, n: { type: 'number', required: true } });
  });
});
