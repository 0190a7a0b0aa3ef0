// No Docker engine runs here, so the Dockerfile is checked against what it must agree with:
// the pod securityContext's user, the contract's ports, the bundle script's output, the Node pin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimeUid } from '../components/cdn/security.ts';
import { ports } from '../runtime/contract.ts';
import { projectRoot } from './harness/pulumi/index.ts';

const root = projectRoot();
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => {
  if (line.startsWith('FROM ')) all.push([]);
  all.at(-1)?.push(line);
  return all;
}, []);
const runtimeStage = stages.at(-1) ?? [];
const find = (stage: string[], keyword: string) =>
  stage
    .filter((line) => line.startsWith(`${keyword} `))
    .map((line) => line.slice(keyword.length + 1));

describe('Dockerfile', () => {
  it('is multi-stage: esbuild bundle first, then a Node 24 distroless runtime', () => {
    expect(stages.length).toBe(2);
    expect(find(stages[0] ?? [], 'RUN').join(' ')).toContain(
      'node scripts/build-bundle.ts --outdir /out',
    );
    expect(find(runtimeStage, 'FROM')[0]).toMatch(
      /^gcr\.io\/distroless\/nodejs24-debian\d+:nonroot$/,
    );
    expect(find(runtimeStage, 'COPY')).toEqual(['--from=build /out/ /app/']);
  });

  it('builds the zero-copy addon beside the bundle, where the edge looks for it', () => {
    const build = find(stages[0] ?? [], 'RUN').join(' ');
    expect(build).toContain('apt-get install -y --no-install-recommends gcc libc6-dev');
    expect(build).toContain('scripts/build-zero-copy.sh /out/send-file.node');
    expect(build).toContain('test -f /out/send-file.node');
    // runtime/edge/zero-copy/index.ts looks beside the module that loads it: the bundle, in /out.
    const loader = readFileSync(join(root, 'runtime/edge/zero-copy/index.ts'), 'utf8');
    expect(loader).toContain("'./send-file.node'");
  });

  it('runs as the non-root user the pods run as', () => {
    expect(find(runtimeStage, 'USER')).toEqual([`${runtimeUid}:${runtimeUid}`]);
  });

  it('exposes the contract ports and starts the bundle', () => {
    expect(find(runtimeStage, 'EXPOSE')).toEqual([`${ports.traffic} ${ports.management}`]);
    expect(JSON.parse(find(runtimeStage, 'CMD')[0] ?? '[]')).toEqual([
      '--enable-source-maps',
      '/app/main.mjs',
    ]);
  });

  it('builds with the Node version the project pins', () => {
    const toolchain = readFileSync(join(root, 'scripts', 'toolchain.sh'), 'utf8');
    const pinned = /EDGEPLANE_NODE_VERSION=(\S+)/.exec(toolchain)?.[1];
    expect(pinned).toMatch(/^24\./);
    expect(instructions).toContain(`ARG NODE_VERSION=${pinned}`);
  });

  it('sends the build stage exactly the files it copies', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8');
    const kept = ignore
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = find(stages[0] ?? [], 'COPY').flatMap((line) => line.split(/\s+/).slice(0, -1));
    expect(kept.sort()).toEqual(copied.sort());
  });
});
