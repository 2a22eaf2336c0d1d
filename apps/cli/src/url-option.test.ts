import { describe, expect, it } from 'vitest';
import { httpUrlOption } from './url-option.js';

describe('httpUrlOption', () => {
  it('passes http(s) URLs through', () => {
    expect(httpUrlOption('url', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(httpUrlOption('osv-api-url', 'https://api.osv.dev/')).toBe('https://api.osv.dev/');
  });

  it('refuses anything else as a usage error naming the option', () => {
    expect(() => httpUrlOption('osv-api-url', 'notaurl')).toThrow(expect.objectContaining({ code: 'PSR_USAGE', message: '--osv-api-url "notaurl" is not an http(s) URL' }));
    expect(() => httpUrlOption('url', 'ftp://mirror.example/osv')).toThrow(expect.objectContaining({ code: 'PSR_USAGE' }));
    expect(() => httpUrlOption('url', 'api.osv.dev')).toThrow(expect.objectContaining({ code: 'PSR_USAGE' }));
  });
});
