// Retries and timeouts against a loopback server that misbehaves the way busy services do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithRetries, RequestFailure, retryAfterMs } from './retrying-fetch.js';

/** Per path: what the n-th request (from 1) gets. */
const behaviours: Record<string, (res: ServerResponse, n: number) => void> = {
  '/busy-then-ok': (res, n) => (n <= 2 ? res.writeHead(429, { 'retry-after': '1' }).end('slow down') : res.end('{"ok":true}')),
  '/down': (res) => res.writeHead(503).end('unavailable'),
  '/come-back-tomorrow': (res) => res.writeHead(429, { 'retry-after': '86400' }).end(),
  '/hang': () => undefined,
  '/cut-then-ok': (res, n) => {
    if (n > 1) return res.end('{"ok":true}');
    res.writeHead(200, { 'content-length': '1000' });
    res.write('{"ok":');
    setTimeout(() => res.destroy(), 20);
  },
  '/forbidden': (res) => res.writeHead(403).end(),
  '/html': (res) => res.end('<html>sign in to the wifi</html>'),
  '/record': (res) => res.end('{"id":"PYSEC-2021-66"}'),
};
const seen = new Map<string, number>();
const server = createServer((req, res) => {
  const n = (seen.get(req.url!) ?? 0) + 1;
  seen.set(req.url!, n);
  behaviours[req.url!]!(res, n);
});
let base: string;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const json = (res: Response): Promise<unknown> => res.json();
const fast = { baseDelayMs: 5, idleTimeoutMs: 2000 };

describe('fetchWithRetries', () => {
  it('waits as long as Retry-After says, then gets the answer', async () => {
    const started = Date.now();
    await expect(fetchWithRetries(`${base}/busy-then-ok`, {}, json, { policy: fast })).resolves.toEqual({ ok: true });
    expect(seen.get('/busy-then-ok')).toBe(3);
    // Two waits of one second each, not the 5 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('gives up on a server that stays down, saying how often it tried', async () => {
    const err = await fetchWithRetries(`${base}/down`, {}, json, { policy: { ...fast, attempts: 3 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestFailure);
    expect(err).toMatchObject({ message: 'HTTP 503 (3 attempts)', status: 503 });
    expect(seen.get('/down')).toBe(3);
  });

  it('does not sleep for a Retry-After longer than it waits', async () => {
    await expect(fetchWithRetries(`${base}/come-back-tomorrow`, {}, json, { policy: fast })).rejects.toMatchObject({
      message: 'HTTP 429: asked to retry after 86400 s, longer than psr waits (30 s)',
    });
    expect(seen.get('/come-back-tomorrow')).toBe(1);
  });

  it('gives up on a server that stops answering, once', async () => {
    const started = Date.now();
    await expect(fetchWithRetries(`${base}/hang`, {}, json, { policy: { ...fast, idleTimeoutMs: 300 } })).rejects.toMatchObject({
      message: 'nothing received for 300 ms: the server stopped answering',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen.get('/hang')).toBe(1);
  });

  it('retries an answer cut off mid-way', async () => {
    await expect(fetchWithRetries(`${base}/cut-then-ok`, {}, json, { policy: fast })).resolves.toEqual({ ok: true });
    expect(seen.get('/cut-then-ok')).toBe(2);
  });

  it('does not retry what a retry cannot change: a 403, a refused connection, a reader that refuses the answer', async () => {
    await expect(fetchWithRetries(`${base}/forbidden`, {}, json, { policy: fast })).rejects.toMatchObject({ message: 'HTTP 403', status: 403 });
    expect(seen.get('/forbidden')).toBe(1);
    const refused = `http://127.0.0.1:${(server.address() as AddressInfo).port + 1}`;
    await expect(fetchWithRetries(refused, {}, json, { policy: fast })).rejects.toMatchObject({ message: expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
    const notJson = await fetchWithRetries(`${base}/html`, {}, json, { policy: fast }).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(SyntaxError);
    expect(seen.get('/html')).toBe(1);
  });

  it('stops at once when its signal aborts, also while waiting to retry', async () => {
    const ac = new AbortController();
    const pending = fetchWithRetries(`${base}/down`, {}, json, { policy: { baseDelayMs: 60_000 }, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('proxies', () => {
  it('goes through HTTP_PROXY (which Node 20\'s fetch ignores), except for loopback and NO_PROXY hosts', async () => {
    // A forward proxy that tunnels (CONNECT, as for https) every host to the test server.
    const asked: string[] = [];
    const tunnels: Duplex[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
      asked.push(`CONNECT ${req.url}`);
      tunnels.push(client);
      const upstream = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).on('error', () => undefined);
        client.pipe(upstream).on('error', () => undefined);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      // osv.test does not resolve: only the proxy can reach it.
      await expect(fetchWithRetries('http://osv.test/record', {}, json, { policy: fast })).resolves.toEqual({ id: 'PYSEC-2021-66' });
      expect(asked).toEqual(['CONNECT osv.test:80']);
      // Loopback addresses are never proxied.
      await expect(fetchWithRetries(`${base}/record`, {}, json, { policy: fast })).resolves.toEqual({ id: 'PYSEC-2021-66' });
      process.env['NO_PROXY'] = 'osv.test';
      await expect(fetchWithRetries('http://osv.test/record', {}, json, { policy: fast })).rejects.toMatchObject({ message: expect.stringContaining('ENOTFOUND osv.test') });
      expect(asked).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      // Tunnels are no longer the server's connections: closed by hand.
      for (const t of tunnels) t.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('2015-10-21T07:28:00Z'))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
