/** The byte order a UTF-16 byte-order mark names (FF FE little-endian, FE FF big-endian), if the bytes start with one. */
export function utf16ByteOrder(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return undefined;
}

/**
 * The text of UTF-16 bytes that start with a byte-order mark (Windows PowerShell 5 `Out-File`,
 * `.reg` exports), or `undefined` for any other bytes, and for a NUL character near the start:
 * some binary formats begin with the same two bytes.
 */
export function decodeUtf16(bytes: Buffer, probe = 8 * 1024): string | undefined {
  const order = utf16ByteOrder(bytes);
  if (order === undefined) return undefined;
  const data = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  if (order === 'be') data.swap16();
  const text = data.toString('utf16le', 2);
  return text.slice(0, probe).includes('\0') ? undefined : text;
}
