import { describe, expect, it } from 'vitest';
import { evaluateMarker, markerTargetProblem } from './marker.js';

describe('evaluateMarker (PEP 508)', () => {
  it('compares python versions as PEP 440 versions, not strings', () => {
    expect(evaluateMarker('python_version < "3.11"', { pythonVersion: '3.9' })).toBe(true);
    // a string comparison would say "3.10" < "3.9"
    expect(evaluateMarker('python_version < "3.9"', { pythonVersion: '3.10' })).toBe(false);
    expect(evaluateMarker('python_full_version >= "3.8.1"', { pythonVersion: '3.8.0' })).toBe(false);
    expect(evaluateMarker('python_full_version >= "3.8.1"', { pythonVersion: '3.8.10' })).toBe(true);
    expect(evaluateMarker('python_version ~= "3.8"', { pythonVersion: '3.12' })).toBe(true);
    expect(evaluateMarker("python_version == '3.11.*'", { pythonVersion: '3.11.4' })).toBe(true);
  });

  it('maps a platform to sys_platform, platform_system and os_name', () => {
    expect(evaluateMarker('sys_platform == "win32"', { platform: 'windows' })).toBe(true);
    expect(evaluateMarker('platform_system == "Darwin"', { platform: 'macos' })).toBe(true);
    expect(evaluateMarker('os_name == "nt"', { platform: 'linux' })).toBe(false);
    expect(evaluateMarker("sys_platform != 'win32' and python_version >= '3.8'", { platform: 'linux', pythonVersion: '3.12' })).toBe(true);
  });

  it('is three-valued: what the target does not set stays undecided unless and/or settle it', () => {
    expect(evaluateMarker('sys_platform == "win32"', { pythonVersion: '3.12' })).toBeUndefined();
    expect(evaluateMarker('python_version < "3.8" and sys_platform == "win32"', { pythonVersion: '3.12' })).toBe(false);
    expect(evaluateMarker('python_version >= "3.8" or sys_platform == "win32"', { pythonVersion: '3.12' })).toBe(true);
    expect(evaluateMarker('(python_version >= "3.8" and platform_machine == "arm64")', { pythonVersion: '3.12' })).toBeUndefined();
    expect(evaluateMarker('platform_machine == "arm64"', { env: { platform_machine: 'arm64' } })).toBe(true);
  });

  it('evaluates extras and PEP 751 group membership with normalised names', () => {
    expect(evaluateMarker('extra == "Socks_Proxy"', { extras: ['socks-proxy'] })).toBe(true);
    expect(evaluateMarker('extra == "socks"', { extras: [] })).toBe(false);
    expect(evaluateMarker("'dev' in dependency_groups", { env: {} })).toBeUndefined();
    expect(evaluateMarker('"s3" in extras', { extras: ['s3'] })).toBe(true);
    expect(evaluateMarker("'linux' in sys_platform", { platform: 'linux' })).toBe(true);
    expect(evaluateMarker("'win' not in sys_platform", { platform: 'linux' })).toBe(true);
  });

  it('rejects malformed markers with PSR_LOCKFILE_PARSE', () => {
    for (const bad of ['python_version >', 'python_version >= "3.8', 'pythn_version == "3"', '(python_version == "3.8"', 'python_version == "3.8" xor os_name == "nt"']) {
      expect(() => evaluateMarker(bad, { pythonVersion: '3.8' }), bad).toThrow(expect.objectContaining({ code: 'PSR_LOCKFILE_PARSE' }));
    }
  });
});

describe('agreement with packaging', () => {
  it('gives the same answers as packaging.markers on a full environment', async () => {
    // packaging-expected.json was produced by pip's vendored `packaging` (see its generatedBy).
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const data = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/markers/packaging-expected.json'), 'utf8')) as { cases: [string, Record<string, string>, boolean][] };
    expect(data.cases.length).toBeGreaterThan(100);
    const mismatches = data.cases.filter(([marker, env, want]) => evaluateMarker(marker, { env }) !== want);
    expect(mismatches).toEqual([]);
  });
});

describe('markerTargetProblem', () => {
  it('accepts versions and the platforms Python reports, and says what is wrong with the rest', () => {
    for (const target of [{ pythonVersion: '3.12' }, { pythonVersion: '3.12.4' }, { platform: 'linux' }, { platform: 'macOS' }, { platform: 'windows' }, { platform: 'freebsd13' }]) {
      expect(markerTargetProblem(target)).toBeUndefined();
    }
    expect(markerTargetProblem({ pythonVersion: 'abc' })).toBe('python version "abc" is not a version such as 3.12 or 3.12.4');
    expect(markerTargetProblem({ pythonVersion: '3' })).toMatch(/^python version "3" is not/);
    expect(markerTargetProblem({ platform: 'lnux' })).toMatch(/^platform "lnux" is not one psr knows: linux, darwin/);
  });
});
