// BodyFiles with the real addon: a file per body from its second time on, least recently sent
// closed first past the budget.
import { readSync } from 'node:fs';
import { BodyFiles } from './body-files.ts';
import { type ZeroCopy, zeroCopy } from './index.ts';

function recording(): { addon: ZeroCopy; closed: number[] } {
  if (zeroCopy === undefined)
    throw new Error('the zero-copy addon is not built: run scripts/build-zero-copy.sh');
  const real = zeroCopy;
  const closed: number[] = [];
  return {
    closed,
    addon: {
      bodyFile: (body) => real.bodyFile(body),
      send: (socket, head, file, length) => real.send(socket, head, file, length),
      close: (fd) => {
        closed.push(fd);
        return real.close(fd);
      },
    },
  };
}

describe('BodyFiles', () => {
  it('makes a file for a body asked for a second time, and keeps it while it is sent again', () => {
    const { addon, closed } = recording();
    const files = new BodyFiles(addon, 1024 * 1024);
    const body = Buffer.alloc(100_000, 3);
    expect(files.fileOf(body)).toBeUndefined();
    expect(files.count).toBe(0);
    const fd = files.fileOf(body);
    expect(fd).toBeDefined();
    expect(files.fileOf(body)).toBe(fd);
    const back = Buffer.alloc(10);
    expect(readSync(fd as number, back, 0, 10, 99_990)).toBe(10);
    expect(back.equals(Buffer.alloc(10, 3))).toBe(true);
    expect(files.bytes).toBe(100_000);
    expect(files.count).toBe(1);
    files.clear();
    expect(closed).toEqual([fd]);
    expect(files.bytes).toBe(0);
  });

  it('closes the least recently sent past its budget, and holds nothing larger than the budget', () => {
    const { addon, closed } = recording();
    const files = new BodyFiles(addon, 300_000);
    const [a, b, c, d] = [1, 2, 3, 4].map((fill) => Buffer.alloc(100_000, fill)) as [
      Buffer,
      Buffer,
      Buffer,
      Buffer,
    ];
    for (const body of [a, b, c, d]) files.fileOf(body);
    expect(files.count).toBe(0);
    const fa = files.fileOf(a);
    const fb = files.fileOf(b);
    files.fileOf(c);
    expect(closed).toEqual([]);
    files.fileOf(a);
    files.fileOf(d);
    expect(closed).toEqual([fb]);
    expect(files.count).toBe(3);
    expect(files.bytes).toBe(300_000);
    expect(files.fileOf(a)).toBe(fa);
    const tooLarge = Buffer.alloc(300_001);
    files.fileOf(tooLarge);
    expect(files.fileOf(tooLarge)).toBeUndefined();
    expect(files.count).toBe(3);
    files.clear();
    expect(closed).toHaveLength(4);
  });
});
