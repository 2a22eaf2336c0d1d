/**
 * The fast YAML subset parser must agree with the `yaml` package on everything it accepts:
 * same values, same node kinds, same source ranges, no YAML errors. Checked on every workflow
 * in the repository, on hand-written edge cases and on thousands of seeded mutations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { parseSimpleYaml } from './simple-yaml.js';

const OPTIONS = { version: '1.2', merge: true } as const;

/** Kinds, values and ranges ([start, end]) of a node tree, for comparison. */
function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.range?.slice(0, 2), flow: node.flow ?? false, items: node.items.map((p) => (isPair(p) ? [shape(p.key), shape(p.value)] : 'not a pair')) };
  if (isSeq(node)) return { seq: node.range?.slice(0, 2), flow: node.flow ?? false, items: node.items.map(shape) };
  if (isScalar(node)) return { scalar: node.value, type: node.type, range: node.range?.slice(0, 2) };
  return { other: String(node) };
}

/** Parse with both; when the fast parser accepts, it must match `yaml` exactly. Returns whether it accepted. */
function agree(text: string): boolean {
  const simple = parseSimpleYaml(text, new Document(null, OPTIONS));
  if (simple === undefined) return false;
  const full = parseDocument(text, { ...OPTIONS, uniqueKeys: true, strict: true, prettyErrors: false });
  expect(full.errors.map((e) => e.code), text).toEqual([]);
  expect(shape(simple), text).toEqual(shape(full.contents));
  const doc = new Document(null, OPTIONS);
  doc.contents = simple as typeof doc.contents;
  expect(doc.toJS(), text).toEqual(full.toJS());
  return true;
}

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const workflows = [
  'examples/hello/workflow.yml',
  'examples/security-audit/workflow.yml',
  'examples/tracing/workflow.yml',
  'apps/cli/fixtures/local-plugin/workflow.yml',
  'apps/cli/fixtures/local-plugin/bad-input.yml',
  ...readdirSync(join(root, 'packages/core/fixtures/workflows')).map((f) => `packages/core/fixtures/workflows/${f}`),
].map((f) => readFileSync(join(root, f), 'utf8'));

/** The shape of the start-up benchmark's workflow: flow mappings, expressions, durations. */
function generated(tasks: number): string {
  const lines = ['name: bench', 'inputs:', '  target: { type: string, default: staging, enum: [staging, prod] }', 'tasks:'];
  for (let i = 0; i < tasks; i++) {
    const needs = i === 0 ? '' : `, needs: [t${Math.floor((i - 1) / 2)}]`;
    const extra = i % 10 === 0 ? `, if: "\${{ inputs.target == 'prod' || success() }}", retry: { attempts: 2, delay: 1s }, timeout: 5m` : '';
    lines.push(`  t${i}: { run: "echo task ${i} \${{ inputs.target }}"${needs}${extra} }`);
  }
  return `${lines.join('\n')}\n`;
}

const EDGE_CASES = [
  'a: x  # c\nb:\n  - 1\n  - "q"\nc: { k: v, l: [1, two] }\nd:\ne:\n- z\nf: end',
  '# top\n\nname: w # c\ntasks:\n  a:\n    run: x\n\n    # mid\n  b: { run: y }\n  # end\n\non:\n  schedule:\n    - cron: "0 * * * *"\n      tz: x\n    -   k: v\nlast: [a]\n\n# tail\n',
  'n: 012\nh: 0x1F\no: 0o17\nf: 1.50\ne: 1e3\ninf: -.inf\nnan: .NaN\nt: True\nnull1: ~\nnull2: NULL\ns: yes\non: off\nneg: -1\nflag: -v\n',
  "q: 'it''s'\nd: \"a\\\"b\\\\c\\n\"\nu: \"\\u00e9\"\nhash: a#b\nurl: http://x/y\ncolon: a:b\n",
  'a: [ ]\nb: {}\nc: [a , b]\nd: { a: 1 , b: 2 }\ne: [[1, 2], [3]]\nf: { g: { h: i } }\n',
  'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
  'a: b\n  c\n',
  'a: &x 1\nb: *x\n',
  'a: |\n  text\n',
  'a: 1\na: 2\n',
  'x:\n- a\n-\n  - b\n',
  'k: v   \n',
  'k: [a, b,]\n',
  'k: "unterminated\n',
  '- a\n- b\n',
  'a:\n    - x\n    - y\nb: 1\n',
];

describe('the simple YAML parser', () => {
  it('accepts the repository workflows it can and matches yaml on every one it accepts', () => {
    const accepted = workflows.filter(agree).length;
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts the start-up benchmark workflow and matches yaml', () => {
    expect(agree(generated(200))).toBe(true);
  });

  it('matches yaml on edge cases, or leaves them to yaml', () => {
    for (const text of EDGE_CASES) agree(text);
    expect(agree('a: x  # c\nb:\n  - 1\n  - "q"\nc: { k: v, l: [1, two] }\ne:\n- z\nf: end')).toBe(true);
    expect(agree(EDGE_CASES[1]!)).toBe(true);
    expect(agree('a: &x 1\nb: *x\n')).toBe(false);
    expect(agree('a: 1\na: 2\n')).toBe(false);
  });

  it('matches yaml on thousands of mutated workflows', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const NOISE = [':', '-', ' ', '  ', '[', ']', '{', '}', '"', "'", '#', ',', ' #', ': ', '- ', '\n', '\n  ', '0', 'null', '~', 'true', '1e3', '\\', "''", '.inf', 'x:'];
    const seeds = [...workflows, generated(12), ...EDGE_CASES];
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      let text = seeds[Math.floor(random() * seeds.length)]!;
      for (let r = 0; r < 1 + Math.floor(random() * 3); r++) {
        const at = Math.floor(random() * (text.length + 1));
        const kind = random();
        if (kind < 0.4) text = text.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)]! + text.slice(at);
        else if (kind < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else {
          const lines = text.split('\n');
          const i = Math.floor(random() * lines.length);
          lines.splice(i, 0, lines[Math.floor(random() * lines.length)] ?? '');
          text = lines.join('\n');
        }
      }
      if (agree(text)) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
