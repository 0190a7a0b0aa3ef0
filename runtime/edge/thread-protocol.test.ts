import { MessageChannel } from 'node:worker_threads';
import type { CachedObject } from './store/entry.ts';
import { objectFor } from './store/testing.ts';
import { packObject, unpackObject } from './thread-protocol.ts';

/** An object whose body is 1 KB of a 64 KiB buffer, as a body read from a socket is. */
function objectWithSocketBody(): CachedObject {
  const readBuffer = Buffer.alloc(64 * 1024, 'x');
  const object = objectFor('GET http://a/x', 'unused', '/x');
  const variant = object.variants[0];
  if (variant === undefined) throw new Error('no variant');
  variant.body = readBuffer.subarray(1000, 2024);
  variant.fast = { lifetimeMs: 60_000, initialAgeMs: 0 };
  variant.compressed = { gzip: Buffer.from('derived') };
  variant.wire = { identity: ['derived'] };
  object.variants.push({ ...variant, varyKey: 'br', body: Buffer.from('second body') });
  return object;
}

describe('objects between threads', () => {
  it('pack into exactly their own bytes, not the buffers their bodies are views of', () => {
    const object = objectWithSocketBody();
    const packed = packObject(object);
    expect(packed.byteLength).toBeLessThan(1024 + 11 + 1000);
    const back = unpackObject(packed);
    expect(back.key).toBe(object.key);
    expect(back.path).toBe('/x');
    expect(back.variants).toHaveLength(2);
    expect(back.variants[0]?.body.equals(Buffer.alloc(1024, 'x'))).toBe(true);
    expect(back.variants[0]?.body.buffer).toBe(packed);
    expect(back.variants[1]?.body.toString()).toBe('second body');
    // The precomputed hit numbers travel; derived copies are made again where needed.
    expect(back.variants[0]?.fast).toEqual({ lifetimeMs: 60_000, initialAgeMs: 0 });
    expect(back.variants[0]?.compressed).toBeUndefined();
    expect(back.variants[0]?.wire).toBeUndefined();
    expect(back.variants[0]?.headers).toEqual(object.variants[0]?.headers);
  });

  it('are moved by postMessage, not copied', async () => {
    const { port1, port2 } = new MessageChannel();
    const packed = packObject(objectWithSocketBody());
    const size = packed.byteLength;
    const received = new Promise<ArrayBuffer>((resolve) => port2.once('message', resolve));
    port1.postMessage(packed, [packed]);
    expect(packed.byteLength).toBe(0);
    const arrived = await received;
    expect(arrived.byteLength).toBe(size);
    expect(unpackObject(arrived).variants[1]?.body.toString()).toBe('second body');
    port1.close();
  });
});
