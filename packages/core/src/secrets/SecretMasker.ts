/**
 * Replaces secret values with `***` in everything psr shows or stores.
 */

/** Values shorter than this are not masked: masking `a` or `12` would shred every log line
 * (GitHub Actions makes the same trade-off) while hiding nothing worth hiding. */
export const MIN_SECRET_LENGTH = 3;

/** The replacement text. */
export const MASK = '***';

/** A per-stream masker for text that arrives in chunks (child process output). */
export interface MaskedStream {
  /** Feed a chunk; returns the masked text that is safe to emit now (may be ''). */
  write(chunk: string): string;
  /** End of stream: returns whatever was held back, masked. */
  flush(): string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks secret values. Multi-line secrets are also masked line by line, because output
 * is emitted line by line. Values shorter than {@link MIN_SECRET_LENGTH} are ignored.
 *
 * @example
 * ```ts
 * const masker = new SecretMasker(['hunter22']);
 * masker.mask('password: hunter22'); // 'password: ***'
 * const out = masker.stream();
 * out.write('pass: hun') + out.write('ter22\n'); // 'pass: ***\n'
 * ```
 */
export class SecretMasker {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;
  #longest = 0;

  constructor(values: Iterable<string> = []) {
    for (const v of values) this.add(v);
  }

  /** Add a value to mask (ignored when shorter than {@link MIN_SECRET_LENGTH}). */
  add(value: string): void {
    const candidates = [value, ...value.split(/\r?\n/).map((l) => l.trim())];
    let changed = false;
    for (const c of candidates) {
      if (c.length < MIN_SECRET_LENGTH || this.#values.has(c)) continue;
      this.#values.add(c);
      changed = true;
    }
    if (!changed) return;
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...this.#values].sort((a, b) => b.length - a.length);
    this.#longest = sorted[0]!.length;
    this.#pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  /** True when there is at least one value to mask. */
  get active(): boolean {
    return this.#pattern !== undefined;
  }

  /** Length of the longest masked value (how much a chunked stream must hold back). */
  get longest(): number {
    return this.#longest;
  }

  /** Replace every secret value in `text` with `***`. */
  mask(text: string): string {
    if (!this.#pattern || text.length < MIN_SECRET_LENGTH) return text;
    return text.replace(this.#pattern, MASK);
  }

  /** Mask every string inside a JSON-like value (outputs), keys included. */
  maskValue<T>(value: T): T {
    if (!this.#pattern) return value;
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.maskValue(v)) as T;
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.mask(k)] = this.maskValue(v);
      return out as T;
    }
    return value;
  }

  /**
   * A chunk-safe masker for one stream: a secret split across chunks is still masked.
   * Text is released up to the last newline, or — for long lines — up to a point no
   * secret can straddle (at most `longest - 1` characters are held back).
   */
  stream(): MaskedStream {
    let pending = '';
    return {
      write: (chunk: string): string => {
        if (!this.#pattern) return chunk;
        pending += chunk;
        const nl = pending.lastIndexOf('\n');
        let cut = nl + 1;
        const rest = pending.length - cut;
        if (rest >= this.#longest) {
          // Release the start of a long unterminated line, but never cut through a match.
          let safe = pending.length - (this.#longest - 1);
          this.#pattern.lastIndex = 0;
          for (const m of pending.matchAll(this.#pattern)) {
            const s = m.index;
            const e = s + m[0].length;
            if (s < safe && e > safe) safe = s;
          }
          cut = Math.max(cut, safe);
        }
        if (cut <= 0) return '';
        const out = pending.slice(0, cut);
        pending = pending.slice(cut);
        return this.mask(out);
      },
      flush: (): string => {
        const out = this.mask(pending);
        pending = '';
        return out;
      },
    };
  }
}
