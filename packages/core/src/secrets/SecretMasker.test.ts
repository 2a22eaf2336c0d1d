import { describe, expect, it } from 'vitest';
import { SecretMasker } from './SecretMasker.js';

describe('SecretMasker', () => {
  it('masks every occurrence, longest secret first', () => {
    const m = new SecretMasker(['abc', 'abcdef', 'xyz']);
    expect(m.mask('abcdef abc xyzxyz q')).toBe('*** *** ****** q');
  });

  it('ignores secrets shorter than 3 characters', () => {
    const m = new SecretMasker(['a', '12', '']);
    expect(m.active).toBe(false);
    expect(m.mask('a 12 b')).toBe('a 12 b');
  });

  it('escapes regular-expression characters in secrets', () => {
    const m = new SecretMasker(['p@ss.w*rd(1)', '$^x']);
    expect(m.mask('use p@ss.w*rd(1) not pXss; $^x')).toBe('use *** not pXss; ***');
  });

  it('masks each line of a multi-line secret', () => {
    const m = new SecretMasker(['-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----']);
    expect(m.mask('line: MIIEvQIBADANBg')).toBe('line: ***');
  });

  it('masks values inside outputs, recursively, keys too', () => {
    const m = new SecretMasker(['t0ken']);
    expect(m.maskValue({ a: 't0ken!', b: [1, 'x t0ken'], t0ken: true, n: null })).toEqual({ a: '***!', b: [1, 'x ***'], '***': true, n: null });
  });

  it('masks secrets split across stream chunks, whatever the split', () => {
    const secret = 'sup3rs3cret';
    const m = new SecretMasker([secret]);
    const text = `start ${secret} middle ${secret}${secret}\nnext line ${secret} end`;
    for (let size = 1; size <= text.length; size++) {
      const s = m.stream();
      let out = '';
      for (let i = 0; i < text.length; i += size) out += s.write(text.slice(i, i + size));
      out += s.flush();
      expect(out, `chunk size ${size}`).toBe(text.replaceAll(secret, '***'));
    }
  });

  it('releases long unterminated lines without waiting for a newline', () => {
    const m = new SecretMasker(['secret']);
    const s = m.stream();
    const released = s.write('x'.repeat(100));
    expect(released.length).toBeGreaterThanOrEqual(95);
    expect(s.write('\n')).toBe('x'.repeat(100 - released.length) + '\n');
  });

  it('passes chunks through untouched when there is nothing to mask', () => {
    const s = new SecretMasker().stream();
    expect(s.write('partial')).toBe('partial');
    expect(s.flush()).toBe('');
  });
});
