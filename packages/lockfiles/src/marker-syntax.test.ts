import { describe, expect, it } from 'vitest';
import { inheritedMarker, parseMarker, printMarker } from './marker-syntax.js';

describe('printMarker', () => {
  it('writes a marker back as PEP 508 text that parses to the same tree', () => {
    expect(printMarker(parseMarker("python_version<'3.11'"))).toBe('python_version < "3.11"');
    expect(printMarker(parseMarker('os.name == "nt"'))).toBe('os_name == "nt"');
    const nested = 'python_version < "3.11" and (sys_platform == "win32" or platform_machine != "arm64") or implementation_name == "pypy"';
    expect(printMarker(parseMarker(nested))).toBe(nested);
    expect(parseMarker(printMarker(parseMarker(nested)))).toEqual(parseMarker(nested));
  });

  it('quotes a string holding a double quote with single quotes', () => {
    expect(printMarker(parseMarker(`platform_version == 'say "hi"'`))).toBe(`platform_version == 'say "hi"'`);
    expect(printMarker(parseMarker('"3.8" not in python_version'))).toBe('"3.8" not in python_version');
  });
});

describe('inheritedMarker', () => {
  it("removes the requiring package's extra terms and keeps the rest", () => {
    expect(inheritedMarker('extra == "socks"')).toBeUndefined();
    expect(inheritedMarker('python_version < "3.11" and extra == "x"')).toBe('python_version < "3.11"');
    expect(inheritedMarker('extra == "x" and (sys_platform == "win32" or os_name == "nt")')).toBe('sys_platform == "win32" or os_name == "nt"');
    // the extra term, taken as true, settles an `or`
    expect(inheritedMarker('extra == "a" or python_version < "3.8"')).toBeUndefined();
    expect(inheritedMarker('(extra == "a" or extra == "b") and python_version < "3.8"')).toBe('python_version < "3.8"');
  });

  it('returns a marker without extra terms, or one that does not parse, as written', () => {
    expect(inheritedMarker("sys_platform=='win32'")).toBe("sys_platform=='win32'");
    expect(inheritedMarker('platform_release == "extra"')).toBe('platform_release == "extra"');
    expect(inheritedMarker('extra == "x')).toBe('extra == "x');
  });
});
