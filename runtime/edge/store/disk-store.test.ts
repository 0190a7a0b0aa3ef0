// The disk tier on a real directory: least recently used objects go first (files included), reads
// count as use, and a new DiskStore rebuilds the order from the files.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStore } from './disk-store.ts';
import { encodeObject } from './object-codec.ts';
import { objectFor } from './testing.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeplane-disk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every key below has the same length, so every file has this size. */
const fileBytes = encodeObject(objectFor('GET http://a/1', 'x'.repeat(100)), false).length;

describe('DiskStore', () => {
  it('evicts the least recently used objects and their files to stay within its bytes', async () => {
    const disk = new DiskStore(dir, fileBytes * 3);
    await disk.load();
    for (const n of [1, 2, 3]) await disk.set(objectFor(`GET http://a/${n}`, 'x'.repeat(100)));
    expect((await disk.get('GET http://a/1'))?.variants[0]?.body.length).toBe(100);
    await disk.set(objectFor('GET http://a/4', 'x'.repeat(100)));
    await disk.settled();
    // /1 was read after /2 was written: /2 is the least recently used.
    expect([...disk.keys()]).toEqual(['GET http://a/3', 'GET http://a/1', 'GET http://a/4']);
    expect(disk.has('GET http://a/2')).toBe(false);
    expect(disk.evictions).toBe(1);
    expect(disk.bytes).toBe(fileBytes * 3);
    expect((await readdir(dir)).filter((name) => name.endsWith('.obj'))).toHaveLength(3);
  });

  it('evicts to stay within its object count too, files included, also when it loads', async () => {
    const disk = new DiskStore(dir, fileBytes * 100, 3);
    await disk.load();
    for (const n of [1, 2, 3, 4, 5]) {
      await disk.set(objectFor(`GET http://a/${n}`, 'x'.repeat(100)));
      // Distinct modification times, so a reload rebuilds the same order.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await disk.settled();
    expect([...disk.keys()]).toEqual(['GET http://a/3', 'GET http://a/4', 'GET http://a/5']);
    expect(disk.objects).toBe(3);
    expect(disk.evictions).toBe(2);
    expect(disk.bytes).toBe(fileBytes * 3);
    expect((await readdir(dir)).filter((name) => name.endsWith('.obj'))).toHaveLength(3);
    // A restart with a smaller count keeps the newest.
    const smaller = new DiskStore(dir, fileBytes * 100, 2);
    await smaller.load();
    await smaller.settled();
    expect([...smaller.keys()]).toEqual(['GET http://a/4', 'GET http://a/5']);
    expect((await readdir(dir)).filter((name) => name.endsWith('.obj'))).toHaveLength(2);
  });

  it('rebuilds the index from the files, oldest first, and keeps evicting from there', async () => {
    const before = new DiskStore(dir, fileBytes * 2);
    await before.load();
    await before.set(objectFor('GET http://a/o', 'x'.repeat(100)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await before.set(objectFor('GET http://a/n', 'x'.repeat(100)));
    const after = new DiskStore(dir, fileBytes * 2);
    await after.load();
    expect([...after.keys()]).toEqual(['GET http://a/o', 'GET http://a/n']);
    await after.set(objectFor('GET http://a/m', 'x'.repeat(100)));
    await after.settled();
    expect([...after.keys()]).toEqual(['GET http://a/n', 'GET http://a/m']);
  });
});
