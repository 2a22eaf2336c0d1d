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

  it('refuses credentials, a query string or a fragment (fetch refuses the first; paths would land in the others) without repeating them', () => {
    const refused = (value: string): { code: string; message: string } => {
      try {
        httpUrlOption('osv-api-url', value);
      } catch (err) {
        return err as { code: string; message: string };
      }
      throw new Error(`${value} was accepted`);
    };
    const credentials = refused('http://ci:not-a-real-password@127.0.0.1:8080');
    expect(credentials).toMatchObject({ code: 'PSR_USAGE', message: '--osv-api-url: a URL with a user name or password cannot be requested' });
    const query = refused('https://osv.example.org/api?key=not-a-real-key');
    expect(query).toMatchObject({ code: 'PSR_USAGE', message: expect.stringContaining('query string or fragment') });
    expect(query.message).not.toContain('not-a-real-key');
    expect(refused('https://osv.example.org/api#x').code).toBe('PSR_USAGE');
    expect(() => httpUrlOption('osv-api-url', 'http://127.0.0.1:1/?token=not-a-real-token', 'PSR_OSV_API_URL')).toThrow(
      expect.objectContaining({ code: 'PSR_USAGE', message: expect.stringMatching(/^PSR_OSV_API_URL: a base URL cannot have a query string/) }),
    );
  });
});
