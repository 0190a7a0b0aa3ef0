import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Site } from './site.ts';
import { SitesError } from './site.ts';
import { FileSiteSource } from './site-file-source.ts';

describe('FileSiteSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sites-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads JSON and YAML', async () => {
    const json = join(dir, 'sites.json');
    await writeFile(
      json,
      JSON.stringify({ sites: [{ id: 'a', hosts: ['a.test'], origin: 'http://o' }] }),
    );
    expect((await new FileSiteSource(json).load()).map((s) => s.id)).toEqual(['a']);
    const yaml = join(dir, 'sites.yaml');
    await writeFile(yaml, 'sites:\n  - id: b\n    hosts: [b.test]\n    origin: https://o\n');
    expect((await new FileSiteSource(yaml).load())[0]?.hosts).toEqual(['b.test']);
  });

  it('says what is wrong with a missing or unparsable file', async () => {
    await expect(new FileSiteSource(join(dir, 'none.yaml')).load()).rejects.toThrow(
      /cannot read the file/,
    );
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'sites: [unclosed');
    await expect(new FileSiteSource(broken).load()).rejects.toThrow(SitesError);
  });

  it('reports changes, and keeps quiet (reporting the error) when a new version is invalid', async () => {
    const file = join(dir, 'sites.json');
    const write = (id: string) =>
      writeFile(
        file,
        JSON.stringify({ sites: [{ id, hosts: [`${id}.test`], origin: 'http://o' }] }),
      );
    await write('first');
    const errors: Error[] = [];
    const source = new FileSiteSource(file, (error) => errors.push(error));
    const seen: (readonly Site[])[] = [];
    const stop = source.subscribe((sites) => seen.push(sites));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await write('second');
      for (let i = 0; i < 40 && seen.length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(seen.at(-1)?.[0]?.id).toBe('second');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await writeFile(file, '{"sites": [{"id": "Bad"}]}');
      for (let i = 0; i < 40 && errors.length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(errors[0]).toBeInstanceOf(SitesError);
      expect(seen.at(-1)?.[0]?.id).toBe('second');
    } finally {
      stop();
    }
  });
});
