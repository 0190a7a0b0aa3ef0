// Bytes the cache keeps get memory of their own. Buffer.allocUnsafe, Buffer.from and Buffer.concat
// carve buffers smaller than half of Buffer.poolSize (64 KiB in Node 24) out of shared 64 KiB
// slabs, so one kept 1 KB body would keep its whole slab alive, and with it whatever else was
// carved from that slab, for as long as the cache holds the body: memory the tiers' byte bounds
// never count.

/** `chunks` joined into one Buffer over an ArrayBuffer of exactly `size` bytes. */
export function ownedCopy(chunks: readonly Uint8Array[], size: number): Buffer {
  const owned = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const chunk of chunks) {
    owned.set(chunk, at);
    at += chunk.length;
  }
  if (at !== size) throw new RangeError(`ownedCopy: the chunks hold ${at} bytes, not ${size}`);
  return owned;
}

/** `bytes` as it is when it already owns its memory whole, otherwise an owned copy. */
export function owned(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  return ownedCopy([bytes], bytes.length);
}
