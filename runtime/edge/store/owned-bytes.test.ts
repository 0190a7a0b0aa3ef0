import { describe, expect, it } from '@jest/globals';
import { owned, ownedCopy } from './owned-bytes.ts';

describe('ownedCopy', () => {
  it('joins the chunks into a buffer whose memory is exactly its bytes', () => {
    // Small Buffers come from Node's shared pool: a view of a larger ArrayBuffer.
    const pooled = [Buffer.from('hello, '), Buffer.from('world')];
    expect(pooled[0]?.buffer.byteLength).toBeGreaterThan(pooled[0]?.length ?? 0);
    const copy = ownedCopy(pooled, 12);
    expect(copy.toString()).toBe('hello, world');
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(12);
  });

  it('copies: later writes to the chunks do not reach the copy', () => {
    const chunk = Buffer.from('abc');
    const copy = ownedCopy([chunk], 3);
    chunk[0] = 0x7a;
    expect(copy.toString()).toBe('abc');
  });

  it('refuses a size the chunks do not add up to', () => {
    expect(() => ownedCopy([Buffer.from('abc')], 2)).toThrow(/out of bounds/);
    expect(() => ownedCopy([Buffer.from('abc')], 4)).toThrow(/3 bytes, not 4/);
  });

  it('makes an empty buffer of nothing', () => {
    expect(ownedCopy([], 0).length).toBe(0);
  });
});

describe('owned', () => {
  it('keeps a buffer that already owns its whole ArrayBuffer', () => {
    const whole = Buffer.from(new ArrayBuffer(8));
    expect(owned(whole)).toBe(whole);
  });

  it('copies a view of a larger ArrayBuffer', () => {
    const slab = Buffer.from('0123456789');
    const view = slab.subarray(2, 5);
    const kept = owned(view);
    expect(kept).not.toBe(view);
    expect(kept.toString()).toBe('234');
    expect(kept.buffer.byteLength).toBe(3);
  });
});
