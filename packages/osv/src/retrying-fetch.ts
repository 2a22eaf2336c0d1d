/**
 * HTTP requests to osv.dev (its API and its exports) that survive what a busy public service
 * does: 429 and 5xx answers and dropped connections are retried with exponential backoff,
 * honouring `Retry-After`, and a server that stops sending is given up on instead of hanging a
 * scan or a CI job until someone kills it.
 */
import { createRequire } from 'node:module';

/** How {@link fetchWithRetries} retries and when it gives up. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** The wait before the first retry; it doubles for each one after (with jitter). */
  baseDelayMs: number;
  /**
   * The longest wait between attempts. A `Retry-After` longer than this ends the retries at once:
   * a scan that sleeps for an hour is worse than one that says why it stopped.
   */
  maxDelayMs: number;
  /** An attempt during which nothing arrives for this long is abandoned (not retried). */
  idleTimeoutMs: number;
}

/** Four attempts over about 7 s (osv-scanner also makes four); 60 s without a byte is a hang. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, idleTimeoutMs: 60_000 };

/** Statuses a later attempt may not get: rate limiting and a server or its gateway failing. */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/**
 * Connection failures that are usually transient. A refused connection or an unknown host is
 * not retried: offline, it would only add seconds before the same error.
 */
const RETRIED_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A request that failed for good. `message` says why in a user's words (`HTTP 503 (4 attempts)`,
 * `connect ECONNREFUSED 127.0.0.1:443`, `nothing received for 60 s`); callers put it after what
 * they were doing.
 */
export class RequestFailure extends Error {
  /** The last HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RequestFailure';
    this.status = status;
  }
}

/** What the reader of an answer gets: the attempt's signal, and a way to say data arrived. */
export interface ResponseReading {
  signal: AbortSignal;
  /** Restart the idle timeout: call it for each chunk of a long download. */
  progress(): void;
}

/** The `code` of a network error: undici puts the socket's error in `cause` ("fetch failed"). */
function networkCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** What went wrong on the wire, readably: undici's own message is only "fetch failed" or "terminated". */
export function networkErrorText(err: unknown): string {
  const messages: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e.message && !['fetch failed', 'terminated'].includes(e.message) && !messages.includes(e.message)) messages.push(e.message);
  const detail = messages.join(': ');
  if (err instanceof Error && err.message === 'terminated') return `the connection closed before the answer was complete${detail ? ` (${detail})` : ''}`;
  return detail || (err instanceof Error ? err.message : String(err));
}

/** The variables curl, pip and osv-scanner take a proxy from (undici reads the lower-case ones first, as curl does). */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;
/** Never sent through a proxy, as Go's ProxyFromEnvironment (osv-scanner) does. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

let proxyFetch: typeof fetch | undefined;

/**
 * The `fetch` for `url`: Node 20's own ignores `HTTPS_PROXY`, so with a proxy variable set,
 * undici's (the same library, a newer release) with its `EnvHttpProxyAgent`, which also honours
 * `NO_PROXY`. Loaded only then (~0.1 s).
 */
function fetchFor(url: string): typeof fetch {
  if (!PROXY_VARIABLES.some((name) => process.env[name]) || LOOPBACK_HOST.test(new URL(url).hostname)) return fetch;
  if (!proxyFetch) {
    const undici = createRequire(import.meta.url)('undici') as typeof import('undici');
    const dispatcher = new undici.EnvHttpProxyAgent();
    proxyFetch = ((input: string, init?: RequestInit) => undici.fetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  }
  return proxyFetch;
}

/**
 * Wait `ms`, or until `signal` aborts (then reject with its reason). Not `node:timers/promises`:
 * a built-in the scan bundle loads would have to load before `psr scan` sets its V8 flags (see
 * load-run-scan.ts), and every scan would pay for it.
 */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function plural(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

/**
 * `fetch(url, init)`, then `read(response)`, retried per `policy` (see {@link RetryPolicy}) while
 * the status or the network error is one a later attempt may not get. A response that is neither
 * OK (nor 304) nor retried fails with {@link RequestFailure}; so do network errors and an attempt
 * idle for `idleTimeoutMs`. An error `read` throws itself (a body that is not JSON, an unsafe zip)
 * is not retried and passes through as it is. When `signal` aborts, its abort error is thrown.
 *
 * @example
 * ```ts
 * const data = await fetchWithRetries('https://api.osv.dev/v1/vulns/PYSEC-2021-66', {}, (res) => res.json());
 * ```
 */
export async function fetchWithRetries<T>(
  url: string,
  init: RequestInit,
  read: (res: Response, reading: ResponseReading) => Promise<T>,
  options: { policy?: Partial<RetryPolicy>; signal?: AbortSignal } = {},
): Promise<T> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const outer = options.signal;
  for (let attempt = 1; ; attempt++) {
    outer?.throwIfAborted();
    const ac = new AbortController();
    const onAbort = (): void => ac.abort(outer!.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    const progress = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        ac.abort();
      }, policy.idleTimeoutMs);
    };
    progress();
    // Why this attempt failed, when a later one may not.
    let retry: { why: string; waitMs: number | undefined; status?: number; cause?: unknown };
    let inRead = false;
    try {
      const res = await fetchFor(url)(url, { ...init, signal: ac.signal });
      if (res.ok || res.status === 304) {
        inRead = true;
        return await read(res, { signal: ac.signal, progress });
      }
      // The body of a failed answer is not needed; cancelling it frees the connection.
      await res.body?.cancel().catch(() => undefined);
      if (!RETRIED_STATUSES.has(res.status)) throw new RequestFailure(`HTTP ${res.status}${attempt > 1 ? ` (${plural(attempt)})` : ''}`, res.status);
      retry = { why: `HTTP ${res.status}`, waitMs: retryAfterMs(res.headers.get('retry-after')), status: res.status };
    } catch (err) {
      if (outer?.aborted) throw outer.reason;
      if (idle) throw new RequestFailure(`nothing received for ${durationText(policy.idleTimeoutMs)}: the server stopped answering`, undefined, { cause: err });
      if (err instanceof RequestFailure) throw err;
      const code = networkCode(err);
      // undici's error for a body cut off mid-way.
      const terminated = err instanceof TypeError && err.message === 'terminated';
      // An error of the reader's own (not JSON, an unsafe zip) is the answer's, not the network's.
      if (inRead && !(err instanceof TypeError || code?.startsWith('UND_ERR'))) throw err;
      if (!terminated && !(code !== undefined && RETRIED_NETWORK_CODES.has(code)))
        throw new RequestFailure(`${networkErrorText(err)}${attempt > 1 ? ` (${plural(attempt)})` : ''}`, undefined, { cause: err });
      retry = { why: networkErrorText(err), waitMs: undefined, cause: err };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
    if (attempt >= policy.attempts) throw new RequestFailure(`${retry.why} (${plural(attempt)})`, retry.status, { cause: retry.cause });
    if (retry.waitMs !== undefined && retry.waitMs > policy.maxDelayMs)
      throw new RequestFailure(`${retry.why}: asked to retry after ${durationText(retry.waitMs)}, longer than psr waits (${durationText(policy.maxDelayMs)})`, retry.status);
    const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
    // Jitter spreads the retries of many CI jobs that failed at the same moment.
    const waitMs = retry.waitMs ?? Math.min(policy.maxDelayMs, backoff / 2 + (Math.random() * backoff) / 2);
    await sleep(waitMs, outer);
  }
}
