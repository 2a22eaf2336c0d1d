/** Decode standard or URL-safe base64 (padding optional); `undefined` when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const clean = text.replace(/[\r\n\t ]/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
  if (clean.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Decode base64url text to a JSON object, or `undefined`. */
export function decodeBase64Json(text: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64(text);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
