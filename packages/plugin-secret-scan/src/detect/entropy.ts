/**
 * Shannon entropy in bits per character.
 *
 * @example
 * ```ts
 * shannonEntropy('aaaa'); // 0
 * shannonEntropy('abcd'); // 2
 * ```
 */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The character set a value is drawn from; thresholds differ per set. */
export type Charset = 'hex' | 'base64' | 'alnum' | 'other';

/** Classify a value's character set. */
export function charsetOf(text: string): Charset {
  if (/^[0-9a-f]+$/i.test(text)) return 'hex';
  if (/^[A-Za-z0-9]+$/.test(text)) return 'alnum';
  if (/^[A-Za-z0-9+/_\-]+=*$/.test(text)) return 'base64';
  return 'other';
}
