import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipfile } from './pipfile.js';
import { parsePipfileLock } from './pipfile-lock.js';

const dir = resolve(import.meta.dirname, '../../fixtures/pipenv');
const lock = readFileSync(resolve(dir, 'Pipfile.lock'), 'utf8');
const pipfile = readFileSync(resolve(dir, 'Pipfile'), 'utf8');

describe('Pipfile.lock and Pipfile', () => {
  it('reads default and develop with lines, markers and git entries; Pipfile tells direct', () => {
    const r = parsePipfileLock(lock, 'Pipfile.lock', parsePipfile(pipfile, 'Pipfile'));
    expect(r.dependencies.map((d) => [d.name, d.version, d.group, d.direct, d.location.line])).toEqual([
      ['asgiref', '3.7.2', 'main', false, 19],
      ['django', '4.2.7', 'main', true, 26],
      ['mytool', undefined, 'main', true, 33],
      ['requests', '2.31.0', 'main', true, 37],
      ['pytest', '7.4.3', 'dev', true, 46],
    ]);
    expect(r.dependencies[0]?.marker).toBe("python_version >= '3.7'");
    expect(r.dependencies[2]?.unresolvable).toEqual({ reason: 'vcs', spec: 'git+https://github.com/acme/mytool.git@3f786850e387550fdab836ed7e6dc881de23001b' });
  });

  it('lists a package locked alike in default and develop once, as main; one locked apart, twice', () => {
    const text = JSON.stringify({
      default: { idna: { version: '==3.4' }, urllib3: { version: '==2.0.7' } },
      develop: { idna: { version: '==3.4' }, urllib3: { version: '==1.26.18' }, pytest: { version: '==7.4.0' } },
    });
    expect(parsePipfileLock(text, 'Pipfile.lock').dependencies.map((d) => [d.name, d.version, d.group])).toEqual([
      ['idna', '3.4', 'main'],
      ['urllib3', '2.0.7', 'main'],
      ['urllib3', '1.26.18', 'dev'],
      ['pytest', '7.4.0', 'dev'],
    ]);
  });

  it('reads a Pipfile: "*" and ranges unpinned, "==" pinned', () => {
    const r = parsePipfile(pipfile, 'Pipfile');
    expect(r.dependencies.map((d) => [d.name, d.pinned, d.version, d.group, d.location.line])).toEqual([
      ['requests', false, undefined, 'main', 7],
      ['django', true, '4.2.7', 'main', 8],
      ['mytool', false, undefined, 'main', 9],
      ['pytest', false, undefined, 'dev', 12],
    ]);
  });

  it('reports truncated and malformed JSON with line and column', () => {
    const cut = lock.slice(0, lock.indexOf('"django"') + 20);
    expect(() => parsePipfileLock(cut, 'Pipfile.lock')).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE', location: { file: 'Pipfile.lock', line: 27, col: 9 } }));
    const trailingComma = '{\n  "default": {\n    "six": {"version": "==1.16.0"},\n  }\n}\n';
    expect(() => parsePipfileLock(trailingComma, 'Pipfile.lock')).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 4 }) }));
  });
});
