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
import type { Ecosystem } from '../version-scheme.js';
import { OSV_SOURCE_FAILED, type LoadedSource } from './local-source.js';

/** The public osv.dev API. */
export const DEFAULT_OSV_API_URL = 'https://api.osv.dev';
const BATCH = 1000;
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

  constructor(options: { baseUrl?: string; cacheDir: string; signal?: AbortSignal }) {
    this.baseUrl = (options.baseUrl ?? process.env['PSR_OSV_API_URL'] ?? DEFAULT_OSV_API_URL).replace(/\/+$/, '');
    this.cacheDir = options.cacheDir;
    this.signal = options.signal;
  }

  private fail(what: string, cause?: unknown): PsrError {
    return new PsrError(OSV_SOURCE_FAILED, `osv.dev API (${this.baseUrl}): ${what}`, {
      hint: 'check the network or PSR_OSV_API_URL; for offline scans use a local snapshot (`psr db sync`, --sources <dir|zip>)',
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private async request(path: string, init: RequestInit = {}): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { ...init, ...(this.signal ? { signal: this.signal } : {}) });
    } catch (err) {
      throw this.fail(`request to ${path} failed: ${(err as Error).message}`, err);
    }
    if (!res.ok) throw this.fail(`${path} answered HTTP ${res.status}`);
    try {
      return await res.json();
    } catch (err) {
      throw this.fail(`${path} answered with invalid JSON`, err);
    }
  }

  /** Advisory ids (with `modified`) per query, following `next_page_token` pagination. */
  async queryBatch(queries: readonly OsvQuery[]): Promise<Array<Array<{ id: string; modified?: string }>>> {
    const out: Array<Array<{ id: string; modified?: string }>> = queries.map(() => []);
    let pending = queries.map((q, i) => ({ i, q, token: undefined as string | undefined }));
    while (pending.length > 0) {
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
          for (const v of r.vulns ?? []) if (typeof v?.id === 'string') out[i]!.push(v);
          if (typeof r.next_page_token === 'string' && r.next_page_token) next.push({ i, q, token: r.next_page_token });
        });
      }
      pending = next;
    }
    return out;
  }

  /** One advisory, from the cache when its `modified` matches. */
  async getVuln(id: string, modified?: string): Promise<OsvAdvisory> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(id)) throw this.fail(`refusing unexpected advisory id "${id}"`);
    const file = join(this.cacheDir, 'osv-api', 'vulns', `${id}.json`);
    if (existsSync(file)) {
      try {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as OsvAdvisory;
        if (modified === undefined || cached.modified === modified) return cached;
      } catch {
        // A damaged cache file is fetched again.
      }
    }
    const adv = (await this.request(`/v1/vulns/${encodeURIComponent(id)}`)) as OsvAdvisory;
    if (typeof adv?.id !== 'string') throw this.fail(`/v1/vulns/${id} is not an OSV record`);
    writeFileAtomicSync(file, JSON.stringify(adv));
    return adv;
  }

  /** Query, fetch and compile the advisories for `queries` into a source ready for matching. */
  async load(queries: readonly OsvQuery[]): Promise<LoadedSource> {
    const startedAt = new Date().toISOString();
    const hits = await this.queryBatch(queries);
    const wanted = new Map<string, string | undefined>();
    for (const list of hits) for (const v of list) wanted.set(v.id, v.modified);
    const byEco = new Map<Ecosystem, Map<string, IndexedAdvisory[]>>();
    let withdrawn = 0;
    let advisories = 0;
    let newest = '';
    for (const [id, modified] of wanted) {
      const raw = await this.getVuln(id, modified);
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
