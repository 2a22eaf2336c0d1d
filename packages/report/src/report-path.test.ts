import { describe, expect, it } from 'vitest';
import { toReportPath } from './report-path.js';

describe('toReportPath', () => {
  it('makes paths relative to the root with forward slashes', () => {
    expect(toReportPath('/work/repo', '/work/repo/services/api/requirements.txt')).toBe('services/api/requirements.txt');
    expect(toReportPath('/work/repo/', './a/../b/req.txt')).toBe('b/req.txt');
    expect(toReportPath('/work/repo', '/work/repo')).toBe('.');
  });

  it('keeps files outside the root relative instead of leaking absolute paths', () => {
    expect(toReportPath('/work/repo', '/work/common/base.txt')).toBe('../common/base.txt');
    expect(toReportPath('/work/repo', '../../etc/passwd')).toBe('../../etc/passwd');
  });

  it('keeps a backslash that is part of a POSIX file name', () => {
    expect(toReportPath('/r', '/r/odd\\name.txt')).toBe('odd\\name.txt');
  });
});
