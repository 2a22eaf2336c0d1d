import { describe, expect, it } from 'vitest';
import { baseUrlProblem } from './base-url.js';

describe('baseUrlProblem', () => {
  it('accepts http(s) base URLs, paths included', () => {
    for (const ok of ['https://api.osv.dev', 'http://127.0.0.1:8080/', 'https://osv.example.org/api/']) expect(baseUrlProblem(ok, 'x')).toBeUndefined();
  });

  it('refuses what fetch cannot request or what would hide a key, never repeating a URL', () => {
    expect(baseUrlProblem('ftp://mirror.example', 'https://api.osv.dev')).toEqual({
      kind: 'not-http',
      message: '"ftp://mirror.example" is not an http(s) URL',
      hint: 'give a base URL, e.g. https://api.osv.dev',
    });
    expect(baseUrlProblem('osv.example.org', 'x')?.kind).toBe('not-http');
    const credentials = baseUrlProblem('https://ci:not-a-real-password@osv.example.org', 'x');
    expect(credentials?.kind).toBe('credentials');
    for (const value of ['https://osv.example.org/api?key=not-a-real-key', 'https://osv.example.org/api#not-a-real-key']) {
      const problem = baseUrlProblem(value, 'x');
      expect(problem?.kind).toBe('query');
      expect(`${problem?.message} ${problem?.hint}`).not.toContain('not-a-real-key');
    }
    expect(`${credentials?.message} ${credentials?.hint}`).not.toContain('not-a-real-password');
  });
});
