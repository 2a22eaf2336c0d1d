/**
 * The osv.dev API as a data source: `POST /v1/querybatch` finds which advisories concern each
 * installed package version, then `GET /v1/vulns/{id}` fetches each record (cached on disk by
 * id and `modified`, so unchanged records are not fetched again). The records are then matched
 * with the same local rules as file sources, so results do not depend on where data came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PsrError } from '@psr/core/errors';
import type { OsvAdvisory } from '../advisory.js';
import { writeFileAtomicSync } from '../atomic-write.js';
import { compileAdvisory, type IndexedAdvisory } from '../compiled-advisory.js';
import { encodeIndexFile, IndexFile } from '../index-file.js';
import { fetchWithRetries, type RetryPolicy } from '../retrying-fetch.js';
import type { Ecosystem } from '../version-scheme.js';
import { OSV_SOURCE_FAILED, type LoadedSource } from './local-source.js';

/** The public osv.dev API. */
export const DEFAULT_OSV_API_URL = 'https://api.osv.dev';
/** osv.dev answers at most 1000 queries per querybatch request. */
const BATCH = 1000;
/**
 * Records fetched at once: one request at a time made a cold scan of 200 advisories take 200
 * round trips (~20 s at 100 ms); osv.dev has no rate limit for this, and a few in flight keep
 * a slow link busy without flooding it.
 */
const VULN_FETCHES_IN_FLIGHT = 8;
/**
 * Pages followed for one query. osv.dev's largest packages have a few thousand advisories, a few
 * pages; a server that keeps handing out tokens is broken, and following it would never end.
 */
const MAX_PAGES = 100;
/** The source name of advisories fetched from the API. */
const OSV_API_SOURCE = 'osv.dev';

/** One package version to ask about. */
export interface OsvQuery {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

interface BatchResponse {
  results?: Array<{ vulns?: Array<{ id: string; modified?: string }>; next_page_token?: string }>;
}

/**
 * A small osv.dev API client with an on-disk cache of vulnerability records.
 *
 * @example
 * ```ts
 * const api = new OsvApiClient({ cacheDir: resolveCacheDir() });
 * const source = await api.load([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.10' }]);
 * ```
 */
export class OsvApiClient {
  readonly baseUrl: string;
  private readonly cacheDir: string;
  private readonly signal: AbortSignal | undefined;
  private readonly retry: Partial<RetryPolicy> | undefined;

  /**
   * `retry` changes when requests are retried and given up on (default: 4 attempts on 429, 5xx
   * and dropped connections, honouring `Retry-After` up to 30 s; 60 s without an answer is a
   * failure). Aborting `signal` throws its reason from {@link load}.
   */
  constructor(options: { baseUrl?: string; cacheDir: string; signal?: AbortSignal; retry?: Partial<RetryPolicy> }) {
    this.baseUrl = (options.baseUrl ?? process.env['PSR_OSV_API_URL'] ?? DEFAULT_OSV_API_URL).replace(/\/+$/, '');
    this.cacheDir = options.cacheDir;
    this.signal = options.signal;
    this.retry = options.retry;
  }

  private fail(what: string, cause?: unknown): PsrError {
    return new PsrError(OSV_SOURCE_FAILED, `osv.dev API (${this.baseUrl}): ${what}`, {
      hint: 'check the network or PSR_OSV_API_URL; for offline scans use a local snapshot (`psr db sync`, --sources <dir|zip>)',
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private async request(path: string, init: RequestInit = {}): Promise<unknown> {
    const what = `${init.method ?? 'GET'} ${path}`;
    try {
      return await fetchWithRetries(
        `${this.baseUrl}${path}`,
        init,
        async (res, { progress }) => {
          // Read chunk by chunk so that a large answer arriving slowly is not taken for a hang.
          const chunks: Buffer[] = [];
          for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
            progress();
            chunks.push(Buffer.from(chunk));
          }
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            return JSON.parse(text) as unknown;
          } catch {
            // A proxy's or captive portal's page says more than "invalid JSON".
            const start = text.slice(0, 80).replace(/\s+/g, ' ').trim();
            throw new Error(`answered with invalid JSON (${res.headers.get('content-type') ?? 'no content-type'}, ${text.length} bytes${start ? `: ${JSON.stringify(start)}` : ''})`);
          }
        },
        { ...(this.retry ? { policy: this.retry } : {}), ...(this.signal ? { signal: this.signal } : {}) },
      );
    } catch (err) {
      if (this.signal?.aborted) throw err;
      throw this.fail(`${what}: ${(err as Error).message}`, err);
    }
  }

  /** Advisory ids (with `modified`) per query, following `next_page_token` pagination. */
  async queryBatch(queries: readonly OsvQuery[]): Promise<Array<Array<{ id: string; modified?: string }>>> {
    const out: Array<Array<{ id: string; modified?: string }>> = queries.map(() => []);
    let pending = queries.map((q, i) => ({ i, q, token: undefined as string | undefined }));
    for (let page = 1; pending.length > 0; page++) {
      if (page > MAX_PAGES) {
        const { q } = pending[0]!;
        throw this.fail(`querybatch still had more pages for ${q.name} ${q.version} (${q.ecosystem}) after ${MAX_PAGES}; a scan with part of its advisories is not reported`);
      }
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += BATCH) {
        const chunk = pending.slice(start, start + BATCH);
        const body = {
          queries: chunk.map(({ q, token }) => ({ package: { name: q.name, ecosystem: q.ecosystem }, version: q.version, ...(token ? { page_token: token } : {}) })),
        };
        const data = (await this.request('/v1/querybatch', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })) as BatchResponse;
        const results = Array.isArray(data?.results) ? data.results : [];
        if (results.length !== chunk.length) throw this.fail(`querybatch answered ${results.length} results for ${chunk.length} queries`);
        results.forEach((r, k) => {
          const { i, q } = chunk[k]!;
          for (const v of r?.vulns ?? []) if (typeof v?.id === 'string') out[i]!.push(v);
          if (typeof r?.next_page_token === 'string' && r.next_page_token) {
            // The same token again would ask for the same page for ever.
            if (r.next_page_token === chunk[k]!.token) throw this.fail(`querybatch answered the page token it was given as the next one for ${q.name} ${q.version} (${q.ecosystem})`);
            next.push({ i, q, token: r.next_page_token });
          }
        });
      }
      pending = next;
    }
    return out;
  }

  /**
   * One advisory, from the cache when its `modified` is the one given. Without a `modified` to
   * compare (an API that does not return it), the cached copy could be any age: it is fetched.
   */
  async getVuln(id: string, modified?: string): Promise<OsvAdvisory> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(id)) throw this.fail(`refusing unexpected advisory id "${id}"`);
    const file = join(this.cacheDir, 'osv-api', 'vulns', `${id}.json`);
    if (existsSync(file)) {
      try {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as OsvAdvisory;
        if (cached.id === id && modified !== undefined && cached.modified === modified) return cached;
      } catch {
        // A damaged cache file is fetched again.
      }
    }
    const adv = (await this.request(`/v1/vulns/${encodeURIComponent(id)}`)) as OsvAdvisory;
    if (typeof adv?.id !== 'string') throw this.fail(`/v1/vulns/${id} is not an OSV record`);
    try {
      writeFileAtomicSync(file, JSON.stringify(adv));
    } catch {
      // A cache that cannot be written (a read-only home, a full disk) costs the next scan a
      // fetch; it must not fail this one, whose records are all here.
    }
    return adv;
  }

  /**
   * {@link getVuln} for each `[id, modified]`, a few at a time, in the order given. The first
   * failure stops the fetches not yet started and is thrown once those in flight end.
   */
  private async getVulns(wanted: ReadonlyArray<readonly [string, string | undefined]>): Promise<OsvAdvisory[]> {
    const records: OsvAdvisory[] = new Array(wanted.length);
    let next = 0;
    let failure: { err: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < wanted.length) {
        const k = next++;
        try {
          records[k] = await this.getVuln(wanted[k]![0], wanted[k]![1]);
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(VULN_FETCHES_IN_FLIGHT, wanted.length) }, worker));
    if (failure) throw failure.err;
    return records;
  }

  /** Query, fetch and compile the advisories for `queries` into a source ready for matching. */
  async load(queries: readonly OsvQuery[]): Promise<LoadedSource> {
    const startedAt = new Date().toISOString();
    const hits = await this.queryBatch(queries);
    const wanted = new Map<string, string | undefined>();
    for (const list of hits) for (const v of list) wanted.set(v.id, v.modified);
    const records = await this.getVulns([...wanted]);
    const byEco = new Map<Ecosystem, Map<string, IndexedAdvisory[]>>();
    let withdrawn = 0;
    let advisories = 0;
    let newest = '';
    for (const raw of records) {
      const compiled = compileAdvisory(raw, OSV_API_SOURCE);
      if (compiled.withdrawn) {
        withdrawn++;
        continue;
      }
      advisories++;
      if (typeof raw.modified === 'string' && raw.modified > newest) newest = raw.modified;
      for (const { ecosystem, name, advisory } of compiled.entries) {
        let pkgs = byEco.get(ecosystem);
        if (!pkgs) byEco.set(ecosystem, (pkgs = new Map()));
        pkgs.set(name, [...(pkgs.get(name) ?? []), advisory]);
      }
    }
    const files = [...byEco].map(([eco, pkgs]) => IndexFile.decode(encodeIndexFile(eco, OSV_API_SOURCE, pkgs)));
    return {
      snapshot: {
        name: OSV_API_SOURCE,
        kind: 'osv-api',
        location: this.baseUrl,
        snapshot: `api:${startedAt}`,
        fetchedAt: startedAt,
        ...(newest ? { newestModified: newest } : {}),
        advisories,
        withdrawn,
        packages: files.reduce((n, f) => n + f.packageCount, 0),
      },
      files,
      built: true,
      warnings: [],
    };
  }
}
